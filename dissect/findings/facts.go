package findings

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// facts is what the rules need to know about one session, derived once
// from the model.
type facts struct {
	s *session.Session
	// ehlo lists the indexes (into s.Replies) of the 250 replies to EHLO
	// sent in clear.
	ehlo []int
	// offered is the first clear EHLO reply listing STARTTLS, -1 if none.
	offered int
	// masked is the first clear EHLO reply with a masked keyword
	// ("250-XXXXXXXA") where STARTTLS belongs, -1 if none.
	masked int
	// startTLS is the index of the first STARTTLS command sent in clear,
	// -1 if none.
	startTLS int
	// clearAuth, clearMail and clearData are the first AUTH, MAIL/RCPT and
	// DATA/BDAT commands sent in clear (indexes into s.Commands), -1 if
	// none.
	clearAuth, clearMail, clearData int
	// helo is the first clear HELO answered 250 and heloReply its reply
	// (index into s.Replies); ehloRefused is a clear EHLO answered 5xx
	// (ehloRefusedCode), -1 if none.
	helo, heloReply, ehloRefused, ehloRefusedCode int
}

// gather derives the facts of s.
func gather(s *session.Session) facts {
	f := facts{s: s, offered: -1, masked: -1, startTLS: -1, clearAuth: -1, clearMail: -1, clearData: -1,
		helo: -1, heloReply: -1, ehloRefused: -1}
	for i := range s.Commands {
		c := &s.Commands[i]
		if c.InTLS {
			continue
		}
		switch c.Verb {
		case "EHLO":
			// RFC 5321, Section 4.1.1.1: only the 250 reply to EHLO lists
			// extensions; HELO's reply never does.
			if c.Reply != nil && c.Reply.Code == 250 && c.Reply.Index < len(s.Replies) {
				f.ehlo = append(f.ehlo, c.Reply.Index)
			}
			if c.Reply != nil && c.Reply.Code >= 500 && f.ehloRefused < 0 {
				f.ehloRefused, f.ehloRefusedCode = i, c.Reply.Code
			}
		case "HELO":
			if c.Reply != nil && c.Reply.Code == 250 && f.helo < 0 {
				f.helo, f.heloReply = i, c.Reply.Index
			}
		case "STARTTLS":
			first(&f.startTLS, i)
		case "AUTH":
			first(&f.clearAuth, i)
		case "MAIL", "RCPT":
			first(&f.clearMail, i)
		case "DATA", "BDAT":
			first(&f.clearData, i)
		}
	}
	for _, ri := range f.ehlo {
		r := &s.Replies[ri]
		if r.InTLS {
			continue
		}
		if replyHas(r, "STARTTLS") {
			first(&f.offered, ri)
		}
		if maskedKeyword(r) {
			first(&f.masked, ri)
		}
	}
	return f
}

// inClear returns the index of the first TLS record sent in clear, -1 if
// none.
func (f *facts) inClear() int {
	for i := range f.s.TLSRecords {
		if f.s.TLSRecords[i].InClear {
			return i
		}
	}
	return -1
}

// first sets *p to i unless it is set already.
func first(p *int, i int) {
	if *p < 0 {
		*p = i
	}
}

// keyword returns the upper-cased first word of an EHLO reply line
// (RFC 5321, Section 4.1.1.1: ehlo-line = ehlo-keyword *( SP ehlo-param )).
func keyword(line string) string {
	kw, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(kw)
}

// replyHas reports whether an EHLO reply lists keyword kw. The first line
// is the server's name and greeting, not an extension.
func replyHas(r *session.Reply, kw string) bool {
	for i := 1; i < len(r.Lines); i++ {
		if keyword(r.Lines[i]) == kw {
			return true
		}
	}
	return false
}

// replyParams returns the parameters of keyword kw in an EHLO reply
// (upper-cased), accepting the legacy "AUTH=" form.
func replyParams(r *session.Reply, kw string) []string {
	var out []string
	for i := 1; i < len(r.Lines); i++ {
		line := strings.ToUpper(strings.TrimSpace(r.Lines[i]))
		fields := strings.Fields(strings.ReplaceAll(line, "=", " "))
		if len(fields) > 0 && fields[0] == kw {
			out = append(out, fields[1:]...)
		}
	}
	return out
}

// maskedKeyword reports whether an EHLO reply has a keyword overwritten
// with X's, as Cisco ASA's ESMTP inspection writes STARTTLS as "XXXXXXXA":
// at least four X's followed by at most two other characters.
func maskedKeyword(r *session.Reply) bool {
	for i := 1; i < len(r.Lines); i++ {
		kw := keyword(r.Lines[i])
		rest := strings.TrimLeft(kw, "X")
		if len(kw)-len(rest) >= 4 && len(rest) <= 2 {
			return true
		}
	}
	return false
}

// clearAfter reports whether the client sent AUTH, MAIL/RCPT or DATA/BDAT in
// clear after command index i; auth or data says whether AUTH or DATA was
// among them (what raises stripping to crit).
func (f *facts) clearAfter(i int) (any, authOrData bool) {
	for j := i + 1; j < len(f.s.Commands); j++ {
		c := &f.s.Commands[j]
		if c.InTLS {
			continue
		}
		switch c.Verb {
		case "AUTH", "DATA", "BDAT":
			return true, true
		case "MAIL", "RCPT":
			any = true
		}
	}
	return any, false
}

// replyFrame returns the frame of reply i, or 0.
func (f *facts) replyFrame(i int) int64 {
	if i < 0 || i >= len(f.s.Replies) {
		return 0
	}
	return f.s.Replies[i].Frame
}

// cmdFrame returns the frame of command i, or 0.
func (f *facts) cmdFrame(i int) int64 {
	if i < 0 || i >= len(f.s.Commands) {
		return 0
	}
	return f.s.Commands[i].Frame
}

// replyTo returns the frame and code of the reply to command i (0, 0 if
// none).
func (f *facts) replyTo(i int) (int64, int) {
	if i < 0 || i >= len(f.s.Commands) || f.s.Commands[i].Reply == nil {
		return 0, 0
	}
	r := f.s.Commands[i].Reply
	return r.Frame, r.Code
}

// clearEHLO reports whether the session has a clear EHLO reply to judge
// (no verdict on what a HELO-only or implicit-TLS session did not show).
func (f *facts) clearEHLO() bool { return len(f.ehlo) > 0 }

// frames returns the non-zero frames, sorted and without duplicates.
func frames(fs ...int64) []int64 {
	out := make([]int64, 0, len(fs))
	for _, x := range fs {
		if x <= 0 {
			continue
		}
		i := len(out)
		out = append(out, x)
		for i > 0 && out[i-1] > x {
			out[i] = out[i-1]
			i--
		}
		out[i] = x
	}
	// Drop duplicates in place.
	k := 0
	for i, x := range out {
		if i == 0 || x != out[k-1] {
			out[k] = x
			k++
		}
	}
	return out[:k]
}
