package findings

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// ruleStripped: the clear EHLO reply lacks STARTTLS and a masked keyword
// stands in its place (a STARTTLS answered 500/502 then adds to the
// evidence). A 500/502 to STARTTLS alone is what a server without TLS
// answers (RFC 3207, Section 4; Postfix without smtpd_tls_*: "502 5.5.1
// Error: command not implemented"; clients such as openssl s_client send
// STARTTLS unoffered): that is starttls.not_offered. The cross-session
// evidence is in Capture.
func ruleStripped(f *facts) []session.Finding {
	if !f.clearEHLO() || f.offered >= 0 || f.masked < 0 {
		return nil
	}
	why := "EHLO reply has a masked keyword (e.g. 250-XXXXXXXA) where STARTTLS belongs"
	ev := []int64{f.replyFrame(f.masked)}
	if f.startTLS >= 0 {
		if fr, code := f.replyTo(f.startTLS); code == 500 || code == 502 {
			why += "; STARTTLS answered " + itoa(code) + " as if unknown"
			ev = append(ev, f.cmdFrame(f.startTLS), fr)
		}
	}
	return one(strippedFinding(f, why, ev))
}

// strippedFinding is the starttls.stripped verdict for f with its reason:
// high, crit when AUTH or DATA follows in clear (FINDINGS.md).
func strippedFinding(f *facts, why string, ev []int64) session.Finding {
	sev := session.SevHigh
	clear, authData := f.clearAfter(-1)
	tail := ""
	switch {
	case authData:
		sev = session.SevCrit
		tail = "; AUTH or DATA followed in clear"
		ev = append(ev, f.cmdFrame(f.clearAuth), f.cmdFrame(f.clearData))
	case clear:
		tail = "; the mail transaction followed in clear"
		ev = append(ev, f.cmdFrame(f.clearMail))
	}
	return finding(CodeStripped, sev, "STARTTLS offer removed on the path: "+why+tail, ev...)
}

// ruleOfferedNotUsed: STARTTLS was in the clear EHLO reply and the client
// went on with AUTH/MAIL/DATA in clear without trying it (RFC 3207,
// Section 4). A refused STARTTLS is starttls.refused instead.
func ruleOfferedNotUsed(f *facts) []session.Finding {
	if f.offered < 0 || f.startTLS >= 0 {
		return nil
	}
	clear, _ := f.clearAfter(-1)
	if !clear {
		return nil
	}
	sev := byRole(f.s.PortRole, session.SevMedium, session.SevHigh)
	sum := "STARTTLS was offered but the client continued in clear"
	ev := []int64{f.replyFrame(f.offered), f.cmdFrame(f.clearMail), f.cmdFrame(f.clearData)}
	if f.clearAuth >= 0 {
		sev = session.SevCrit
		sum += ", including AUTH"
		ev = append(ev, f.cmdFrame(f.clearAuth))
	}
	return one(finding(CodeOfferedNotUsed, sev, sum, ev...))
}

// ruleNotOffered: no clear EHLO reply of this session lists STARTTLS and
// nothing says it was stripped (TLS-RPT's starttls-not-supported, RFC
// 8460, Section 4.3.1). RFC 5321, Section 4.1.1.1: only EHLO's reply lists
// extensions, so a session that only used HELO (or a server that refused
// EHLO) could not be offered STARTTLS either. A STARTTLS answered 220
// proves the server can encrypt: then only the list is wrong (info).
func ruleNotOffered(f *facts) []session.Finding {
	if f.offered >= 0 || f.s.TLS.Mode == session.TLSImplicit || len(ruleStripped(f)) > 0 {
		return nil
	}
	if _, code := f.replyTo(f.startTLS); code == 220 {
		if !f.clearEHLO() {
			return nil
		}
		last := f.ehlo[len(f.ehlo)-1]
		return one(finding(CodeNotOffered, session.SevInfo,
			"the EHLO reply does not list STARTTLS, yet the server accepted STARTTLS with 220: the list is incomplete, TLS is available",
			f.replyFrame(last), f.cmdFrame(f.startTLS)))
	}
	sev := byRole(f.s.PortRole, session.SevLow, session.SevHigh)
	if f.clearEHLO() {
		last := f.ehlo[len(f.ehlo)-1]
		sum := "the server's EHLO reply does not offer STARTTLS: this session could not be encrypted"
		ev := []int64{f.replyFrame(last)}
		if fr, code := f.replyTo(f.startTLS); code >= 500 {
			sum = "the server's EHLO reply does not offer STARTTLS and it answered the client's STARTTLS with " + itoa(code) +
				": it has no TLS, this session could not be encrypted"
			ev = append(ev, f.cmdFrame(f.startTLS), fr)
		}
		return one(finding(CodeNotOffered, sev, sum, ev...))
	}
	if f.helo < 0 {
		return nil
	}
	sum := "only HELO was used, so the server could list no extension (RFC 5321, Section 4.1.1.1): STARTTLS was not offered and this session could not be encrypted"
	ev := []int64{f.cmdFrame(f.helo), f.replyFrame(f.heloReply)}
	if f.ehloRefused >= 0 {
		sum = "the server refused EHLO (" + itoa(f.ehloRefusedCode) + ") and accepted HELO: a HELO-only server cannot offer STARTTLS, this session could not be encrypted"
		ev = append(ev, f.cmdFrame(f.ehloRefused))
	}
	return one(finding(CodeNotOffered, sev, sum, ev...))
}

// ruleRefused: STARTTLS answered 454 "TLS not available due to temporary
// reason", or 5xx although it was offered (RFC 3207, Section 4; a 5xx to
// an unoffered STARTTLS is starttls.stripped). Always a finding
// (FINDINGS.md): low when the client then quits (what a client that
// requires TLS must do, RFC 8314, Section 5.2), medium when it goes on in
// clear, high when AUTH or DATA follows in clear.
func ruleRefused(f *facts) []session.Finding {
	if f.startTLS < 0 {
		return nil
	}
	fr, code := f.replyTo(f.startTLS)
	if code != 454 && !(code >= 500 && f.offered >= 0) {
		return nil
	}
	_, authData := f.clearAfter(f.startTLS)
	cont := false
	for j := f.startTLS + 1; j < len(f.s.Commands); j++ {
		if c := &f.s.Commands[j]; !c.InTLS && !strings.EqualFold(c.Verb, "QUIT") {
			cont = true
		}
	}
	base := "STARTTLS refused with " + itoa(code)
	sev, sum := session.SevLow, base+" and the client quit: nothing went in clear after it"
	if f.inClear() >= 0 {
		sum = base + "; the client sent its ClientHello anyway (starttls.tls_in_clear), then quit: no mail went in clear"
	}
	switch {
	case authData:
		sev, sum = session.SevHigh, base+" and the session continued in clear with AUTH or DATA"
	case cont:
		sev, sum = session.SevMedium, base+" and the session continued in clear"
	}
	return one(finding(CodeRefused, sev, sum, f.cmdFrame(f.startTLS), fr))
}

// ruleTLSInClear: a TLS record the client sent while the server had not
// agreed to TLS (RFC 3207, Section 4: the client starts the handshake only
// after a 220 to STARTTLS); the builder shows it as a record in clear
// (TLSRecord.InClear) with the server's replies to its lines.
func ruleTLSInClear(f *facts) []session.Finding {
	i := f.inClear()
	if i < 0 {
		return nil
	}
	r := &f.s.TLSRecords[i]
	what := "a TLS record"
	for _, h := range r.Handshake {
		if h == 1 { // RFC 8446, Section 4: client_hello(1)
			what = "a TLS ClientHello"
		}
	}
	ev := []int64{r.Frame}
	why := "without STARTTLS"
	if len(f.s.Commands) == 0 || f.s.Commands[0].Frame > r.Frame {
		why = "as its first bytes (implicit TLS, RFC 8314) to a server that speaks plaintext SMTP"
	}
	if f.startTLS >= 0 {
		fr, code := f.replyTo(f.startTLS)
		switch {
		case code == 0:
			why = "after a STARTTLS that got no reply"
		case f.offered < 0:
			why = "although the server did not offer STARTTLS and answered it " + itoa(code)
		default:
			why = "although the server refused STARTTLS with " + itoa(code)
		}
		ev = append(ev, f.cmdFrame(f.startTLS), fr)
	}
	sum := "client sent " + what + " in clear " + why
	var codes []string
	for j := range f.s.Replies {
		if p := f.s.Replies[j].TLSRecord; p != nil && *p == i {
			codes = append(codes, itoa(f.s.Replies[j].Code))
			ev = append(ev, f.s.Replies[j].Frame)
		}
	}
	if len(codes) > 0 {
		sum += ": the server read it as SMTP lines and answered " + strings.Join(codes, ", ")
	}
	return one(finding(CodeTLSInClear, session.SevMedium, sum, ev...))
}

// ruleCommandInjection: commands the client sent after STARTTLS but before
// its 220 arrived, in the same segment or flight (RFC 3207, Section 4:
// STARTTLS must be the last command of a pipelined group). The smtp parser
// marks them (Command.AfterStartTLS). Without that mark, a command in the
// STARTTLS command's frame or before its reply's frame is the same evidence.
func ruleCommandInjection(f *facts) []session.Finding {
	st := f.startTLS
	if st < 0 {
		return nil
	}
	s := f.s
	replyFr, _ := f.replyTo(st)
	stFrame := s.Commands[st].Frame
	var ev []int64
	var verbs []string
	for j := st + 1; j < len(s.Commands); j++ {
		c := &s.Commands[j]
		if c.InTLS {
			break
		}
		early := c.Frame == stFrame || (replyFr > 0 && c.Frame < replyFr) || c.AfterStartTLS
		if !early {
			continue
		}
		ev = append(ev, c.Frame)
		verbs = append(verbs, c.Verb)
	}
	if len(ev) == 0 {
		return nil
	}
	ev = append(ev, stFrame, replyFr)
	what := strings.Join(verbs, ", ")
	switch fr, outcome := injectionOutcome(s); outcome {
	case "ran":
		return one(finding(CodeCommandInjection, session.SevCrit,
			"client sent "+what+" after STARTTLS before the server's 220, and the server ran it inside TLS: a reply inside TLS answers no command the client sent there",
			append(ev, fr)...))
	case "discarded":
		return one(finding(CodeCommandInjection, session.SevMedium,
			"client sent "+what+" after STARTTLS before the server's 220; the server discarded it: each reply inside TLS answers a command sent inside TLS",
			append(ev, fr)...))
	}
	return one(finding(CodeCommandInjection, session.SevHigh,
		"client sent "+what+" after STARTTLS before the server's 220: a vulnerable server runs it inside TLS (decrypt the session to see what this one did)",
		ev...))
}

// injectionOutcome judges, from the decrypted replies inside TLS, what the
// server did with commands injected before its 220 to STARTTLS (RFC 3207,
// Section 4.2: it must discard them; CVE-2011-0411): a server that ran
// them sends one reply more than the client's commands inside TLS explain
// (RFC 2920, Section 3: replies come in order), so a reply inside TLS
// answers no command ("ran", with its frame); when every reply inside TLS
// answers a command sent inside TLS, it discarded them ("discarded", with
// the frame of the first). "" when the session is not decrypted or holds
// no reply inside TLS.
func injectionOutcome(s *session.Session) (int64, string) {
	if !s.TLS.Decrypted {
		return 0, ""
	}
	var first int64
	for i := range s.Replies {
		r := &s.Replies[i]
		if !r.InTLS {
			continue
		}
		if r.Command < 0 && r.Code != 421 { // RFC 5321, Section 3.8: 421 may come at any time
			return r.Frame, "ran"
		}
		if first == 0 {
			first = r.Frame
		}
	}
	if first == 0 {
		return 0, ""
	}
	return first, "discarded"
}

// ruleResponseInjection: the builder reports server bytes after the 220 to
// STARTTLS that arrived before the TLS handshake (anomaly
// starttls.response_injection).
func ruleResponseInjection(f *facts) []session.Finding {
	var out []session.Finding
	for _, a := range f.s.Anomalies {
		if a.Code != CodeResponseInjection {
			continue
		}
		fr, _ := f.replyTo(f.startTLS)
		out = append(out, finding(CodeResponseInjection, session.SevHigh,
			a.Summary, a.Frame, fr))
	}
	return out
}

// ruleNoTLSAfter220: after the 220 to STARTTLS the next bytes were not a
// TLS record (RFC 3207, Section 4: the client MUST start the negotiation
// before any other command); the builder reports it as an anomaly.
func ruleNoTLSAfter220(f *facts) []session.Finding {
	var out []session.Finding
	for _, a := range f.s.Anomalies {
		// FINDINGS.md: the client's next bytes. Server bytes there are
		// response injection, or a record the builder did not take for
		// TLS (an alert).
		if a.Code != CodeNoTLSAfter220 || a.Dir != wire.ClientToServer {
			continue
		}
		fr, _ := f.replyTo(f.startTLS)
		out = append(out, finding(CodeNoTLSAfter220, session.SevHigh, a.Summary, a.Frame, fr))
	}
	return out
}

// ruleNoEHLOAfterTLS needs decrypted TLS: the first command inside TLS is
// not EHLO/HELO, or the EHLO reply inside TLS still offers STARTTLS (RFC
// 3207, Section 4.2). Without keys nothing inside TLS is assessable.
func ruleNoEHLOAfterTLS(f *facts) []session.Finding {
	s := f.s
	if !s.TLS.Decrypted || s.TLS.Mode != session.TLSStartTLS {
		return nil
	}
	for i := range s.Commands {
		c := &s.Commands[i]
		if !c.InTLS {
			continue
		}
		switch c.Verb {
		case "EHLO", "HELO":
			if c.Reply != nil && c.Reply.Index < len(s.Replies) && c.Verb == "EHLO" && replyHas(&s.Replies[c.Reply.Index], "STARTTLS") {
				return one(finding(CodeNoEHLOAfterTLS, session.SevMedium,
					"the EHLO reply inside TLS still offers STARTTLS", c.Frame, c.Reply.Frame))
			}
			return nil
		}
		return one(finding(CodeNoEHLOAfterTLS, session.SevMedium,
			"first command inside TLS is "+c.Verb+", not EHLO: pre-TLS knowledge was kept", c.Frame))
	}
	return nil
}
