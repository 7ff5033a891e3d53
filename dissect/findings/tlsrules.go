package findings

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// serverHello returns the frame of the first ServerHello record (handshake
// type 2, RFC 8446, Section 4), or 0.
func serverHello(s *session.Session) int64 {
	for i := range s.TLSRecords {
		r := &s.TLSRecords[i]
		if r.Dir != wire.ServerToClient || r.Encrypted {
			continue
		}
		for _, h := range r.Handshake {
			if h == 2 && !strings.Contains(r.Summary, "HelloRetryRequest") {
				return r.Frame
			}
		}
	}
	return 0
}

// ruleWeakVersion: the ServerHello selects SSL 3.0 (RFC 7568: MUST NOT be
// used), or TLS 1.0/1.1 (RFC 8996; RFC 8997 for mail).
func ruleWeakVersion(f *facts) []session.Finding {
	v := f.s.TLS.Version
	var sev session.Severity
	switch v {
	case "SSL 2.0", "SSL 3.0":
		sev = session.SevHigh
	case "TLS 1.0", "TLS 1.1":
		sev = session.SevMedium
	default:
		return nil
	}
	return one(finding(CodeWeakVersion, sev, "server selected "+v+", deprecated", serverHello(f.s)))
}

// ruleWeakCipher rates the selected cipher suite by its IANA name.
func ruleWeakCipher(f *facts) []session.Finding {
	c := f.s.TLS.Cipher
	if c == "" {
		return nil
	}
	sev, why := cipherVerdict(c)
	if sev == "" {
		return nil
	}
	return one(finding(CodeWeakCipher, sev, "server selected "+c+": "+why, serverHello(f.s)))
}

// cipherVerdict rates an IANA cipher suite name: NULL encryption, EXPORT
// grade, anonymous key exchange, RC4 (RFC 7465) and single DES (RFC 5469)
// are high; 3DES (SWEET32, CVE-2016-2183) medium; static RSA key exchange
// (no forward secrecy, RFC 7525, Section 4.2) low. Empty when fine.
func cipherVerdict(name string) (session.Severity, string) {
	n := strings.ToUpper(name)
	var sev session.Severity
	var why []string
	note := func(s session.Severity, w string) {
		if sev == "" || s.Rank() > sev.Rank() {
			sev = s
		}
		why = append(why, w)
	}
	switch {
	case strings.Contains(n, "_WITH_NULL_") || strings.HasSuffix(n, "_NULL_NULL") || strings.Contains(n, "_NULL_SHA"):
		note(session.SevHigh, "no encryption (NULL)")
	}
	if strings.Contains(n, "EXPORT") {
		note(session.SevHigh, "EXPORT-grade keys")
	}
	if strings.Contains(n, "_ANON_") {
		note(session.SevHigh, "anonymous key exchange (no authentication)")
	}
	if strings.Contains(n, "_RC4_") {
		note(session.SevHigh, "RC4, prohibited by RFC 7465")
	}
	switch {
	case strings.Contains(n, "3DES") || strings.Contains(n, "DES_EDE"):
		note(session.SevMedium, "3DES, 64-bit blocks (SWEET32, CVE-2016-2183)")
	case strings.Contains(n, "_DES_") || strings.Contains(n, "_DES40_"):
		note(session.SevHigh, "single DES")
	}
	if strings.HasPrefix(n, "TLS_RSA_") || strings.HasPrefix(n, "SSL_RSA_") {
		note(session.SevLow, "static RSA key exchange, no forward secrecy")
	}
	if sev == "" {
		return "", ""
	}
	return sev, strings.Join(why, "; ")
}

// ruleDowngrade: a ServerHello random ending in the RFC 8446, Section
// 4.1.3 sentinel while the client offered TLS 1.3 (high: a TLS 1.3 client
// must abort; something forced the lower version); the sentinel with a
// client that did not offer 1.3, and a fatal inappropriate_fallback alert
// (RFC 7507, Section 3: the server stopped a fallback), are info. The
// client's highest version is read from its JA4 ("t13…", FoxIO JA4
// section "TLS version").
func ruleDowngrade(f *facts) []session.Finding {
	s := f.s
	var out []session.Finding
	for i := range s.TLSRecords {
		r := &s.TLSRecords[i]
		switch {
		case r.Dir == wire.ServerToClient && strings.Contains(r.Summary, "downgrade sentinel"):
			sentinel := r.Summary[strings.Index(r.Summary, "downgrade sentinel"):]
			sentinel = strings.TrimRight(strings.SplitN(sentinel, ",", 2)[0], ")")
			if strings.HasPrefix(s.TLS.JA4, "t13") {
				out = append(out, finding(CodeDowngrade, session.SevHigh,
					"the client offered TLS 1.3 yet the server's "+sentinel+" says it chose lower: the version was forced down", r.Frame))
			} else {
				out = append(out, finding(CodeDowngrade, session.SevInfo,
					"ServerHello carries the "+sentinel+": a TLS 1.3 server met a client that did not offer 1.3", r.Frame))
			}
		case !r.Encrypted && strings.Contains(r.Summary, "inappropriate_fallback"):
			out = append(out, finding(CodeDowngrade, session.SevInfo,
				"alert inappropriate_fallback (86): the server refused a version fallback (RFC 7507)", r.Frame))
		}
	}
	return out
}

// rulePortTransport: a plaintext greeting on 465 (RFC 8314, Section 3.3:
// TLS from the first byte), or a ClientHello straight away on 25/587 (RFC
// 5321 and RFC 6409 start in clear; RFC 3207 upgrades).
func rulePortTransport(f *facts) []session.Finding {
	s := f.s
	switch s.PortRole {
	case session.RoleSubmissions:
		for i := range s.Replies {
			r := &s.Replies[i]
			// A plaintext greeting on 465 is wrong whatever the client
			// did: even a client that sent its ClientHello got SMTP back.
			if r.Command < 0 && !r.InTLS && r.Code == 220 {
				return one(finding(CodePortTransport, session.SevMedium,
					"plaintext SMTP greeting on 465, which is implicit TLS (RFC 8314)", r.Frame))
			}
		}
	case session.RoleRelay, session.RoleSubmission:
		if s.TLS.Mode != session.TLSImplicit {
			return nil
		}
		var fr int64
		for i := range s.TLSRecords {
			if s.TLSRecords[i].Dir == wire.ClientToServer {
				fr = s.TLSRecords[i].Frame
				break
			}
		}
		return one(finding(CodePortTransport, session.SevMedium,
			"TLS from the first byte on port "+itoa(int(s.Server.Port))+", which starts in clear and upgrades with STARTTLS", fr))
	}
	return nil
}
