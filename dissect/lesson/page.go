package lesson

import "github.com/smtpscope/smtpscope/dissect/session"

// Kind says what a lesson line is, so that each renderer can style it: the
// UI colours it, the Markdown deck puts event and evidence lines in code
// blocks and references as links.
type Kind uint8

// Line kinds.
const (
	Text     Kind = iota // a paragraph
	Heading              // a heading inside the page
	Note                 // a side remark
	Client               // an event the client sent ("C → S  …")
	Server               // an event the server sent ("C ← S  …")
	Divider              // where encryption starts
	Finding              // a finding's verdict line (Sev is set)
	Evidence             // captured bytes, escaped, credentials masked
	Refs                 // references (Refs is set)
	Blank                // an empty line
)

// Line is one line of a page. Text is plain, sanitized text.
type Line struct {
	Kind Kind
	Text string
	Sev  session.Severity // for Finding
	Refs []string         // for Refs: RFC sections and CVEs
}

// PageKind says what a page teaches.
type PageKind uint8

// Page kinds.
const (
	Intro   PageKind = iota // port roles, MSA and MTA, STARTTLS and implicit TLS
	Phase                   // one phase band of the timeline
	Concept                 // a concept that belongs at this point of the session
	Summary                 // the findings and what could not be assessed
)

// Page is one page of a session's lesson.
type Page struct {
	Title string
	Kind  PageKind
	// Phase is the phase a Phase page explains ("" otherwise).
	Phase session.Phase
	// Band is the index into Bands(s) of the band a Phase page explains
	// (-1 for the other pages).
	Band int
	// Concept names a Concept page (ConceptCode values); "" otherwise.
	Concept string
	Lines   []Line
}

// doc accumulates the lines of a page.
type doc struct{ lines []Line }

func (d *doc) add(k Kind, s string)     { d.lines = append(d.lines, Line{Kind: k, Text: s}) }
func (d *doc) text(s string)            { d.add(Text, s) }
func (d *doc) head(s string)            { d.add(Heading, s) }
func (d *doc) note(s string)            { d.add(Note, s) }
func (d *doc) blank()                   { d.add(Blank, "") }
func (d *doc) field(name, value string) { d.add(Text, name+": "+value) }
func (d *doc) refs(r []string) {
	if len(r) > 0 {
		d.lines = append(d.lines, Line{Kind: Refs, Refs: append([]string(nil), r...)})
	}
}
