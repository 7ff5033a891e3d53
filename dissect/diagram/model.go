package diagram

import (
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Theme chooses the colours of an SVG.
type Theme uint8

// Themes. ThemeAuto draws light colours and switches to dark ones when the
// viewer prefers a dark colour scheme (CSS prefers-color-scheme).
const (
	ThemeAuto Theme = iota
	ThemeLight
	ThemeDark
)

// String returns "auto", "light" or "dark".
func (t Theme) String() string {
	switch t {
	case ThemeLight:
		return "light"
	case ThemeDark:
		return "dark"
	}
	return "auto"
}

// ParseTheme reads "auto", "light" or "dark" ("" is auto).
func ParseTheme(s string) (Theme, bool) {
	switch s {
	case "", "auto":
		return ThemeAuto, true
	case "light":
		return ThemeLight, true
	case "dark":
		return ThemeDark, true
	}
	return ThemeAuto, false
}

// Options say what to draw. The zero value draws the whole session, folds
// runs of two or more encrypted records, masks credentials and uses
// ThemeAuto.
type Options struct {
	// Reveal keeps AUTH passwords the model carries; otherwise every
	// password the session's AUTH attempts name is masked in every label.
	Reveal bool
	Theme  Theme
	// From and To restrict the diagram to a phase range (for lesson pages):
	// from the first event of phase From to the last event of phase To, in
	// timeline order. Empty means the start (From) or the end (To).
	From, To session.Phase
	// MaxRows bounds the rows drawn (default DefaultMaxRows); the rest is
	// counted in Diagram.Omitted and said in the last row.
	MaxRows int
	// FoldMin is the shortest run of encrypted records folded into one
	// arrow (default 2).
	FoldMin int
}

// DefaultMaxRows is the default bound on the rows of one diagram: it keeps
// an SVG of a pathological session under about a megabyte.
const DefaultMaxRows = 600

// RowKind says what a row of the diagram shows.
type RowKind uint8

// Row kinds.
const (
	RowArrow   RowKind = iota // one event
	RowFold                   // a folded run of encrypted records
	RowDivider                // the clear-text/encrypted boundary
	RowOmitted                // rows past Options.MaxRows
)

// Row is one line of the diagram. Every string in it is sanitized, masked
// and ready to escape.
type Row struct {
	Kind  RowKind
	Phase session.Phase
	Dir   wire.Dir
	// Both is set on a fold with records in both directions.
	Both   bool
	Frame  int64
	Frames []int64 // every frame the row covers (evidence matching)
	Time   time.Time
	// Delta is the time since the previous row (HasDelta false on the first).
	Delta    time.Duration
	HasDelta bool
	// Code is the reply code drawn on a reply arrow (0 for none).
	Code   int
	Label  string
	Detail string // a second line: the EHLO capabilities
	// Locked marks SMTP read inside TLS (decrypted with a key log).
	Locked bool
	// Encrypted marks TLS records and folds (drawn dashed).
	Encrypted bool
	Anomaly   bool
	// Marks are the 1-based numbers of the findings (Diagram.Marks) whose
	// evidence includes this row.
	Marks []int
}

// Mark is one finding in the legend.
type Mark struct {
	N        int
	Severity session.Severity
	Code     string
	Title    string // from the findings catalogue
	Summary  string
	Frames   []int64
	// Shown is false when none of its evidence frames is drawn.
	Shown bool
}

// Lifeline is one side of the conversation.
type Lifeline struct {
	Name string // "Client", "Server"
	Addr string // "ip:port"
	Role string // e.g. "MSA · submission 587", "" for the client
}

// Diagram is the layout-free content of a session's sequence diagram.
type Diagram struct {
	Title          string
	Subtitle       string
	Client, Server Lifeline
	Start          time.Time
	Rows           []Row
	Marks          []Mark
	// Omitted counts events not drawn because of Options.MaxRows.
	Omitted int
}

// mask is how masked credentials read (as in package smtp).
const mask = "********"

// Build lays out s for drawing. It never changes s.
func Build(s *session.Session, o Options) *Diagram {
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.FoldMin <= 1 {
		o.FoldMin = 2
	}
	d := &Diagram{
		Title:    title(s),
		Subtitle: subtitle(s),
		Client:   Lifeline{Name: "Client", Addr: clean(s.Client.String())},
		Server:   Lifeline{Name: "Server", Addr: clean(s.Server.String()), Role: RoleText(s)},
		Start:    s.Start,
	}
	secrets := secretsOf(s, o.Reveal)
	lo, hi := phaseRange(s, o.From, o.To)
	var prev time.Time
	divided := false
	for i := 0; i < lo && i < len(s.Timeline); i++ {
		if isTLSEvent(&s.Timeline[i]) {
			divided = true
		}
	}
	add := func(r Row) bool {
		if len(d.Rows) >= o.MaxRows {
			return false
		}
		if !prev.IsZero() && !r.Time.IsZero() {
			r.Delta, r.HasDelta = r.Time.Sub(prev), true
		}
		if !r.Time.IsZero() {
			prev = r.Time
		}
		d.Rows = append(d.Rows, r)
		return true
	}
	for i := lo; i < hi; {
		e := &s.Timeline[i]
		// The hellos are in clear; the line goes before the first event
		// TLS hides (session.Protected: RFC 8446 Section 2, RFC 5246
		// Section 7.1).
		if !divided && s.Protected(e) {
			divided = true
			if len(d.Rows) < o.MaxRows-1 {
				ph := e.Phase // the boundary closes the band before it
				if n := len(d.Rows); n > 0 {
					ph = d.Rows[n-1].Phase
				}
				d.Rows = append(d.Rows, Row{Kind: RowDivider, Phase: ph, Label: session.EncryptedFrom(s.TLS.Version)})
			}
		}
		var r Row
		next := i + 1
		if j := runEnd(s, i, hi); j-i >= o.FoldMin || e.Kind == session.KindTLSBulk {
			if e.Kind == session.KindTLSBulk {
				j = i + 1
			}
			r = foldRow(s, i, j)
			next = j
		} else {
			r = eventRow(s, e)
		}
		r.Label = maskSecrets(r.Label, secrets)
		r.Detail = maskSecrets(r.Detail, secrets)
		if !add(r) {
			d.Omitted = countEvents(s, i, hi)
			d.Rows = append(d.Rows, Row{Kind: RowOmitted, Label: strconv.Itoa(d.Omitted) + " more events not drawn (limit " + strconv.Itoa(o.MaxRows) + " rows)"})
			break
		}
		i = next
	}
	d.Marks = marks(s, d.Rows, secrets)
	return d
}

// countEvents counts the timeline events in [i, hi).
func countEvents(s *session.Session, i, hi int) int { return hi - i }

// phaseRange returns the timeline slice [lo, hi) from the first event of
// phase from to the last event of phase to.
func phaseRange(s *session.Session, from, to session.Phase) (int, int) {
	lo, hi := 0, len(s.Timeline)
	if from != "" {
		lo = hi
		for i := range s.Timeline {
			if s.Timeline[i].Phase == from {
				lo = i
				break
			}
		}
	}
	if to != "" {
		hi = lo
		for i := len(s.Timeline) - 1; i >= lo; i-- {
			if s.Timeline[i].Phase == to {
				hi = i + 1
				break
			}
		}
	}
	return lo, hi
}

// RoleText names the server's role by its port: "MTA · relay 25",
// "MSA · submission 587", "MSA · implicit TLS 465" or "port N".
func RoleText(s *session.Session) string {
	switch s.PortRole {
	case session.RoleRelay:
		return "MTA · relay " + strconv.Itoa(int(s.Server.Port)) // RFC 5321
	case session.RoleSubmission:
		return "MSA · submission " + strconv.Itoa(int(s.Server.Port)) // RFC 6409
	case session.RoleSubmissions:
		return "MSA · implicit TLS " + strconv.Itoa(int(s.Server.Port)) // RFC 8314, Section 3
	}
	return "port " + strconv.Itoa(int(s.Server.Port))
}

// title is "Session #N: client → server".
func title(s *session.Session) string {
	return "Session #" + strconv.FormatInt(s.Stream, 10) + "  " + clean(s.Client.String()) + " → " + clean(s.Server.String())
}

// subtitle says the TLS mode, version, cipher and SNI.
func subtitle(s *session.Session) string {
	var parts []string
	switch s.TLS.Mode {
	case session.TLSStartTLS:
		parts = append(parts, "STARTTLS")
	case session.TLSImplicit:
		parts = append(parts, "implicit TLS")
	default:
		parts = append(parts, "plaintext")
	}
	for _, p := range []string{s.TLS.Version, s.TLS.Cipher} {
		if p != "" {
			parts = append(parts, clean(p))
		}
	}
	if s.TLS.SNI != "" {
		parts = append(parts, "SNI "+clean(s.TLS.SNI))
	}
	if s.TLS.Decrypted {
		parts = append(parts, "decrypted with a key log")
	} else if s.TLS.Mode != session.TLSNone && s.TLS.EncryptedRecords > 0 {
		parts = append(parts, "not decrypted")
	}
	parts = append(parts, "frames "+strconv.FormatInt(s.FirstFrame, 10)+"–"+strconv.FormatInt(s.LastFrame, 10))
	if !s.Start.IsZero() {
		parts = append(parts, s.Start.UTC().Format("2006-01-02 15:04:05.000 UTC"))
	}
	return strings.Join(parts, " · ")
}

// isTLSEvent reports TLS traffic or SMTP read inside TLS.
func isTLSEvent(e *session.Event) bool {
	return e.InTLS || e.Kind == session.KindTLS || e.Kind == session.KindTLSBulk
}

// unreadable reports a TLS record event whose content could not be read.
func unreadable(s *session.Session, e *session.Event) bool {
	if e.Kind != session.KindTLS || e.Ref < 0 || e.Ref >= len(s.TLSRecords) {
		return false
	}
	r := &s.TLSRecords[e.Ref]
	return r.Encrypted && !r.Decrypted
}

// runEnd returns the end (exclusive, at most hi) of the run of unreadable
// records of one phase starting at i.
func runEnd(s *session.Session, i, hi int) int {
	j := i
	for j < hi && unreadable(s, &s.Timeline[j]) && s.Timeline[j].Phase == s.Timeline[i].Phase {
		j++
	}
	return j
}

// foldRow folds the events [i, j) into one arrow: "× 14 records, 3.2 KB".
func foldRow(s *session.Session, i, j int) Row {
	e := &s.Timeline[i]
	r := Row{Kind: RowFold, Phase: e.Phase, Dir: e.Dir, Frame: e.Frame, Time: e.Time, Encrypted: true}
	count, bytes := 0, int64(0)
	for k := i; k < j; k++ {
		ev := &s.Timeline[k]
		if ev.Dir != e.Dir {
			r.Both = true
		}
		r.Frames = appendFrames(r.Frames, ev)
		if ev.Kind == session.KindTLSBulk {
			count += ev.Count
			bytes += ev.Bytes
			continue
		}
		count++
		if ev.Ref >= 0 && ev.Ref < len(s.TLSRecords) {
			bytes += int64(s.TLSRecords[ev.Ref].Length)
		}
	}
	noun := " encrypted records, "
	if count == 1 {
		noun = " encrypted record, "
	}
	r.Label = "× " + strconv.Itoa(count) + noun + humanBytes(bytes)
	return r
}

// appendFrames adds the frames of e to fs.
func appendFrames(fs []int64, e *session.Event) []int64 {
	if len(e.Frames) > 0 {
		return append(fs, e.Frames...)
	}
	return append(fs, e.Frame)
}

// eventRow draws one event.
func eventRow(s *session.Session, e *session.Event) Row {
	r := Row{Kind: RowArrow, Phase: e.Phase, Dir: e.Dir, Frame: e.Frame, Time: e.Time}
	r.Frames = appendFrames(nil, e)
	switch e.Kind {
	case session.KindReply:
		if e.Ref >= 0 && e.Ref < len(s.Replies) {
			rp := &s.Replies[e.Ref]
			r.Code = rp.Code
			r.Label, r.Detail = replyText(s, rp)
		}
	case session.KindTLS:
		r.Encrypted = unreadable(s, e)
	case session.KindAnomaly:
		r.Anomaly = true
	}
	if r.Label == "" && r.Code == 0 {
		r.Label = clean(e.Summary)
		if r.Label == "" {
			r.Label = string(e.Kind)
		}
	}
	if r.Anomaly {
		r.Label = "anomaly: " + r.Label
	}
	// RFC 3207, Section 4.2 / RFC 8314: SMTP read from inside TLS (a key
	// log decrypted it) carries a lock.
	switch e.Kind {
	case session.KindCommand, session.KindReply, session.KindAuth, session.KindData, session.KindMessage:
		r.Locked = e.InTLS
	}
	return r
}

// replyText returns a reply's first line without its code, and for an EHLO
// reply its capabilities (the following lines, RFC 5321, Section 4.1.1.1).
func replyText(s *session.Session, rp *session.Reply) (label, detail string) {
	code := strconv.Itoa(rp.Code)
	lineText := func(l string) string {
		l = strings.TrimPrefix(l, code)
		if len(l) > 0 && (l[0] == '-' || l[0] == ' ') {
			l = l[1:]
		}
		return clean(strings.TrimSpace(l))
	}
	if len(rp.Lines) > 0 {
		label = lineText(rp.Lines[0])
	}
	if len(rp.Lines) > 1 {
		ehlo := rp.Command >= 0 && rp.Command < len(s.Commands) &&
			(s.Commands[rp.Command].Verb == "EHLO" || s.Commands[rp.Command].Verb == "LHLO")
		if ehlo {
			caps := make([]string, 0, len(rp.Lines)-1)
			for _, l := range rp.Lines[1:] {
				caps = append(caps, lineText(l))
			}
			detail = strings.Join(caps, " · ")
		} else {
			label += " (+" + strconv.Itoa(len(rp.Lines)-1) + " lines)"
		}
	}
	return label, detail
}

// secretsOf lists the passwords to mask: those the session's AUTH attempts
// carry unmasked (a model built with Reveal), unless reveal.
func secretsOf(s *session.Session, reveal bool) []string {
	if reveal {
		return nil
	}
	var out []string
	for _, a := range s.Auth {
		if a.Password != "" && a.Password != mask {
			out = append(out, clean(a.Password))
		}
	}
	return out
}

// maskSecrets replaces every secret in text with the mask; and the value of
// an AUTH "password=" line (RFC 4954) whatever it is, when secrets are
// masked at all.
func maskSecrets(text string, secrets []string) string {
	for _, p := range secrets {
		text = strings.ReplaceAll(text, p, mask)
	}
	if len(secrets) > 0 {
		if i := strings.Index(text, "password="); i >= 0 {
			text = text[:i+len("password=")] + mask
		}
	}
	return text
}

// marks numbers the findings and puts each on the rows holding one of its
// evidence frames (FINDINGS.md: every finding names its frames).
func marks(s *session.Session, rows []Row, secrets []string) []Mark {
	out := make([]Mark, 0, len(s.Findings))
	for i := range s.Findings {
		f := &s.Findings[i]
		m := Mark{N: i + 1, Severity: f.Severity, Code: clean(f.Code), Summary: maskSecrets(clean(f.Summary), secrets), Frames: f.Frames}
		if x, ok := findings.Explain(f.Code); ok {
			m.Title = x.Title
		}
		for k := range rows {
			if shares(rows[k].Frames, f.Frames) {
				rows[k].Marks = append(rows[k].Marks, m.N)
				m.Shown = true
			}
		}
		out = append(out, m)
	}
	return out
}

// shares reports whether the two frame lists meet.
func shares(a, b []int64) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
