package lesson

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// placed is a concept page and the band it follows: -1 follows the
// introduction, len(bands) precedes the summary.
type placed struct {
	code  string
	after int
}

// conceptPlaces decides which concept pages belong in the lesson of s and
// where: the ESMTP page after the first EHLO, opportunistic TLS after the
// STARTTLS (or the EHLO that should have offered it), the answers to
// downgrade where a relay's STARTTLS is taught or a downgrade finding
// fired, 465's history after an implicit-TLS handshake or beside a 587
// STARTTLS, open relays after a relay's envelope, and what Wireshark shows
// after the first encrypted phase.
func conceptPlaces(s *session.Session, bands []Band) []placed {
	first := func(p session.Phase) int {
		for i, b := range bands {
			if b.Phase == p {
				return i
			}
		}
		return -1
	}
	end := len(bands)
	ehlo, starttls, hs, env, enc := first(session.PhaseEHLO), first(session.PhaseStartTLS),
		first(session.PhaseTLSHandshake), first(session.PhaseEnvelope), first(session.PhaseEncrypted)
	implicit := s.TLS.Mode == session.TLSImplicit || s.PortRole == session.RoleSubmissions
	var out []placed
	if ehlo >= 0 {
		out = append(out, placed{ConceptESMTP, ehlo})
	}
	opp := -2
	if !implicit {
		switch {
		case starttls >= 0:
			opp = starttls
		case ehlo >= 0:
			opp = ehlo
		}
		if opp >= -1 {
			out = append(out, placed{ConceptOpportunistic, opp})
		}
	}
	if downgradeFinding(s) || (opp >= -1 && s.PortRole != session.RoleSubmission) {
		at := opp
		if at < -1 {
			at = max(ehlo, hs, -1)
		}
		out = append(out, placed{ConceptDowngrade, at})
	}
	switch {
	case implicit:
		out = append(out, placed{Concept465, max(hs, -1)})
	case s.PortRole == session.RoleSubmission && opp >= -1:
		out = append(out, placed{Concept465, opp})
	}
	if s.PortRole == session.RoleRelay || s.PortRole == session.RoleOther {
		if env >= 0 {
			out = append(out, placed{ConceptOpenRelay, env})
		} else {
			out = append(out, placed{ConceptOpenRelay, end})
		}
	}
	if len(s.TLSRecords) > 0 || enc >= 0 {
		switch {
		case enc >= 0:
			out = append(out, placed{ConceptWireshark, enc})
		case hs >= 0:
			out = append(out, placed{ConceptWireshark, lastOf(bands, session.PhaseTLSHandshake)})
		default:
			out = append(out, placed{ConceptWireshark, end})
		}
	}
	return out
}

// lastOf returns the index of the last band of phase p before the first
// band of another phase that follows it (the end of a run of p bands).
func lastOf(bands []Band, p session.Phase) int {
	at := -1
	for i, b := range bands {
		if b.Phase == p {
			at = i
		} else if at >= 0 {
			break
		}
	}
	return at
}

// downgradeFinding reports whether s carries a finding that MTA-STS, DANE
// or TLS-RPT answer.
func downgradeFinding(s *session.Session) bool {
	for _, f := range s.Findings {
		switch f.Code {
		case "starttls.stripped", "starttls.refused", "starttls.not_offered", "starttls.tls_failed_then_plain":
			return true
		}
	}
	return false
}

// conceptPage builds the page of a concept for s: what this session shows
// of it, then the fixed text and its references.
func conceptPage(s *session.Session, code string) Page {
	c := conceptText(code)
	d := doc{}
	if ctx := conceptContext(s, code); len(ctx) > 0 {
		d.head("In this session")
		for _, t := range ctx {
			d.text(t)
		}
	}
	d.head("The idea")
	for _, t := range c.Text {
		d.text(t)
	}
	d.refs(c.Refs)
	return Page{Title: c.Title, Kind: Concept, Band: -1, Concept: code, Lines: d.lines}
}

// conceptContext is what s shows of a concept, in its own numbers.
func conceptContext(s *session.Session, code string) []string {
	switch code {
	case ConceptESMTP:
		return esmtpContext(s)
	case ConceptOpportunistic:
		return opportunisticContext(s)
	case ConceptDowngrade:
		return downgradeContext(s)
	case Concept465:
		return port465Context(s)
	case ConceptOpenRelay:
		return relayContext(s)
	case ConceptWireshark:
		return wiresharkContext(s)
	}
	return nil
}

func esmtpContext(s *session.Session) []string {
	var out []string
	for _, c := range s.Commands {
		if c.Verb != "EHLO" && c.Verb != "HELO" && c.Verb != "LHLO" {
			continue
		}
		t := "The client sent " + strings.TrimSpace(c.SentVerb()+" "+c.Arg)
		if c.Verb == "LHLO" {
			t += " (LMTP's EHLO, RFC 2033)"
		}
		if c.InTLS {
			t += " inside TLS"
		}
		keys := capabilities(s, c.InTLS)
		switch {
		case c.Verb == "HELO":
			t += ": the old hello, so no extensions were offered."
		case len(keys) == 0:
			t += "."
		default:
			t += "; the server listed " + plural(len(keys), "extension") + ": " + strings.Join(keys, ", ") + "."
		}
		out = append(out, t)
	}
	return out
}

// capabilities lists the EHLO keywords seen in or out of TLS.
func capabilities(s *session.Session, inTLS bool) []string {
	var out []string
	for _, c := range s.Capabilities {
		if c.InTLS == inTLS {
			out = append(out, c.Keyword)
		}
	}
	return out
}

// offered reports whether a clear EHLO reply listed STARTTLS.
func offered(s *session.Session) bool {
	for _, k := range capabilities(s, false) {
		if strings.EqualFold(k, "STARTTLS") {
			return true
		}
	}
	return false
}

func hasFinding(s *session.Session, code string) bool {
	for _, f := range s.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func opportunisticContext(s *session.Session) []string {
	switch {
	case hasFinding(s, "starttls.stripped"):
		return []string{"The offer of STARTTLS was removed on the path and the client went on in clear: " +
			"opportunistic TLS failed open, exactly as designed."}
	case s.TLS.Mode == session.TLSStartTLS && s.TLS.Version != "":
		return []string{"The server offered STARTTLS and the client took it, reaching " + s.TLS.Version +
			": encrypted, but only because nobody on the path removed the offer."}
	case s.TLS.Mode == session.TLSStartTLS:
		return []string{"The client asked for STARTTLS but no TLS session was set up: an opportunistic sender " +
			"then tries again in clear, which is what an attacker who breaks the handshake wants."}
	case offered(s):
		return []string{"The server offered STARTTLS and the client did not use it: everything that followed " +
			"crossed in clear."}
	}
	return []string{"No STARTTLS was offered: an opportunistic client sends in clear here, a client that " +
		"requires TLS would have stopped."}
}

func downgradeContext(s *session.Session) []string {
	host := greetingHost(s)
	if host == "" {
		return []string{"smtpscope sees this one connection, not the DNS: the policies are looked up in the " +
			"receiving domain's DNS (dig TXT _mta-sts.<domain>, TXT _smtp._tls.<domain>, TLSA _25._tcp.<MX host>)."}
	}
	domain := host
	if i := strings.IndexByte(host, '.'); i > 0 && strings.Count(host, ".") >= 2 {
		domain = host[i+1:]
	}
	return []string{"The server greeted as " + host + ". smtpscope sees this one connection, not the DNS: a " +
		"sender to " + domain + " would look up TXT _mta-sts." + domain + " (MTA-STS), TXT _smtp._tls." + domain +
		" (TLS-RPT) and TLSA _25._tcp." + host + " (DANE)."}
}

// greetingHost returns the first word of the server's 220 greeting.
func greetingHost(s *session.Session) string {
	for _, r := range s.Replies {
		if r.Command == -1 && r.Code == 220 && len(r.Lines) > 0 {
			f := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(r.Lines[0], "220"), "-"))
			if len(f) > 0 && strings.Contains(f[0], ".") {
				return f[0]
			}
		}
	}
	return ""
}

func port465Context(s *session.Session) []string {
	if s.TLS.Mode == session.TLSImplicit {
		for i := range s.Timeline {
			if e := &s.Timeline[i]; e.Kind == session.KindTLS {
				return []string{"The client's first bytes were a TLS ClientHello (frame " + strconv.FormatInt(e.Frame, 10) +
					"): not one SMTP byte crossed in clear."}
			}
		}
		return []string{"The connection began with TLS: not one SMTP byte crossed in clear."}
	}
	lines, bytes := clearSMTP(s)
	if lines == 0 {
		return nil
	}
	n := plural(lines, "SMTP line") + " (" + plural(bytes, "byte") + ")"
	switch {
	case s.PortRole == session.RoleSubmissions:
		return []string{"This session reached port 465 but spoke in clear: " + n + " crossed unprotected, where " +
			"TLS should have started with the first byte."}
	case s.TLS.Mode == session.TLSNone:
		return []string{"This session used port " + strconv.Itoa(int(s.Server.Port)) + " and never encrypted: " + n +
			" crossed in clear; on 465 the first bytes would have been a TLS ClientHello."}
	}
	return []string{"This session used port " + strconv.Itoa(int(s.Server.Port)) + ": " + n + " crossed in clear " +
		"before TLS started (the greeting, the EHLO list, STARTTLS and its 220): on 465 there would have been none."}
}

// clearSMTP counts the SMTP lines and bytes sent outside TLS.
func clearSMTP(s *session.Session) (lines, bytes int) {
	for i := range s.Timeline {
		e := &s.Timeline[i]
		if e.InTLS || !SMTPKind(e.Kind) {
			continue
		}
		switch {
		case e.Kind == session.KindReply && e.Ref >= 0 && e.Ref < len(s.Replies):
			for _, l := range wireLines(&s.Replies[e.Ref]) {
				lines++
				bytes += len(l) + 2
			}
		case e.Kind == session.KindCommand && e.Ref >= 0 && e.Ref < len(s.Commands):
			c := &s.Commands[e.Ref]
			lines++
			if len(e.Raw) > 0 {
				bytes += len(e.Raw)
			} else {
				bytes += len(strings.TrimSpace(c.Verb+" "+c.Arg)) + 2
			}
		}
	}
	return lines, bytes
}

func relayContext(s *session.Session) []string {
	var rcpts []string
	for _, c := range s.Commands {
		if c.Verb != "RCPT" {
			continue
		}
		t := c.Arg
		if c.Reply != nil {
			t += " → " + strconv.Itoa(c.Reply.Code)
		}
		rcpts = append(rcpts, t)
	}
	if len(rcpts) == 0 {
		if s.TLS.Mode != session.TLSNone && !s.TLS.Decrypted {
			return []string{"The envelope, if any, went inside TLS: without the keys it cannot be seen here."}
		}
		return []string{"No recipient was named in this session."}
	}
	auth := "without AUTH"
	for _, a := range s.Auth {
		if a.Result == 235 {
			auth = "after a successful AUTH"
		}
	}
	return []string{"Recipients " + strings.Join(rcpts, ", ") + ", " + auth + ": a server on 25 should accept " +
		"them only for domains it serves (or clients it knows), and answer 550 to the rest."}
}

func wiresharkContext(s *session.Session) []string {
	var n int
	var b int64
	for i := range s.TLSRecords {
		if r := &s.TLSRecords[i]; r.Encrypted {
			n++
			b += int64(r.Length)
		}
	}
	for i := range s.Timeline {
		if e := &s.Timeline[i]; e.Kind == session.KindTLSBulk {
			n += e.Count
			b += e.Bytes
		}
	}
	if n == 0 {
		return nil
	}
	if s.TLS.Decrypted {
		return []string{"smtpscope read this session with its key log. Without it, Wireshark would show " +
			plural(n, "protected record") + " (" + plural(int(b), "byte") + ") as TLS and nothing of the SMTP inside."}
	}
	return []string{"Without the keys, as here: " + plural(n, "protected record") + ", " + plural(int(b), "byte") +
		", and no SMTP."}
}
