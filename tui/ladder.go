package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// lineKind says what a timeline line shows.
type lineKind uint8

const (
	lineEvent   lineKind = iota // one arrow
	lineBand                    // a phase starts
	lineDivider                 // the clear-text/encrypted boundary
	lineRun                     // a run of encrypted records (collapsed or expanded header)
)

// minRun is the shortest run of encrypted records that collapses.
const minRun = 2

// line is one row of the ladder diagram. It holds copies of everything it
// shows, so it stays valid after Store.View returns.
type line struct {
	kind     lineKind
	phase    session.Phase
	dir      wire.Dir
	both     bool  // a run with records in both directions
	event    int   // index into Session.Timeline (first event of a run); -1 for bands and dividers
	frame    int64 // the event's frame (a run's first); 0 for bands and dividers
	time     time.Time
	delta    time.Duration
	hasDelta bool
	label    string
	expanded bool // for lineRun: the records follow
	count    int  // for lineRun: records
	bytes    int64
	inRun    bool // an event shown inside an expanded run
	// mark is the worst severity of the findings whose evidence includes
	// the line's event (or one of a run's events); "" for none.
	mark session.Severity
	// locked is set on SMTP events read inside TLS (decrypted with a key
	// log): they are drawn with a lock between the encryption divider and
	// the teardown.
	locked bool
}

// ladder turns a session's timeline into ladder lines: phase bands, one line
// per event, the STARTTLS boundary and runs of encrypted records (collapsed
// unless expanded[first event index]).
func ladder(s *session.Session, expanded map[int]bool) []line {
	out := make([]line, 0, len(s.Timeline)+16)
	var (
		phase   session.Phase
		divided bool
		prev    time.Time
	)
	stamp := func(l *line, t time.Time) {
		if l.event >= 0 && l.event < len(s.Timeline) && l.kind != lineBand && l.kind != lineDivider {
			l.frame = s.Timeline[l.event].Frame
		}
		l.time = t
		if !prev.IsZero() && !t.IsZero() {
			l.delta, l.hasDelta = t.Sub(prev), true
		}
		if !t.IsZero() {
			prev = t
		}
	}
	for i := 0; i < len(s.Timeline); {
		e := &s.Timeline[i]
		// RFC 3207, Section 4: after the 220 to STARTTLS the next bytes are
		// TLS; RFC 8314, Section 3: on implicit-TLS ports TLS starts at once.
		// The hellos are still in clear: the divider sits before the first
		// protected record (RFC 8446, Section 2: TLS 1.3 encrypts all after
		// the ServerHello; RFC 5246, Section 7.1: TLS 1.2 after each side's
		// ChangeCipherSpec).
		if !divided && lesson.Protected(s, e) {
			divided = true
			out = append(out, line{kind: lineDivider, phase: e.Phase, event: -1, label: lesson.DividerLabel(s)})
		}
		// The bands are the lesson's (lesson.PhaseOf): a command injected
		// after STARTTLS stays in the STARTTLS band.
		if p := lesson.PhaseOf(s, i); p != phase {
			phase = p
			out = append(out, line{kind: lineBand, phase: phase, event: -1, label: string(phase)})
		}
		if e.Kind == session.KindTLSBulk {
			l := line{kind: lineRun, phase: e.Phase, dir: e.Dir, event: i, count: e.Count, bytes: e.Bytes}
			l.label = runLabel(e.Count, e.Bytes, false)
			l.mark = markOf(s, e)
			stamp(&l, e.Time)
			out = append(out, l)
			i++
			continue
		}
		if j := runEnd(s, i); j-i >= minRun {
			l := line{kind: lineRun, phase: e.Phase, dir: e.Dir, event: i, count: j - i, expanded: expanded[i]}
			for k := i; k < j; k++ {
				ev := &s.Timeline[k]
				l.bytes += int64(s.TLSRecords[ev.Ref].Length)
				if ev.Dir != e.Dir {
					l.both = true
				}
				l.mark = worse(l.mark, markOf(s, ev))
			}
			l.label = runLabel(l.count, l.bytes, l.expanded)
			stamp(&l, e.Time)
			out = append(out, l)
			if l.expanded {
				for k := i; k < j; k++ {
					ev := &s.Timeline[k]
					el := line{kind: lineEvent, phase: ev.Phase, dir: ev.Dir, event: k, label: eventLabel(s, ev), inRun: true,
						mark: markOf(s, ev)}
					stamp(&el, ev.Time)
					out = append(out, el)
				}
			} else {
				stamp(&line{}, s.Timeline[j-1].Time)
			}
			i = j
			continue
		}
		l := line{kind: lineEvent, phase: e.Phase, dir: e.Dir, event: i, label: eventLabel(s, e), mark: markOf(s, e)}
		// RFC 3207, Section 4.2 / RFC 8314: SMTP read from inside TLS (a
		// key log decrypted it) is shown with a lock.
		l.locked = e.InTLS && smtpKind(e.Kind)
		if l.locked {
			l.label = lockMark + l.label
		}
		stamp(&l, e.Time)
		out = append(out, l)
		i++
	}
	return out
}

// lockMark prefixes the label of SMTP events read inside TLS. It is one
// cell wide in every terminal: a wide emoji (🔒) is two cells, and when an
// overlay's border falls on its second cell the terminal draws the emoji
// over the border.
const lockMark = "⚿ "

// smtpKind reports whether events of kind k carry SMTP (commands, replies,
// AUTH lines, message data).
func smtpKind(k session.Kind) bool {
	switch k {
	case session.KindCommand, session.KindReply, session.KindAuth, session.KindData, session.KindMessage:
		return true
	}
	return false
}

// markOf returns the worst severity of the findings whose evidence frames
// include event e ("" for none).
func markOf(s *session.Session, e *session.Event) session.Severity {
	var w session.Severity
	for i := range s.Findings {
		if f := &s.Findings[i]; e.SharesFrame(f.Frames) {
			w = worse(w, f.Severity)
		}
	}
	return w
}

// worse returns the more severe of a and b ("" is below info).
func worse(a, b session.Severity) session.Severity {
	if a == "" || b.Rank() > a.Rank() {
		return b
	}
	return a
}

// encryptedRecord returns the record an event shows when it is an
// unreadable TLS record.
func encryptedRecord(s *session.Session, e *session.Event) bool {
	if e.Kind != session.KindTLS || e.Ref < 0 || e.Ref >= len(s.TLSRecords) {
		return false
	}
	r := &s.TLSRecords[e.Ref]
	return r.Encrypted && !r.Decrypted // a decrypted record is shown as what it is
}

// runEnd returns the end (exclusive) of the run of encrypted records of one
// phase that starts at i.
func runEnd(s *session.Session, i int) int {
	j := i
	for j < len(s.Timeline) && encryptedRecord(s, &s.Timeline[j]) && s.Timeline[j].Phase == s.Timeline[i].Phase {
		j++
	}
	return j
}

// runLabel describes a run of encrypted records.
func runLabel(count int, bytes int64, expanded bool) string {
	mark := "▸ "
	if expanded {
		mark = "▾ "
	}
	noun := " encrypted records, "
	if count == 1 {
		noun = " encrypted record, "
	}
	return mark + strconv.Itoa(count) + noun + strconv.FormatInt(bytes, 10) + " bytes"
}

// eventLabel is the one-line text of an event, without the arrow.
func eventLabel(s *session.Session, e *session.Event) string {
	switch e.Kind {
	case session.KindSYN:
		return "SYN"
	case session.KindSYNACK:
		return "SYN-ACK"
	case session.KindACK:
		if s.RTT > 0 {
			return "ACK (RTT " + shortDuration(s.RTT) + ")"
		}
		return "ACK"
	case session.KindFIN:
		return "FIN"
	case session.KindRST:
		return "RST"
	case session.KindCommand:
		if e.Ref >= 0 && e.Ref < len(s.Commands) {
			return commandLabel(&s.Commands[e.Ref])
		}
	case session.KindReply:
		if e.Ref >= 0 && e.Ref < len(s.Replies) {
			return replyLabel(&s.Replies[e.Ref])
		}
	case session.KindTLS:
		// The builder's summary already reads well ("Handshake:
		// ClientHello (SNI …), 243 bytes", "encrypted handshake record,
		// 69 bytes"); the record's own fields are the fallback.
		if e.Summary != "" {
			return e.Summary
		}
		if e.Ref >= 0 && e.Ref < len(s.TLSRecords) {
			return recordLabel(&s.TLSRecords[e.Ref])
		}
	case session.KindMessage:
		if e.Ref >= 0 && e.Ref < len(s.Messages) {
			m := &s.Messages[e.Ref]
			return "message " + strconv.FormatInt(m.Size, 10) + " bytes " + m.Subject
		}
	case session.KindAnomaly:
		if e.Ref >= 0 && e.Ref < len(s.Anomalies) {
			a := &s.Anomalies[e.Ref]
			return "⚠ " + a.Code + ": " + a.Summary
		}
		return "⚠ " + e.Summary
	}
	if e.Summary != "" {
		return e.Summary
	}
	return string(e.Kind)
}

// commandLabel is "VERB arg".
func commandLabel(c *session.Command) string {
	s := c.SentVerb()
	if c.Arg != "" {
		s += " " + c.Arg
	}
	if c.Pipelined {
		s += " (pipelined)"
	}
	return s
}

// replyLabel is "code first-line (+N lines)".
func replyLabel(r *session.Reply) string {
	s := strconv.Itoa(r.Code)
	if len(r.Lines) > 0 {
		s += " " + strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(r.Lines[0], strconv.Itoa(r.Code)), "-"))
	}
	if len(r.Lines) > 1 {
		s += " (+" + strconv.Itoa(len(r.Lines)-1) + " lines)"
	}
	return s
}

// recordLabel shows a TLS record's type, handshake messages and length
// (RFC 8446, Section 5.1).
func recordLabel(r *session.TLSRecord) string {
	var b strings.Builder
	b.WriteString("TLS ")
	b.WriteString(tlsname.ContentTypeName(r.Type))
	for i, h := range r.Handshake {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte('+')
		}
		b.WriteString(tlsname.HandshakeName(h))
	}
	if r.Encrypted {
		b.WriteString(" (encrypted)")
	}
	b.WriteString(" len ")
	b.WriteString(strconv.Itoa(r.Length))
	if r.Summary != "" {
		b.WriteString(" · ")
		b.WriteString(r.Summary)
	}
	return b.String()
}

// ladderText draws a line's ladder column w cells wide: client on the left,
// server on the right, "→" for client-to-server and "←" for the reverse.
func ladderText(l *line, w int) string {
	if w < 12 {
		w = 12
	}
	switch l.kind {
	case lineBand:
		return fill("━━ "+l.label+" ", "━", w)
	case lineDivider:
		label := " " + l.label + " "
		left := (w - width(label)) / 2
		if left < 0 {
			left = 0
		}
		return fill(strings.Repeat("┄", left)+label, "┄", w)
	}
	inner := w - 2 // "│" on both sides
	label := l.label
	if l.inRun {
		label = "  " + label
	}
	if l.kind == lineRun && l.both {
		return "│" + pad("⇄ "+truncate(label, inner-2), inner) + "│"
	}
	label = truncate(label, inner-4)
	if l.dir == wire.ServerToClient {
		dash := inner - width(label) - 2
		return "│←" + strings.Repeat("─", max(dash, 0)) + " " + label + "│"
	}
	dash := inner - width(label) - 2
	return "│" + label + " " + strings.Repeat("─", max(dash, 0)) + "→│"
}

// fill extends s with c up to w cells, or truncates it.
func fill(s, c string, w int) string {
	s = truncate(s, w)
	if n := w - width(s); n > 0 {
		s += strings.Repeat(c, n)
	}
	return s
}

// pad extends s with spaces up to w cells.
func pad(s string, w int) string { return fill(s, " ", w) }
