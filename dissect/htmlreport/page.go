package htmlreport

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// Capture is one capture file's sessions, in stream order.
type Capture struct {
	Name     string // the file name as given (sanitized and escaped here)
	Sessions []*session.Session
	// Limits are the limits hit while reading it (name → count).
	Limits map[string]int64
	// Err is the reason the file could not be read to its end ("" if none).
	Err string
}

// Options say how to write the page.
type Options struct {
	Theme  diagram.Theme
	Reveal bool
	// Now stamps the page ("generated …"); zero leaves the stamp out, so
	// that tests and goldens are reproducible.
	Now time.Time
}

// sortScript sorts the sessions table when a header is clicked: numbers by
// value, text by locale order; a second click reverses. It reads only the
// table's own cells (textContent) and writes only their order.
const sortScript = `document.querySelectorAll("table.sessions").forEach(function(t){` +
	`t.querySelectorAll("th").forEach(function(th,i){th.tabIndex=0;th.addEventListener("click",function(){` +
	`var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),up=th.getAttribute("aria-sort")!=="ascending";` +
	`t.querySelectorAll("th").forEach(function(h){h.removeAttribute("aria-sort")});` +
	`th.setAttribute("aria-sort",up?"ascending":"descending");` +
	`rows.sort(function(x,y){var p=x.cells[i].getAttribute("data-v")||x.cells[i].textContent,q=y.cells[i].getAttribute("data-v")||y.cells[i].textContent;` +
	`var m=parseFloat(p),n=parseFloat(q),c=(!isNaN(m)&&!isNaN(n))?m-n:p.localeCompare(q);return up?c:-c});` +
	`rows.forEach(function(r){b.appendChild(r)})})})});`

// csp is the page's Content-Security-Policy: nothing from anywhere, inline
// style, and the sort script by its hash (CSP Level 2, hash-source).
func csp() string {
	h := sha256.Sum256([]byte(sortScript))
	return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-" +
		base64.StdEncoding.EncodeToString(h[:]) + "'; base-uri 'none'; form-action 'none'"
}

// esc sanitizes and escapes captured text for HTML.
func esc(s string) string { return diagram.Escape(s) }

// Write writes the page for the captures.
func Write(w io.Writer, caps []Capture, o Options) error {
	p := &page{o: o}
	p.head(caps)
	p.summary(caps)
	p.table(caps)
	for ci := range caps {
		for _, s := range caps[ci].Sessions {
			p.session(ci, len(caps), s)
		}
	}
	p.raw(`<footer><p>Written by smtpscope. Every text from the capture is sanitized (control bytes, invalid UTF-8, bidi and invisible characters are spelled out) and escaped; the page loads nothing.</p></footer>`)
	p.raw(`<script>`, sortScript, `</script>`, "\n</body>\n</html>\n")
	_, err := io.WriteString(w, p.b.String())
	return err
}

// page accumulates the document.
type page struct {
	b strings.Builder
	o Options
}

func (p *page) raw(parts ...string) {
	for _, s := range parts {
		p.b.WriteString(s)
	}
}

func (p *page) head(caps []Capture) {
	title := "smtpscope report"
	if len(caps) == 1 {
		title += " — " + caps[0].Name
	}
	p.raw("<!DOCTYPE html>\n<html lang=\"en\"")
	switch p.o.Theme {
	case diagram.ThemeDark:
		p.raw(` class="dark"`)
	case diagram.ThemeLight:
		p.raw(` class="light"`)
	}
	p.raw(">\n<head>\n<meta charset=\"utf-8\">\n")
	p.raw(`<meta http-equiv="Content-Security-Policy" content="`, csp(), "\">\n")
	p.raw(`<meta name="viewport" content="width=device-width, initial-scale=1">`, "\n")
	p.raw(`<meta name="referrer" content="no-referrer">`, "\n")
	p.raw(`<title>`, esc(title), "</title>\n<style>", css(p.o.Theme), "</style>\n</head>\n<body>\n")
	p.raw(`<h1>`, esc(title), "</h1>\n")
	if !p.o.Now.IsZero() {
		p.raw(`<p class="muted">Generated `, esc(p.o.Now.UTC().Format(time.RFC3339)), "</p>\n")
	}
}

// itoa and i64 spell numbers.
func itoa(n int) string  { return strconv.Itoa(n) }
func i64(n int64) string { return strconv.FormatInt(n, 10) }
func anchor(ci int, s *session.Session, n int) string {
	if n == 1 {
		return "s" + i64(s.Stream)
	}
	return "f" + itoa(ci) + "s" + i64(s.Stream)
}
