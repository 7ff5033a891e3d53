package lesson

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// maxEvents is how many events a phase page lists.
const maxEvents = 12

// happened adds the events of band b, as arrows: every line of a
// multi-line reply (the EHLO list is the evidence of a stripped STARTTLS),
// 334 challenges decoded, runs of encrypted records folded, and the
// divider where encryption starts (divided says whether an earlier band
// already holds it).
func happened(d *doc, s *session.Session, b Band, divided *bool) {
	n := 0
	for i := b.First; i < b.End; {
		e := &s.Timeline[i]
		if !*divided && Protected(s, e) {
			*divided = true
			d.add(Divider, "  "+DividerLabel(s))
		}
		if n == maxEvents {
			d.note("  … " + plural(b.End-i, "more event") + " on the timeline")
			return
		}
		n++
		k, side := Client, "C → S  "
		if e.Dir == wire.ServerToClient {
			k, side = Server, "C ← S  "
		}
		if j := runEnd(s, i, b.End); j > i+1 || e.Kind == session.KindTLSBulk {
			count, bytes := runTotals(s, i, j)
			if both(s, i, j) {
				side = "C ⇄ S  "
			}
			d.add(k, "  "+side+plural(count, "encrypted record")+", "+plural(int(bytes), "byte"))
			i = j
			continue
		}
		mark := "  "
		if markOf(s, e) != "" {
			mark = "! "
		}
		lock := ""
		if e.InTLS && SMTPKind(e.Kind) {
			lock = "⚿ "
		}
		first, more := eventText(s, e)
		d.add(k, mark+side+lock+first)
		for _, m := range more {
			d.add(k, "         "+m)
		}
		i++
	}
}

// runEnd returns the end (exclusive, at most hi) of the run of unreadable
// records of one phase that starts at i.
func runEnd(s *session.Session, i, hi int) int {
	j := i
	for j < hi && unreadable(s, &s.Timeline[j]) && s.Timeline[j].Kind != session.KindTLSBulk {
		j++
	}
	if j == i && s.Timeline[i].Kind == session.KindTLSBulk {
		return i + 1
	}
	return j
}

// runTotals counts the records and bytes of Timeline[i:j].
func runTotals(s *session.Session, i, j int) (n int, bytes int64) {
	for k := i; k < j; k++ {
		e := &s.Timeline[k]
		switch {
		case e.Kind == session.KindTLSBulk:
			n += e.Count
			bytes += e.Bytes
		case e.Kind == session.KindTLS && e.Ref >= 0 && e.Ref < len(s.TLSRecords):
			n++
			bytes += int64(s.TLSRecords[e.Ref].Length)
		}
	}
	return n, bytes
}

// both reports whether Timeline[i:j] holds events in both directions.
func both(s *session.Session, i, j int) bool {
	for k := i + 1; k < j; k++ {
		if s.Timeline[k].Dir != s.Timeline[i].Dir {
			return true
		}
	}
	return false
}

// markOf returns the worst severity of the findings whose evidence
// includes e ("" for none).
func markOf(s *session.Session, e *session.Event) session.Severity {
	var w session.Severity
	for i := range s.Findings {
		if f := &s.Findings[i]; e.SharesFrame(f.Frames) && (w == "" || f.Severity.Rank() > w.Rank()) {
			w = f.Severity
		}
	}
	return w
}

// eventText is an event's first line and, for a multi-line reply, the
// further lines.
func eventText(s *session.Session, e *session.Event) (string, []string) {
	switch e.Kind {
	case session.KindSYN:
		return "SYN", nil
	case session.KindSYNACK:
		return "SYN-ACK", nil
	case session.KindACK:
		if s.RTT > 0 {
			return "ACK (RTT " + s.RTT.Round(100_000).String() + ")", nil
		}
		return "ACK", nil
	case session.KindFIN:
		return "FIN", nil
	case session.KindRST:
		return "RST", nil
	case session.KindCommand:
		if e.Ref >= 0 && e.Ref < len(s.Commands) {
			c := &s.Commands[e.Ref]
			t := strings.TrimSpace(c.Verb + " " + c.Arg)
			if c.AfterStartTLS {
				t += "   (sent after STARTTLS, before its 220: injected)"
			}
			return t, nil
		}
	case session.KindReply:
		if e.Ref >= 0 && e.Ref < len(s.Replies) {
			r := &s.Replies[e.Ref]
			lines := wireLines(r)
			lines[0] += challenge(r)
			return lines[0], lines[1:]
		}
	case session.KindTLS:
		if e.Summary != "" {
			return e.Summary, nil
		}
		if e.Ref >= 0 && e.Ref < len(s.TLSRecords) {
			r := &s.TLSRecords[e.Ref]
			return "TLS " + tlsname.ContentTypeName(r.Type) + ", " + plural(r.Length, "byte"), nil
		}
	case session.KindMessage:
		if e.Ref >= 0 && e.Ref < len(s.Messages) {
			m := &s.Messages[e.Ref]
			return strings.TrimSpace("message " + plural(int(m.Size), "byte") + " " + m.Subject), nil
		}
	case session.KindAnomaly:
		if e.Ref >= 0 && e.Ref < len(s.Anomalies) {
			a := &s.Anomalies[e.Ref]
			return "⚠ " + a.Code + ": " + a.Summary, nil
		}
	}
	if e.Summary != "" {
		return e.Summary, nil
	}
	return string(e.Kind), nil
}

// wireLines spells a reply's lines as they crossed the wire (RFC 5321,
// Section 4.2.1): the code and a hyphen on every line but the last, the
// code and a space on the last; lines the model already holds with their
// code stay as they are.
func wireLines(r *session.Reply) []string {
	code := strconv.Itoa(r.Code)
	if len(r.Lines) == 0 {
		return []string{code}
	}
	out := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		if len(l) >= 4 && l[:3] == code && (l[3] == '-' || l[3] == ' ') || l == code {
			out[i] = l
			continue
		}
		sep := "-"
		if i == len(r.Lines)-1 {
			sep = " "
		}
		out[i] = code + sep + l
	}
	return out
}

// challenge decodes the base64 text of a 334 reply (RFC 4954, Section 4:
// "a server challenge ... encoded as base64"): "VXNlcm5hbWU6" is
// "Username:". It returns "" when the text is not base64 of printable text.
func challenge(r *session.Reply) string {
	if r.Code != 334 || len(r.Lines) != 1 {
		return ""
	}
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(r.Lines[0], "334"), "-"))
	if t == "" {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(t)
	if err != nil || len(b) == 0 || !utf8.Valid(b) {
		return ""
	}
	for _, c := range string(b) {
		if c < ' ' || c == 0x7f {
			return ""
		}
	}
	return `   (base64 of "` + sanitize.String(string(b)) + `")`
}

// plural writes n with its noun, in the singular for one.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
