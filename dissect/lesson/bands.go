package lesson

import "github.com/smtpscope/smtpscope/dissect/session"

// Band is a run of timeline events of one phase: Timeline[First:End].
type Band struct {
	Phase session.Phase
	First int
	End   int
}

// PhaseOf returns the phase event i of s is taught in: its own, except a
// command the client sent after STARTTLS and before its reply (command
// injection, RFC 3207, Section 4; CVE-2011-0411) and the reply to such a
// command, which belong to the STARTTLS phase they attack: an injected RSET
// is not an envelope command to teach MAIL FROM and SPF with.
func PhaseOf(s *session.Session, i int) session.Phase {
	e := &s.Timeline[i]
	if injected(s, e) {
		return session.PhaseStartTLS
	}
	return e.Phase
}

// injected reports whether e is a command sent after STARTTLS before its
// reply, or the reply to one.
func injected(s *session.Session, e *session.Event) bool {
	switch e.Kind {
	case session.KindCommand:
		return e.Ref >= 0 && e.Ref < len(s.Commands) && s.Commands[e.Ref].AfterStartTLS
	case session.KindReply:
		if e.Ref < 0 || e.Ref >= len(s.Replies) {
			return false
		}
		c := s.Replies[e.Ref].Command
		return c >= 0 && c < len(s.Commands) && s.Commands[c].AfterStartTLS
	}
	return false
}

// Bands splits the timeline of s into phase bands (PhaseOf): a new band
// starts wherever the phase changes.
func Bands(s *session.Session) []Band {
	var out []Band
	for i := range s.Timeline {
		p := PhaseOf(s, i)
		if n := len(out); n > 0 && out[n-1].Phase == p {
			out[n-1].End = i + 1
			continue
		}
		out = append(out, Band{Phase: p, First: i, End: i + 1})
	}
	return out
}

// Protected reports whether e is the first sign of encryption: SMTP read
// inside TLS, a run of application data, or a TLS record whose content was
// encrypted on the wire (readable only with a key log). The hellos before
// it are in clear (RFC 8446, Section 2: TLS 1.3 encrypts everything after
// the ServerHello; RFC 5246, Section 7.1: TLS 1.2 after each side's
// ChangeCipherSpec).
func Protected(s *session.Session, e *session.Event) bool { return s.Protected(e) }

// DividerLabel names where encryption starts for the session's version.
func DividerLabel(s *session.Session) string {
	return "— " + session.EncryptedFrom(s.TLS.Version) + " —"
}

// SMTPKind reports whether events of kind k carry SMTP (commands, replies,
// AUTH lines, message data).
func SMTPKind(k session.Kind) bool { return k.IsSMTP() }

// unreadable reports whether e is a TLS record that stayed encrypted.
func unreadable(s *session.Session, e *session.Event) bool {
	if e.Kind == session.KindTLSBulk {
		return true
	}
	if e.Kind != session.KindTLS || e.Ref < 0 || e.Ref >= len(s.TLSRecords) {
		return false
	}
	r := &s.TLSRecords[e.Ref]
	return r.Encrypted && !r.Decrypted
}

// findingBands returns, per finding of s, the band (index into bands)
// holding its first evidence event, or -1.
func findingBands(s *session.Session, bands []Band) []int {
	out := make([]int, len(s.Findings))
	for k := range s.Findings {
		out[k] = -1
	search:
		for b, band := range bands {
			for i := band.First; i < band.End; i++ {
				if s.Timeline[i].SharesFrame(s.Findings[k].Frames) {
					out[k] = b
					break search
				}
			}
		}
	}
	return out
}
