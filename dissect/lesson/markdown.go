package lesson

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// Deck is the lesson of one session for the Markdown handout.
type Deck struct {
	// Title names the session ("#0 192.0.2.20:50412 → 198.51.100.25:587").
	Title string
	// Diagram is the file name of the session's SVG diagram beside the
	// deck, "" for none.
	Diagram string
	Pages   []Page
}

// WriteMarkdown writes decks as Markdown: a level-1 heading per session,
// a level-2 heading per page, event and evidence lines in fenced code
// blocks, references as links to the RFC Editor and the CVE list. Text
// lines are escaped so that captured text cannot become markup.
func WriteMarkdown(w io.Writer, title string, decks []Deck) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("# " + escapeMD(title) + "\n\n")
	for _, dk := range decks {
		bw.WriteString("# " + escapeMD(dk.Title) + "\n\n")
		if dk.Diagram != "" {
			bw.WriteString("![Sequence diagram of " + escapeMD(dk.Title) + "](" + linkPath(dk.Diagram) + ")\n\n")
		}
		for i, p := range dk.Pages {
			bw.WriteString("## " + strconv.Itoa(i+1) + ". " + escapeMD(p.Title) + "\n\n")
			writeLines(bw, p.Lines)
		}
	}
	return bw.Flush()
}

// codeKind reports whether lines of kind k go in a code block.
func codeKind(k Kind) bool { return k == Client || k == Server || k == Divider || k == Evidence }

// writeLines writes one page's lines.
func writeLines(bw *bufio.Writer, lines []Line) {
	for i := 0; i < len(lines); {
		l := lines[i]
		if codeKind(l.Kind) {
			j := i
			for j < len(lines) && codeKind(lines[j].Kind) && (lines[j].Kind == Evidence) == (l.Kind == Evidence) {
				j++
			}
			writeCode(bw, lines[i:j])
			i = j
			continue
		}
		switch l.Kind {
		case Heading:
			bw.WriteString("### " + escapeMD(l.Text) + "\n\n")
		case Note:
			bw.WriteString("*" + escapeMD(strings.TrimSpace(l.Text)) + "*\n\n")
		case Finding:
			bw.WriteString("**" + escapeMD(strings.TrimSpace(l.Text)) + "**\n\n")
		case Refs:
			bw.WriteString("References: ")
			for k, r := range l.Refs {
				if k > 0 {
					bw.WriteString("; ")
				}
				bw.WriteString(refLink(r))
			}
			bw.WriteString("\n\n")
		case Blank:
		default:
			if t := strings.TrimSpace(l.Text); t != "" {
				bw.WriteString(escapeMD(t) + "\n\n")
			}
		}
		i++
	}
}

// writeCode writes lines as one fenced block, the fence longer than any
// run of backticks inside.
func writeCode(bw *bufio.Writer, lines []Line) {
	longest := 0
	for _, l := range lines {
		run := 0
		for _, c := range sanitize.String(l.Text) {
			if c == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	bw.WriteString(fence + "text\n")
	for _, l := range lines {
		bw.WriteString(sanitize.String(l.Text) + "\n")
	}
	bw.WriteString(fence + "\n\n")
}

// escapeMD backslash-escapes the characters Markdown gives a meaning to
// (CommonMark, "Backslash escapes": any ASCII punctuation may be escaped).
func escapeMD(s string) string {
	var b strings.Builder
	for _, c := range sanitize.String(s) { // the model's strings are sanitized already; a deck is output too
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '!', '~', '(', ')', '{', '}', '&':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// linkPath makes a relative file name safe inside a Markdown link target.
func linkPath(p string) string {
	r := strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
	return r.Replace(p)
}

// refLink links an "RFC N, Section X" or "RFC N" citation to the RFC
// Editor, and a CVE to the CVE list; anything else stays text.
func refLink(r string) string {
	switch {
	case strings.HasPrefix(r, "RFC "):
		num, sec, _ := strings.Cut(strings.TrimPrefix(r, "RFC "), ", Section ")
		if !digits(num) || (sec != "" && !digits(strings.ReplaceAll(sec, ".", ""))) {
			return escapeMD(r)
		}
		u := "https://www.rfc-editor.org/rfc/rfc" + num
		if sec != "" {
			u += "#section-" + sec
		}
		return "[" + escapeMD(r) + "](" + u + ")"
	case strings.HasPrefix(r, "CVE-") && digits(strings.ReplaceAll(strings.TrimPrefix(r, "CVE-"), "-", "")):
		return "[" + r + "](https://www.cve.org/CVERecord?id=" + r + ")"
	}
	return escapeMD(r)
}

// digits reports whether s is a non-empty string of ASCII digits.
func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
