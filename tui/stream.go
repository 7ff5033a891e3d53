package tui

import (
	"bytes"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// streamMode is how the stream view shows the bytes (x cycles), as
// Wireshark's Follow Stream "Show data as".
type streamMode uint8

const (
	streamASCII   streamMode = iota // the lines as text
	streamEscaped                   // the bytes, every non-printable byte as \xNN (CR LF visible)
	streamHex                       // the bytes as a hex dump
	numStreamModes
)

func (m streamMode) String() string {
	switch m {
	case streamEscaped:
		return "escaped"
	case streamHex:
		return "hex"
	}
	return "ASCII"
}

// streamLine is one line of the stream view: what went over the wire, in
// order, client lines and server lines told apart.
type streamLine struct {
	dir    wire.Dir
	marker bool // a TLS record boundary or TCP event, not an SMTP line
	frame  int64
	event  int
	text   string
	code   int  // the reply code on a reply's lines, 0 otherwise
	locked bool // SMTP read inside TLS (decrypted with a key log)
	bytes  bool // a hex dump row of the line before (drawn dim for TLS records)
}

// stream is the stream view in ASCII.
func stream(s *session.Session) []streamLine { return streamLines(s, streamASCII, hexPerLine) }

// streamLines rebuilds the conversation from the timeline: each SMTP
// command and each reply line as sent, TLS record boundaries and TCP
// events inline; in the escaped and hex modes the bytes the builder kept
// (Event.Raw) instead of the text. Message bodies show as their size,
// AUTH continuation lines as their masked summary (their bytes are never
// kept). Untrusted bytes only become text through dissect/sanitize (or the
// hex dump, which prints only printable ASCII).
// The hex dump has perRow bytes a row.
func streamLines(s *session.Session, mode streamMode, perRow int) []streamLine {
	out := make([]streamLine, 0, len(s.Timeline)+len(s.Replies))
	inner := innerRecords(s)
	for i := range s.Timeline {
		e := &s.Timeline[i]
		l := streamLine{dir: e.Dir, frame: e.Frame, event: i, locked: e.InTLS && smtpKind(e.Kind)}
		if e.InTLS && smtpKind(e.Kind) {
			// The decrypted records that carried this SMTP: their
			// boundary first, as for records shown in clear.
			k := recordKey{e.Frame, e.Dir}
			for _, ri := range inner[k] {
				out = append(out, markerLine(s, &session.Event{Kind: session.KindTLS, Ref: ri, Dir: e.Dir, Frame: e.Frame}, l))
			}
			delete(inner, k)
		}
		if e.Kind == session.KindReply && e.Ref >= 0 && e.Ref < len(s.Replies) {
			l.code = s.Replies[e.Ref].Code
		}
		raw := e.Raw
		if e.Kind == session.KindTLS && mode != streamHex {
			raw = nil // record bytes are only readable as hex
		}
		if mode != streamASCII && len(raw) > 0 {
			if e.Kind == session.KindTLS {
				out = append(out, markerLine(s, e, l))
			}
			out = append(out, rawLines(raw, mode, perRow, l, e.Kind == session.KindTLS)...)
			continue
		}
		switch e.Kind {
		case session.KindCommand:
			if e.Ref >= 0 && e.Ref < len(s.Commands) {
				c := &s.Commands[e.Ref]
				l.text = c.SentVerb()
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
			for k, t := range r.Lines {
				l.text = replyLine(r.Code, t, k == len(r.Lines)-1)
				out = append(out, l)
			}
		case session.KindAuth:
			l.text = e.Summary
			out = append(out, l)
		case session.KindData:
			l.text = "<message body> " + e.Summary
			out = append(out, l)
		default:
			out = append(out, markerLine(s, e, l))
		}
	}
	return out
}

// recordKey is where a record ended: its frame and direction.
type recordKey struct {
	frame int64
	dir   wire.Dir
}

// innerRecords returns the decrypted records that carried SMTP (they have
// no timeline event of their own: the SMTP inside stands for them), by the
// frame and direction of their last byte.
func innerRecords(s *session.Session) map[recordKey][]int {
	shown := make(map[int]bool)
	for i := range s.Timeline {
		if e := &s.Timeline[i]; e.Kind == session.KindTLS {
			shown[e.Ref] = true
		}
	}
	var out map[recordKey][]int
	for i := range s.TLSRecords {
		r := &s.TLSRecords[i]
		if !r.Decrypted || shown[i] {
			continue
		}
		if out == nil {
			out = make(map[recordKey][]int)
		}
		k := recordKey{r.Frame, r.Dir}
		out[k] = append(out[k], i)
	}
	return out
}

// markerLine is the boundary line of a TLS record, a run of records or a
// TCP event.
func markerLine(s *session.Session, e *session.Event, l streamLine) streamLine {
	l.marker, l.locked = true, false
	switch e.Kind {
	case session.KindTLS:
		if e.Ref >= 0 && e.Ref < len(s.TLSRecords) {
			l.text = "── " + recordLabel(&s.TLSRecords[e.Ref]) + " ──"
		} else {
			l.text = "── " + e.Summary + " ──"
		}
	case session.KindTLSBulk:
		l.text = "── " + strconv.Itoa(e.Count) + " encrypted records, " + strconv.FormatInt(e.Bytes, 10) + " bytes ──"
	default:
		l.text = "·· " + eventLabel(s, e)
	}
	return l
}

// rawLines shows an event's bytes: escaped, one row per line of the
// protocol (split after each LF), or as a hex dump.
func rawLines(raw []byte, mode streamMode, perRow int, l streamLine, record bool) []streamLine {
	var out []streamLine
	if mode == streamHex {
		for k, row := range hexDumpN(raw, perRow) {
			r := l
			r.text, r.bytes, r.marker = row, true, record
			if k > 0 || record {
				r.frame = 0 // the frame is on the event's first row
			}
			out = append(out, r)
		}
		return out
	}
	for len(raw) > 0 {
		n := bytes.IndexByte(raw, '\n') + 1
		if n == 0 {
			n = len(raw)
		}
		r := l
		r.text = sanitize.Bytes(raw[:n])
		if len(out) > 0 {
			r.frame = 0
		}
		out = append(out, r)
		raw = raw[n:]
	}
	return out
}

// streamBytes is what "save" writes: the SMTP bytes of the conversation in
// order, both directions (commands and replies as captured, decrypted ones
// included), with how many SMTP lines had no bytes kept (AUTH
// continuation lines, lines past the kept-bytes budget) and the message
// bodies left out.
func streamBytes(s *session.Session) (b []byte, missing int, bodies int) {
	for i := range s.Timeline {
		e := &s.Timeline[i]
		switch e.Kind {
		case session.KindCommand, session.KindReply:
			if len(e.Raw) == 0 {
				missing++
				continue
			}
			b = append(b, e.Raw...)
		case session.KindAuth:
			missing++
		case session.KindData:
			bodies++
		}
	}
	return b, missing, bodies
}

// replyLine is one line of a reply as sent: "250-text" for all but the
// last, "250 text" for the last (RFC 5321, Section 4.2.1). The model keeps
// the text after the code; a line that already starts with it is kept.
func replyLine(code int, text string, last bool) string {
	c := strconv.Itoa(code)
	if len(text) >= len(c) && text[:len(c)] == c && (len(text) == len(c) || text[len(c)] == ' ' || text[len(c)] == '-') {
		return text
	}
	sep := "-"
	if last {
		sep = " "
	}
	if text == "" {
		return c
	}
	return c + sep + text
}
