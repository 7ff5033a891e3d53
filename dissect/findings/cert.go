package findings

import (
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// cert is the certificate evidence tls.certificate needs: the fields
// tlsrec.Certificate decodes from a TLS ≤ 1.2 Certificate message (RFC 5246,
// Section 7.4.2). The model does not carry certificates yet; the proposed
// session.TLSInfo.Certificates field would hold exactly these.
type cert struct {
	Subject    string
	SANs       []string
	NotBefore  time.Time
	NotAfter   time.Time
	KeyAlgo    string
	KeyBits    int
	SigAlgo    string
	SelfSigned bool
}

// sessionCerts returns the server's chain, leaf first, and the frame that
// carried it (TLS <= 1.2; empty when it was encrypted or not captured).
func sessionCerts(s *session.Session) ([]cert, int64) {
	var chain []cert
	for _, c := range s.TLS.Certificates {
		if c.Err != "" {
			continue
		}
		chain = append(chain, cert{Subject: c.Subject, SANs: c.SANs, NotBefore: c.NotBefore, NotAfter: c.NotAfter,
			KeyAlgo: c.KeyAlgo, KeyBits: c.KeyBits, SigAlgo: c.SigAlgo, SelfSigned: c.SelfSigned})
	}
	return chain, s.TLS.CertFrame
}

// ruleCertificate judges the leaf certificate (TLS ≤ 1.2; in TLS 1.3 it is
// encrypted and not assessable without keys).
func ruleCertificate(f *facts) []session.Finding {
	chain, fr := sessionCerts(f.s)
	return certVerdict(f.s.PortRole, chain, expectedHost(f.s), f.s.Start, fr)
}

// expectedHost is the name the certificate should carry: the SNI the
// client asked for, else the name in the server's greeting (RFC 5321,
// Section 4.3.1: "220 domain …").
func expectedHost(s *session.Session) string {
	if s.TLS.SNI != "" {
		return s.TLS.SNI
	}
	for i := range s.Replies {
		r := &s.Replies[i]
		if r.Command < 0 && r.Code == 220 && len(r.Lines) > 0 {
			name, _, _ := strings.Cut(r.Lines[0], " ")
			return name
		}
	}
	return ""
}

// certVerdict rates a chain for a server of role at capture time at:
// self-signed or wrong name are low on 25 (opportunistic TLS between MTAs
// authenticates nobody anyway, RFC 7435), expired, RSA < 2048 or SHA-1
// medium there; on 587/465 any of them is high (RFC 8314, Section 5.3:
// submission clients MUST verify the server).
func certVerdict(role session.PortRole, chain []cert, host string, at time.Time, frame int64) []session.Finding {
	if len(chain) == 0 {
		return nil
	}
	leaf := chain[0]
	sev := session.Severity("")
	var why []string
	note := func(relay session.Severity, w string) {
		s := byRole(role, relay, session.SevHigh)
		if sev == "" || s.Rank() > sev.Rank() {
			sev = s
		}
		why = append(why, w)
	}
	if leaf.SelfSigned {
		note(session.SevLow, "self-signed")
	}
	if !at.IsZero() && (at.After(leaf.NotAfter) || at.Before(leaf.NotBefore)) {
		note(session.SevMedium, "not valid at capture time (valid "+leaf.NotBefore.UTC().Format(time.DateOnly)+" to "+
			leaf.NotAfter.UTC().Format(time.DateOnly)+")")
	}
	if host != "" && !certNameMatches(leaf, host) {
		note(session.SevLow, "name does not match "+host)
	}
	if strings.EqualFold(leaf.KeyAlgo, "RSA") && leaf.KeyBits > 0 && leaf.KeyBits < 2048 {
		note(session.SevMedium, "RSA key of "+itoa(leaf.KeyBits)+" bits")
	}
	if strings.Contains(strings.ToUpper(leaf.SigAlgo), "SHA1") || strings.Contains(strings.ToUpper(leaf.SigAlgo), "MD5") {
		note(session.SevMedium, "signed with "+leaf.SigAlgo)
	}
	if sev == "" {
		return nil
	}
	return one(finding(CodeCertificate, sev, "server certificate "+leaf.Subject+": "+strings.Join(why, "; "), frame))
}

// certNameMatches checks host against the SANs, else the subject CN, with
// one left-most wildcard label (RFC 6125, Section 6.4.3).
func certNameMatches(c cert, host string) bool {
	names := c.SANs
	if len(names) == 0 {
		for _, part := range strings.Split(c.Subject, ",") {
			if cn, ok := strings.CutPrefix(strings.TrimSpace(part), "CN="); ok {
				names = append(names, cn)
			}
		}
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, n := range names {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if n == host {
			return true
		}
		if rest, ok := strings.CutPrefix(n, "*."); ok {
			if _, hostRest, ok := strings.Cut(host, "."); ok && hostRest == rest {
				return true
			}
		}
	}
	return false
}
