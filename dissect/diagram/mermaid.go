package diagram

import (
	"io"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Mermaid writes s as a Mermaid sequenceDiagram: participants C and S,
// one rect per phase band, solid arrows from the client, dashed replies,
// async (open) arrows for TLS records, notes for folds, the encryption
// boundary and findings. Mermaid has no margin, so time deltas are left out.
func Mermaid(w io.Writer, s *session.Session, o Options) error {
	return Build(s, o).WriteMermaid(w)
}

// mermaidBand is the translucent colour of every band: readable on light
// and dark Mermaid themes alike.
var bandColours = map[session.Phase]string{
	session.PhaseTCPHandshake: "rgba(140,149,159,0.15)",
	session.PhaseGreeting:     "rgba(26,127,55,0.12)",
	session.PhaseEHLO:         "rgba(11,92,173,0.12)",
	session.PhaseStartTLS:     "rgba(212,167,44,0.18)",
	session.PhaseTLSHandshake: "rgba(130,80,223,0.14)",
	session.PhaseEncrypted:    "rgba(130,80,223,0.22)",
	session.PhaseAuth:         "rgba(207,34,46,0.12)",
	session.PhaseEnvelope:     "rgba(27,124,131,0.14)",
	session.PhaseData:         "rgba(188,76,0,0.12)",
	session.PhaseQuit:         "rgba(140,149,159,0.15)",
	session.PhaseTeardown:     "rgba(140,149,159,0.10)",
}

// WriteMermaid writes the diagram as a Mermaid sequenceDiagram.
func (d *Diagram) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("%% " + mermaidText(d.Title) + "\n")
	b.WriteString("sequenceDiagram\n")
	b.WriteString("    participant C as " + mermaidText(d.Client.Name+" "+d.Client.Addr) + "\n")
	b.WriteString("    participant S as " + mermaidText(d.Server.Name+" "+d.Server.Addr+" ("+d.Server.Role+")") + "\n")
	var open session.Phase
	inRect := false
	for i := range d.Rows {
		r := &d.Rows[i]
		if r.Kind != RowOmitted && r.Phase != open {
			if inRect {
				b.WriteString("    end\n")
			}
			open = r.Phase
			colour, ok := bandColours[r.Phase]
			if !ok {
				colour = "rgba(140,149,159,0.10)"
			}
			b.WriteString("    rect " + colour + "\n")
			b.WriteString("    Note over C,S: " + mermaidText(string(r.Phase)) + "\n")
			inRect = true
		}
		switch r.Kind {
		case RowDivider, RowOmitted:
			b.WriteString("    Note over C,S: " + mermaidText(r.Label) + "\n")
			continue
		case RowFold:
			if r.Both {
				b.WriteString("    Note over C,S: " + mermaidText(r.Label) + "\n")
				break
			}
			b.WriteString("    " + arrow(r) + ": " + mermaidText(r.Label) + "\n")
		default:
			b.WriteString("    " + arrow(r) + ": " + mermaidText(rowText(r)) + "\n")
		}
		for _, n := range r.Marks {
			m := &d.Marks[n-1]
			b.WriteString("    Note right of S: " + mermaidText("["+strconv.Itoa(n)+"] "+string(m.Severity)+" "+m.Code) + "\n")
		}
	}
	if inRect {
		b.WriteString("    end\n")
	}
	for _, m := range d.Marks {
		b.WriteString("%% finding " + strconv.Itoa(m.N) + " " + mermaidText(string(m.Severity)+" "+m.Code+": "+m.Summary) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// arrow is the Mermaid arrow of a row: ->> from the client, -->> replies,
// -) for TLS records (RFC 8446 records are not SMTP lines).
func arrow(r *Row) string {
	from, to := "C", "S"
	if r.Dir == wire.ServerToClient {
		from, to = "S", "C"
	}
	switch {
	case r.Encrypted || r.Kind == RowFold:
		return from + "-)" + to
	case r.Dir == wire.ServerToClient:
		return from + "-->>" + to
	}
	return from + "->>" + to
}

// rowText is a row's text with its reply code and lock, capabilities
// appended.
func rowText(r *Row) string {
	s := r.Label
	if r.Code != 0 {
		s = strconv.Itoa(r.Code) + " " + s
	}
	if r.Locked {
		s = "🔒 " + s
	}
	if r.Detail != "" {
		s += " — " + r.Detail
	}
	return shorten(s, 160)
}

// mermaidText makes text inert in a Mermaid message, note or participant
// alias: it is sanitized, and every character outside a small safe set
// (letters, digits, space and . , _ @ / ( ) = + * ! ? ' -) becomes a
// Mermaid entity code "#NNN;" (decimal), so no ; # : < > & " { } [ ] %
// or newline can end the statement, open a comment, form a <br> or any
// HTML, or reach Mermaid's markdown; Mermaid turns the codes back into
// character references in the SVG it draws.
func mermaidText(s string) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		if safeMermaid(r) {
			b.WriteRune(r)
			continue
		}
		b.WriteString("#" + strconv.Itoa(int(r)) + ";")
	}
	return strings.TrimSpace(b.String())
}

func safeMermaid(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune(" .,_@/()=+*!?'-", r)
}
