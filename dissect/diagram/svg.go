package diagram

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Geometry of an SVG diagram, in px. The width suits a 16:9 slide; text is
// 13 px monospace (about 7.8 px a character) and 12–18 px sans.
const (
	width      = 1000
	deltaX     = 72  // right edge of the time deltas
	bandX      = 76  // left edge of the phase bands
	phaseX     = 82  // phase labels
	clientX    = 190 // client lifeline
	serverX    = 850 // server lifeline
	labelX     = 214 // arrow labels start here (after the lock)
	frameX     = 858 // frame numbers
	markX      = 915 // first finding marker
	headerH    = 128 // title and lifeline boxes
	rowH       = 30
	detailH    = 16 // the capabilities line of an EHLO reply
	dividerH   = 24
	charW      = 7.8
	legendLine = 18
)

// labelChars is how many label characters fit between the lifelines.
func labelChars() int { return (serverX - labelX - 10) * 10 / int(charW*10) }

// SVG draws s as an SVG document.
func SVG(w io.Writer, s *session.Session, o Options) error {
	return Build(s, o).WriteSVG(w, o.Theme)
}

// WriteSVG draws the diagram as an SVG document in theme t.
func (d *Diagram) WriteSVG(w io.Writer, t Theme) error {
	var b strings.Builder
	d.svg(&b, newPaint(t))
	_, err := io.WriteString(w, b.String())
	return err
}

// svgWriter accumulates the document.
type svgWriter struct {
	b *strings.Builder
	p paint
}

func (w svgWriter) raw(parts ...string) {
	for _, s := range parts {
		w.b.WriteString(s)
	}
}

// text writes a <text> element; content is escaped here, attrs are the
// package's own constants and numbers only.
func (w svgWriter) text(x, y float64, attrs, content string) {
	w.raw(`<text x="`, num(x), `" y="`, num(y), `" `, attrs, `>`, Escape(content), `</text>`)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (d *Diagram) svg(b *strings.Builder, p paint) {
	w := svgWriter{b, p}
	heights := make([]int, len(d.Rows))
	y := headerH
	for i, r := range d.Rows {
		heights[i] = rowHeight(&r)
		y += heights[i]
	}
	rowsEnd := y
	legendTop := rowsEnd + 20
	legendH := 24 + legendLine*2 // the key
	if len(d.Marks) > 0 {
		legendH += 26 + len(d.Marks)*legendLine*2
	}
	height := legendTop + legendH + 8
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="smtpscope-diagram" width="`, itoa(width), `" height="`, itoa(height),
		`" viewBox="0 0 `, itoa(width), ` `, itoa(height), `" role="img" font-family="`, fontSans, `">`)
	w.raw(`<title>`, Escape(d.Title+" — "+d.Subtitle), `</title>`)
	if css := p.style(); css != "" {
		w.raw(`<style>`, css, `</style>`)
	}
	w.raw(`<rect x="0" y="0" width="`, itoa(width), `" height="`, itoa(height), `" `, p.fill("bg"), `/>`)
	w.text(16, 28, `font-size="18" font-weight="700" `+p.fill("fg"), d.Title)
	w.text(16, 48, `font-size="12" `+p.fill("muted"), shorten(d.Subtitle, 150))
	d.lifelineBox(w, clientX, 200, d.Client)
	d.lifelineBox(w, serverX, 250, d.Server)
	d.bands(w, heights)
	w.raw(`<line x1="`, itoa(clientX), `" y1="116" x2="`, itoa(clientX), `" y2="`, itoa(rowsEnd), `" stroke-width="2" `, p.stroke("life"), `/>`)
	w.raw(`<line x1="`, itoa(serverX), `" y1="116" x2="`, itoa(serverX), `" y2="`, itoa(rowsEnd), `" stroke-width="2" `, p.stroke("life"), `/>`)
	y = headerH
	for i := range d.Rows {
		d.row(w, &d.Rows[i], y)
		y += heights[i]
	}
	d.legend(w, legendTop)
	w.raw(`</svg>`, "\n")
}

func itoa(n int) string { return strconv.Itoa(n) }

// rowHeight is the height of a row.
func rowHeight(r *Row) int {
	switch r.Kind {
	case RowDivider, RowOmitted:
		return dividerH
	}
	if r.Detail != "" {
		return rowH + detailH
	}
	return rowH
}

// lifelineBox draws the box naming one side at the top of its lifeline.
func (d *Diagram) lifelineBox(w svgWriter, cx, bw int, l Lifeline) {
	x := cx - bw/2
	w.raw(`<rect x="`, itoa(x), `" y="62" width="`, itoa(bw), `" height="54" rx="6" stroke-width="1.5" `, w.p.fillStroke("box", "life"), `/>`)
	w.text(float64(cx), 80, `text-anchor="middle" font-size="14" font-weight="700" `+w.p.fill("fg"), l.Name)
	w.text(float64(cx), 96, `text-anchor="middle" font-size="12" font-family="`+fontMono+`" `+w.p.fill("fg"), shorten(l.Addr, 30))
	if l.Role != "" {
		w.text(float64(cx), 111, `text-anchor="middle" font-size="12" `+w.p.fill("muted"), l.Role)
	}
}

// bands draws one coloured band per run of rows of the same phase, with the
// phase name at its top left.
func (d *Diagram) bands(w svgWriter, heights []int) {
	y := headerH
	for i := 0; i < len(d.Rows); {
		ph := d.Rows[i].Phase
		top, j := y, i
		for j < len(d.Rows) && (d.Rows[j].Phase == ph || d.Rows[j].Kind == RowOmitted) {
			y += heights[j]
			j++
		}
		w.raw(`<rect x="`, itoa(bandX), `" y="`, itoa(top), `" width="`, itoa(width-bandX-4), `" height="`, itoa(y-top), `" `, w.p.fill(bandRole(ph)), `/>`)
		if ph != "" {
			w.text(phaseX, float64(top+14), `font-size="11" font-weight="700" letter-spacing="0.3" `+w.p.fill("muted"), string(ph))
		}
		i = j
	}
}

// row draws one row whose top is at y.
func (d *Diagram) row(w svgWriter, r *Row, y int) {
	p := w.p
	switch r.Kind {
	case RowDivider:
		mid := y + dividerH/2 + 2
		w.raw(`<line x1="`, itoa(bandX), `" y1="`, itoa(mid), `" x2="`, itoa(width-4), `" y2="`, itoa(mid), `" stroke-width="1.5" stroke-dasharray="8 5" `, p.stroke("divider"), `/>`)
		w.text(labelX, float64(mid-4), `font-size="11" font-weight="700" `+p.fill("divider"), r.Label)
		return
	case RowOmitted:
		w.text(float64((clientX+serverX)/2), float64(y+16), `text-anchor="middle" font-size="12" font-style="italic" `+p.fill("muted"), r.Label)
		return
	}
	w.raw(`<g>`)
	w.raw(`<title>`, Escape(fullText(r)), `</title>`)
	if r.HasDelta && r.Delta > 0 {
		w.text(deltaX, float64(y+24), `text-anchor="end" font-size="11" font-family="`+fontMono+`" `+p.fill("muted"), "+"+delta(r.Delta))
	} else if !r.HasDelta {
		w.text(deltaX, float64(y+24), `text-anchor="end" font-size="11" font-family="`+fontMono+`" `+p.fill("muted"), "0 ms")
	}
	if r.Frame > 0 {
		w.text(frameX, float64(y+24), `font-size="11" font-family="`+fontMono+`" `+p.fill("muted"), strconv.FormatInt(r.Frame, 10))
	}
	role := "c2s"
	if r.Dir == wire.ServerToClient {
		role = "s2c"
	}
	if r.Encrypted {
		role = "enc"
	}
	if r.Anomaly {
		role = "anom"
	}
	ay := y + 20
	dash := ""
	if r.Encrypted {
		dash = ` stroke-dasharray="7 4"`
	}
	w.raw(`<line x1="`, itoa(clientX), `" y1="`, itoa(ay), `" x2="`, itoa(serverX), `" y2="`, itoa(ay), `" stroke-width="2"`, dash, ` `, p.stroke(role), `/>`)
	right := r.Dir == wire.ClientToServer
	head(w, role, right, ay)
	if r.Both {
		head(w, role, !right, ay)
	}
	x := float64(labelX)
	if r.Locked {
		lock(w, labelX-18, ay-6)
	}
	var label strings.Builder
	label.WriteString(`<text x="`)
	label.WriteString(num(x))
	label.WriteString(`" y="`)
	label.WriteString(itoa(ay - 6))
	label.WriteString(`" font-size="13" font-family="`)
	label.WriteString(fontMono)
	label.WriteString(`" `)
	label.WriteString(p.fill("fg"))
	label.WriteString(`>`)
	room := labelChars()
	if r.Code != 0 {
		code := strconv.Itoa(r.Code)
		label.WriteString(`<tspan font-weight="700" ` + p.fill(codeRole(r.Code)) + `>` + code + `</tspan> `)
		room -= len(code) + 1
	}
	label.WriteString(Escape(shorten(r.Label, room)))
	label.WriteString(`</text>`)
	w.raw(label.String())
	if r.Detail != "" {
		w.text(x, float64(ay+14), `font-size="11.5" font-family="`+fontMono+`" `+p.fill("muted"), shorten(r.Detail, (serverX-labelX)/7))
	}
	for k, n := range r.Marks {
		if k == 3 {
			w.text(float64(markX+22*k-8), float64(y+19), `font-size="11" `+p.fill("muted"), "+"+strconv.Itoa(len(r.Marks)-k))
			break
		}
		sev := d.Marks[n-1].Severity
		cx := markX + 22*k
		w.raw(`<circle cx="`, itoa(cx), `" cy="`, itoa(y+15), `" r="9" `, p.fill(sevRole(sev)), `/>`)
		w.raw(`<text x="`, itoa(cx), `" y="`, itoa(y+19), `" text-anchor="middle" font-size="11" font-weight="700" `, p.fill("bg"), `>`, itoa(n), `</text>`)
	}
	if len(r.Marks) > 0 {
		sev := d.Marks[r.Marks[0]-1].Severity
		w.raw(`<rect x="`, itoa(bandX), `" y="`, itoa(y+2), `" width="4" height="`, itoa(rowHeight(r)-4), `" `, p.fill(sevRole(sev)), `/>`)
	}
	w.raw(`</g>`)
}

// fullText is a row's whole text, for its tooltip.
func fullText(r *Row) string {
	s := r.Label
	if r.Code != 0 {
		s = strconv.Itoa(r.Code) + " " + s
	}
	if r.Detail != "" {
		s += " — " + r.Detail
	}
	if r.Frame > 0 {
		s += " (frame " + strconv.FormatInt(r.Frame, 10) + ")"
	}
	return s
}

// head draws an arrowhead at the server end (right) or the client end.
func head(w svgWriter, role string, right bool, y int) {
	x, dx := serverX, -10
	if !right {
		x, dx = clientX, 10
	}
	w.raw(`<polygon points="`, itoa(x), `,`, itoa(y), ` `, itoa(x+dx), `,`, itoa(y-5), ` `, itoa(x+dx), `,`, itoa(y+5), `" `, w.p.fill(role), `/>`)
}

// lock draws a small padlock (no font needed) with its top left at x, y-9.
func lock(w svgWriter, x, y int) {
	w.raw(`<path d="M`, itoa(x+3), ` `, itoa(y-5), `v-2.5a3 3 0 0 1 6 0v2.5" fill="none" stroke-width="1.6" `, w.p.stroke("lock"), `/>`)
	w.raw(`<rect x="`, itoa(x+1), `" y="`, itoa(y-5), `" width="10" height="7" rx="1.5" `, w.p.fill("lock"), `/>`)
}

// codeRole colours a reply code by its class (RFC 5321, Section 4.2.1).
func codeRole(code int) string {
	switch code / 100 {
	case 2:
		return "code2"
	case 3:
		return "code3"
	case 4:
		return "code4"
	}
	return "code5"
}

// sevRole colours a severity.
func sevRole(s session.Severity) string {
	switch s {
	case session.SevCrit, session.SevHigh, session.SevMedium, session.SevLow:
		return string(s)
	}
	return "info"
}

// delta spells a time delta: "0.25 ms", "20.4 ms", "1.20 s".
func delta(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 1:
		return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
}

// legend draws the key and the findings.
func (d *Diagram) legend(w svgWriter, top int) {
	p := w.p
	y := top + 14
	w.text(16, float64(y), `font-size="12" font-weight="700" `+p.fill("fg"), "Key")
	y += legendLine
	x := 16
	item := func(role, dash, text string) {
		w.raw(`<line x1="`, itoa(x), `" y1="`, itoa(y-4), `" x2="`, itoa(x+28), `" y2="`, itoa(y-4), `" stroke-width="2"`, dash, ` `, p.stroke(role), `/>`)
		w.text(float64(x+34), float64(y), `font-size="12" `+p.fill("muted"), text)
		x += 34 + int(float64(len(text))*6.6) + 22
	}
	item("c2s", "", "client → server")
	item("s2c", "", "server → client")
	item("enc", ` stroke-dasharray="7 4"`, "TLS record (dashed: unreadable)")
	lock(w, x, y+1)
	w.text(float64(x+16), float64(y), `font-size="12" `+p.fill("muted"), "read inside TLS (key log)")
	y += legendLine
	w.text(16, float64(y), `font-size="12" `+p.fill("muted"), "Left margin: time since the previous line; right margin: frame number, then the findings.")
	if len(d.Marks) == 0 {
		return
	}
	y += 26
	w.text(16, float64(y), `font-size="12" font-weight="700" `+p.fill("fg"), "Findings")
	for _, m := range d.Marks {
		y += legendLine
		w.raw(`<circle cx="25" cy="`, itoa(y-4), `" r="9" `, p.fill(sevRole(m.Severity)), `/>`)
		w.raw(`<text x="25" y="`, itoa(y), `" text-anchor="middle" font-size="11" font-weight="700" `, p.fill("bg"), `>`, itoa(m.N), `</text>`)
		head := strings.ToUpper(string(m.Severity)) + "  " + m.Code
		if m.Title != "" {
			head += " — " + m.Title
		}
		if !m.Shown {
			head += "  (evidence not in this view)"
		}
		w.text(42, float64(y), `font-size="12.5" font-weight="700" `+p.fill(sevRole(m.Severity)), shorten(head, 130))
		y += legendLine
		w.text(42, float64(y), `font-size="12" `+p.fill("muted"), shorten(m.Summary+framesText(m.Frames), 150))
	}
}

// framesText is " (frames 7, 8)".
func framesText(fs []int64) string {
	if len(fs) == 0 {
		return ""
	}
	parts := make([]string, 0, len(fs))
	for i, f := range fs {
		if i == 8 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, strconv.FormatInt(f, 10))
	}
	noun := " (frames "
	if len(fs) == 1 {
		noun = " (frame "
	}
	return noun + strings.Join(parts, ", ") + ")"
}
