package findings

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// ruleAuthPlaintext: AUTH in clear (RFC 4954, Section 4: PLAIN and LOGIN
// carry the password in base64; Section 14: use them only under TLS).
// PLAIN, LOGIN and bearer tokens are crit, challenge-response mechanisms
// high (offline dictionary attacks on the digest). A server that refused
// with 530 before any secret was sent is info: the good behaviour.
func ruleAuthPlaintext(f *facts) []session.Finding {
	s := f.s
	var out []session.Finding
	for i := range s.Commands {
		c := &s.Commands[i]
		if c.InTLS || c.Verb != "AUTH" {
			continue
		}
		mech, initial, _ := strings.Cut(strings.TrimSpace(c.Arg), " ")
		mech = strings.ToUpper(mech)
		att := attemptFor(s, c)
		rfr, code := f.replyTo(i)
		ev := append([]int64{c.Frame, rfr}, authLineFrames(s, i)...)
		secret := initial != "" || (att != nil && (att.User != "" || att.Password != ""))
		if !secret && code == 530 {
			out = append(out, finding(CodeAuthPlaintext, session.SevInfo,
				"AUTH "+mech+" in clear refused with 530 before any secret was sent (server requires STARTTLS)", ev...))
			continue
		}
		if !secret && code >= 500 {
			continue // refused before the client sent anything secret
		}
		sum := "AUTH " + mech + " in clear"
		if att != nil {
			if att.User != "" {
				sum += ": user " + att.User
			}
			if att.Password != "" {
				sum += ", password " + att.Password
			}
			if att.Result != 0 {
				sum += " (" + itoa(att.Result) + ")"
			}
		}
		out = append(out, finding(CodeAuthPlaintext, authSeverity(mech), sum, ev...))
	}
	return out
}

// authSeverity rates a SASL mechanism seen in clear.
func authSeverity(mech string) session.Severity {
	switch mech {
	case "PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER":
		// RFC 4616, Section 4; RFC 7628, Section 5: the secret itself.
		return session.SevCrit
	}
	// CRAM-MD5 (RFC 2195), DIGEST-MD5 (RFC 6331), NTLM, SCRAM: a
	// challenge-response an eavesdropper can attack offline.
	return session.SevHigh
}

// attemptFor returns the AUTH exchange started by command c, or nil.
func attemptFor(s *session.Session, c *session.Command) *session.AuthAttempt {
	for i := range s.Auth {
		a := &s.Auth[i]
		if a.InTLS || a.Frame < c.Frame {
			continue
		}
		return a
	}
	return nil
}

// authLineFrames returns the frames of the client's AUTH continuation
// lines (answers to 334) of command i, from the timeline.
func authLineFrames(s *session.Session, i int) []int64 {
	var out []int64
	for k := range s.Timeline {
		e := &s.Timeline[k]
		if e.Kind == session.KindAuth && e.Ref == i && !e.InTLS {
			out = append(out, e.Frame)
		}
	}
	return out
}

// ruleAuthAdvertised: a clear EHLO reply lists AUTH PLAIN or LOGIN while
// also offering STARTTLS, inviting clients to send passwords in clear (RFC
// 4954, Section 4; RFC 3207, Section 6).
func ruleAuthAdvertised(f *facts) []session.Finding {
	for _, ri := range f.ehlo {
		r := &f.s.Replies[ri]
		if !replyHas(r, "STARTTLS") {
			continue
		}
		var weak []string
		for _, m := range replyParams(r, "AUTH") {
			if (m == "PLAIN" || m == "LOGIN") && !contains(weak, m) {
				weak = append(weak, m)
			}
		}
		if len(weak) == 0 {
			continue
		}
		sev := byRole(f.s.PortRole, session.SevLow, session.SevMedium)
		return one(finding(CodeAuthAdvertised, sev,
			"AUTH "+strings.Join(weak, " ")+" offered in clear before STARTTLS", r.Frame))
	}
	return nil
}

// contains reports whether v is in list.
func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
