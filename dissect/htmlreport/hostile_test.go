package htmlreport

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/diagram/hostiletest"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// pageElements is every element the page writes (HTML and inline SVG).
var pageElements = map[string]bool{
	"html": true, "head": true, "body": true, "meta": true, "title": true, "style": true, "script": true, "h1": true, "h2": true,
	"h3": true, "p": true, "section": true, "dl": true, "dt": true, "dd": true, "span": true, "table": true, "thead": true,
	"tbody": true, "tr": true, "th": true, "td": true, "a": true, "div": true, "details": true, "summary": true, "pre": true,
	"b": true, "code": true, "footer": true, "br": true,
	"svg": true, "rect": true, "line": true, "polygon": true, "path": true, "circle": true, "text": true, "tspan": true, "g": true,
}

func hostilePage(t *testing.T, th diagram.Theme) []byte {
	t.Helper()
	s := hostiletest.Session()
	caps := []Capture{{Name: hostiletest.Corpus()[1], Sessions: []*session.Session{s}, Limits: map[string]int64{hostiletest.Corpus()[0]: 1}, Err: hostiletest.Corpus()[3]}}
	var b bytes.Buffer
	if err := Write(&b, caps, Options{Theme: th}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHostileHTML parses the page of the hostile session as a browser would
// (golang.org/x/net/html) and fails on any element, attribute, URL, style
// or script that came from the capture.
func TestHostileHTML(t *testing.T) {
	for _, th := range []diagram.Theme{diagram.ThemeAuto, diagram.ThemeDark} {
		doc := hostilePage(t, th)
		if bytes.Contains(doc, []byte(hostiletest.PreviewMarker)) {
			t.Error("an attachment's content reached the page")
		}
		if !bytes.Contains(doc, []byte(`<table class="parts">`)) {
			t.Error("the hostile message's MIME parts are not on the page")
		}
		if !bytes.Contains(doc, []byte(hostiletest.Marker)) {
			t.Fatal("the hostile text is not on the page")
		}
		root, err := html.Parse(bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		scripts := 0
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			switch n.Type {
			case html.ElementNode:
				if !pageElements[n.Data] {
					t.Errorf("element <%s>", n.Data)
				}
				for _, a := range n.Attr {
					if strings.Contains(strings.ToUpper(a.Val), hostiletest.Marker) || strings.HasPrefix(a.Key, "on") {
						t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
					}
					if a.Key == "href" && !strings.HasPrefix(a.Val, "#") {
						t.Errorf("<%s href=%q>: only in-page links", n.Data, a.Val)
					}
				}
				if n.DataAtom == atom.Script {
					scripts++
					if n.FirstChild == nil || n.FirstChild.Data != sortScript || n.FirstChild.NextSibling != nil {
						t.Errorf("a script other than the sort script")
					}
				}
				if n.DataAtom == atom.Style {
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if strings.Contains(strings.ToUpper(c.Data), hostiletest.Marker) {
							t.Errorf("captured text inside <style>")
						}
					}
				}
			case html.TextNode:
				for _, r := range n.Data {
					if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
						t.Errorf("text node holds %U: %q", r, n.Data)
						break
					}
				}
			case html.CommentNode:
				t.Errorf("comment %q", n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(root)
		if scripts != 1 {
			t.Errorf("%d scripts, want the one sort script", scripts)
		}
	}
}

// TestCSPHash checks the page's policy allows exactly its script.
func TestCSPHash(t *testing.T) {
	doc := string(hostilePage(t, diagram.ThemeLight))
	if !strings.Contains(doc, csp()) || !strings.Contains(csp(), "default-src 'none'") {
		t.Errorf("policy missing or not strict: %q", csp())
	}
}
