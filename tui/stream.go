package tui

import (
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// streamLine is one line of the stream view: what went over the wire, in
// order, client lines and server lines told apart.
type streamLine struct {
	dir    wire.Dir
	marker bool // a TLS record boundary or TCP event, not an SMTP line
	frame  int64
	event  int
	text   string
}

// stream rebuilds the conversation from the timeline: each SMTP command and
// each reply line as sent, TLS record boundaries and TCP events inline. The
// model keeps no raw bytes, so message bodies show as their size.
func stream(s *session.Session) []streamLine {
	out := make([]streamLine, 0, len(s.Timeline)+len(s.Replies))
	for i := range s.Timeline {
		e := &s.Timeline[i]
		l := streamLine{dir: e.Dir, frame: e.Frame, event: i}
		switch e.Kind {
		case session.KindCommand:
			if e.Ref >= 0 && e.Ref < len(s.Commands) {
				c := &s.Commands[e.Ref]
				l.text = c.Verb
				if c.Arg != "" {
					l.text += " " + c.Arg
				}
			} else {
				l.text = e.Summary
			}
			out = append(out, l)
		case session.KindReply:
			if e.Ref < 0 || e.Ref >= len(s.Replies) || len(s.Replies[e.Ref].Lines) == 0 {
				l.text = e.Summary
				out = append(out, l)
				continue
			}
			// RFC 5321, Section 4.2: "code-text" for all lines but the last.
			r := &s.Replies[e.Ref]
			for _, t := range r.Lines {
				l.text = t
				out = append(out, l)
			}
		case session.KindTLS:
			l.marker = true
			if e.Ref >= 0 && e.Ref < len(s.TLSRecords) {
				l.text = "── " + recordLabel(&s.TLSRecords[e.Ref]) + " ──"
			} else {
				l.text = "── " + e.Summary + " ──"
			}
			out = append(out, l)
		case session.KindTLSBulk:
			l.marker = true
			l.text = "── " + strconv.Itoa(e.Count) + " encrypted records, " + strconv.FormatInt(e.Bytes, 10) + " bytes ──"
			out = append(out, l)
		case session.KindData:
			l.text = "<message body> " + e.Summary
			out = append(out, l)
		default:
			l.marker = true
			l.text = "·· " + eventLabel(s, e)
			out = append(out, l)
		}
	}
	return out
}
