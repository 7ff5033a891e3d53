package findings

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Capture runs the cross-session rules over all sessions of one capture
// and returns the extra findings per session index (into sessions): the
// same server:port offered STARTTLS in another session while this one's
// clear EHLO reply did not (starttls.stripped); a TLS handshake that failed
// (fatal alert or RST) followed by a new connection from the same client
// to the same server without STARTTLS (starttls.tls_failed_then_plain).
// Join them with each session's own findings with Merge. Nil sessions are
// skipped.
func Capture(sessions []*session.Session) map[int][]session.Finding {
	out := map[int][]session.Finding{}
	fs := make([]*facts, len(sessions))
	for i, s := range sessions {
		if s != nil {
			f := gather(s)
			fs[i] = &f
		}
	}
	crossStripped(fs, out)
	failedThenPlain(fs, out)
	for i := range out {
		sortFindings(out[i])
	}
	return out
}

// crossStripped: for each session whose clear EHLO reply lacks STARTTLS
// (and that has no stronger evidence of its own), look for another session
// to the same server address and port whose clear EHLO reply offered it.
func crossStripped(fs []*facts, out map[int][]session.Finding) {
	for i, f := range fs {
		if f == nil || !f.clearEHLO() || f.offered >= 0 || len(ruleStripped(f)) > 0 {
			continue
		}
		for j, g := range fs {
			if j == i || g == nil || g.offered < 0 || g.s.Server != f.s.Server {
				continue
			}
			last := f.ehlo[len(f.ehlo)-1]
			why := "the same server " + f.s.Server.String() + " offered STARTTLS in stream " + strconv.FormatInt(g.s.Stream, 10) +
				" (frame " + strconv.FormatInt(g.replyFrame(g.offered), 10) + ") but not here"
			out[i] = append(out[i], strippedFinding(f, why, []int64{f.replyFrame(last), g.replyFrame(g.offered)}))
			break
		}
	}
}

// failedThenPlain: session a tried TLS and its handshake failed; a later
// session b from the same client address to the same server sent mail or
// AUTH in clear without STARTTLS (opportunistic senders fall back to clear,
// RFC 3207, Section 4.1 and RFC 7435, Section 3; RFC 8461 and RFC 7672
// exist to stop it).
func failedThenPlain(fs []*facts, out map[int][]session.Finding) {
	for i, b := range fs {
		if b == nil || b.startTLS >= 0 || b.s.TLS.Mode != session.TLSNone {
			continue
		}
		clear, _ := b.clearAfter(-1)
		if !clear {
			continue
		}
		for _, a := range fs {
			if a == nil || a == b || a.s.Client.IP != b.s.Client.IP || a.s.Server.IP != b.s.Server.IP ||
				a.s.FirstFrame >= b.s.FirstFrame {
				continue
			}
			fr, how := handshakeFailure(a.s)
			if fr == 0 {
				continue
			}
			ev := []int64{fr, b.s.FirstFrame, b.cmdFrame(b.clearAuth), b.cmdFrame(b.clearMail), b.cmdFrame(b.clearData)}
			out[i] = append(out[i], finding(CodeTLSFailedThenPlain, session.SevHigh,
				"TLS handshake of stream "+strconv.FormatInt(a.s.Stream, 10)+" failed ("+how+"); this retry from the same client sent mail in clear without STARTTLS",
				ev...))
			break
		}
	}
}

// handshakeFailure returns the frame that broke a session's TLS handshake
// (a plaintext fatal alert, or an RST before both sides sent encrypted
// records) and how, or 0 when the handshake did not fail visibly.
func handshakeFailure(s *session.Session) (int64, string) {
	if len(s.TLSRecords) == 0 {
		return 0, ""
	}
	enc := [2]bool{}
	for i := range s.TLSRecords {
		r := &s.TLSRecords[i]
		if r.Encrypted {
			if r.Dir <= wire.ServerToClient {
				enc[r.Dir] = true
			}
			continue
		}
		if r.Type == 21 && strings.Contains(r.Summary, "fatal") && !(enc[0] && enc[1]) {
			// RFC 8446, Section 6.2 / RFC 5246, Section 7.2.2: a fatal
			// alert ends the connection.
			return r.Frame, strings.TrimPrefix(r.Summary, "Alert: ")
		}
	}
	if enc[0] && enc[1] {
		return 0, ""
	}
	var rst, end int64
	for i := range s.Timeline {
		switch e := &s.Timeline[i]; e.Kind {
		case session.KindRST:
			first64(&rst, e.Frame)
		case session.KindFIN:
			first64(&end, e.Frame)
		}
	}
	switch {
	case rst > 0:
		return rst, "RST during the handshake"
	case end > 0 || s.Complete:
		// The connection ended before both sides encrypted: the handshake
		// broke (an alert the record layer did not show, or silence).
		if end == 0 {
			end = s.LastFrame
		}
		return end, "connection closed before the handshake completed"
	}
	return 0, ""
}

// first64 sets *p to v unless it is set already.
func first64(p *int64, v int64) {
	if *p == 0 {
		*p = v
	}
}
