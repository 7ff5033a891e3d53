package findings

import (
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// ruleCase is one rule on a hand-built session that shows it and on its
// clean counterpart.
type ruleCase struct {
	name   string
	code   string
	sev    session.Severity
	frames []int64
	fire   func() *session.Session
	clean  func() *session.Session
}

// goodSubmission is a clean 587 session: STARTTLS, TLS 1.3, nothing in
// clear after it (encrypted, no keys).
func goodSubmission() *session.Session {
	return newSession(587).greet(4).ehlo(5, false, "PIPELINING", "STARTTLS").tlsStart(7, "TLS 1.3", "TLS_AES_128_GCM_SHA256").s
}

func ruleCases() []ruleCase {
	return []ruleCase{{
		name: "stripped masked, AUTH follows: crit", code: CodeStripped, sev: session.SevCrit, frames: []int64{6, 7},
		fire: func() *session.Session {
			return newSession(587).greet(4).ehlo(5, false, "PIPELINING", "XXXXXXXA", "AUTH PLAIN LOGIN").auth(7, "PLAIN", "AGFsaWNl", false, 235).mail(9, false).s
		},
		clean: goodSubmission,
	}, {
		name: "stripped masked, nothing follows: high", code: CodeStripped, sev: session.SevHigh, frames: []int64{6},
		fire:  func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "XXXXXXXA").s },
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "stripped: masked keyword, STARTTLS answered 502", code: CodeStripped, sev: session.SevCrit, frames: []int64{6, 7, 8, 13},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "XXXXXXXA")
			b.cmd(7, "STARTTLS", "", false, 8, 502)
			return b.mail(9, false).s
		},
		clean: func() *session.Session {
			// A server without TLS (Postfix without smtpd_tls_*)
			// answers an unoffered STARTTLS 502: not stripped.
			b := newSession(25).greet(4).ehlo(5, false, "8BITMIME")
			b.cmd(7, "STARTTLS", "", false, 8, 502)
			return b.mail(9, false).s
		},
	}, {
		name: "not offered: STARTTLS answered 502", code: CodeNotOffered, sev: session.SevLow, frames: []int64{6, 7, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "8BITMIME")
			b.cmd(7, "STARTTLS", "", false, 8, 502)
			return b.s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "XXXXXXXA").s },
	}, {
		name: "ClientHello in clear after 454", code: CodeTLSInClear, sev: session.SevMedium, frames: []int64{7, 8, 9, 10},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 454)
			return b.clearHello(9, 10).s
		},
		clean: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 454)
			return b.s
		},
	}, {
		name: "offered not used on 25: medium", code: CodeOfferedNotUsed, sev: session.SevMedium, frames: []int64{6, 7, 11},
		fire: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").mail(7, false).s },
		clean: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x").s
		},
	}, {
		name: "offered not used on 587: high", code: CodeOfferedNotUsed, sev: session.SevHigh, frames: []int64{6, 7},
		fire:  func() *session.Session { return newSession(587).greet(4).ehlo(5, false, "STARTTLS").mail(7, false).s },
		clean: goodSubmission,
	}, {
		name: "offered not used with AUTH: crit", code: CodeOfferedNotUsed, sev: session.SevCrit, frames: []int64{6, 7},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS", "AUTH LOGIN").auth(7, "LOGIN", "", false, 235).mail(9, false).s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "not offered on 25: low", code: CodeNotOffered, sev: session.SevLow, frames: []int64{6},
		fire:  func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "SIZE 1000").mail(7, false).s },
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "not offered on 587: high", code: CodeNotOffered, sev: session.SevHigh, frames: []int64{6},
		fire: func() *session.Session { return newSession(587).greet(4).ehlo(5, false, "SIZE 1000").s },
		clean: func() *session.Session { // STARTTLS answered 220 is no "not offered" worse than info
			b := newSession(587).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 220)
			return b.s
		},
	}, {
		name: "HELO only on 25: low", code: CodeNotOffered, sev: session.SevLow, frames: []int64{5, 6},
		fire: func() *session.Session {
			b := newSession(25).greet(4)
			b.cmd(5, "HELO", "x", false, 6, 250)
			return b.mail(7, false).s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "EHLO refused, HELO accepted on 587: high", code: CodeNotOffered, sev: session.SevHigh, frames: []int64{5, 7, 8},
		fire: func() *session.Session {
			b := newSession(587).greet(4)
			b.cmd(5, "EHLO", "x", false, 6, 502)
			b.cmd(7, "HELO", "x", false, 8, 250)
			return b.s
		},
		clean: func() *session.Session { return newSession(587).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "EHLO lacks STARTTLS but STARTTLS got 220: info", code: CodeNotOffered, sev: session.SevInfo, frames: []int64{6, 7},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "SIZE 1000")
			b.cmd(7, "STARTTLS", "", false, 8, 220)
			return b.s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "refused then quit: low", code: CodeRefused, sev: session.SevLow, frames: []int64{7, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 454)
			b.cmd(9, "QUIT", "", false, 10, 221)
			return b.s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "offered, refused with 5xx, then NOOP: medium", code: CodeRefused, sev: session.SevMedium, frames: []int64{7, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 554)
			b.cmd(9, "NOOP", "", false, 10, 250)
			return b.s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS").s },
	}, {
		name: "refused then mail: medium", code: CodeRefused, sev: session.SevMedium, frames: []int64{7, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 454)
			b.cmd(9, "MAIL", "FROM:<a@b>", false, 10, 250)
			return b.s
		},
		clean: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 220)
			return b.s
		},
	}, {
		name: "refused then DATA: high", code: CodeRefused, sev: session.SevHigh, frames: []int64{7, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 454)
			return b.mail(9, false).s
		},
		clean: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "x").s
		},
	}, {
		name: "command injection in the STARTTLS segment", code: CodeCommandInjection, sev: session.SevHigh, frames: []int64{7, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 220)
			b.cmd(7, "RSET", "", false, 0, 0)
			return b.s
		},
		clean: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "x").s
		},
	}, {
		name: "command injection discarded (decrypted)", code: CodeCommandInjection, sev: session.SevMedium, frames: []int64{7, 8, 21},
		fire: func() *session.Session { return injected(false) },
		clean: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x").s
		},
	}, {
		name: "command injection run by the server (decrypted)", code: CodeCommandInjection, sev: session.SevCrit, frames: []int64{7, 8, 21},
		fire: func() *session.Session { return injected(true) },
		clean: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x").s
		},
	}, {
		name: "command injection marked by the parser", code: CodeCommandInjection, sev: session.SevHigh, frames: []int64{9},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 0, 0)
			i := b.cmd(9, "NOOP", "", false, 0, 0)
			b.s.Commands[i].AfterStartTLS = true
			return b.s
		},
		clean: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 454)
			b.cmd(9, "NOOP", "", false, 10, 250) // after the reply: not injected
			return b.s
		},
	}, {
		name: "response injection", code: CodeResponseInjection, sev: session.SevHigh, frames: []int64{8},
		fire: func() *session.Session {
			b := newSession(587).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "x")
			return b.anomaly(8, wire.ServerToClient, CodeResponseInjection, `30 plaintext bytes after the 220 to STARTTLS: "250 x"`).s
		},
		clean: goodSubmission,
	}, {
		name: "no TLS after 220 (client)", code: CodeNoTLSAfter220, sev: session.SevHigh, frames: []int64{9, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 220)
			return b.anomaly(9, wire.ClientToServer, CodeNoTLSAfter220, `client sent no TLS record after the 220 to STARTTLS: "MAIL"`).s
		},
		clean: func() *session.Session { // server side: not this finding
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 220)
			return b.anomaly(9, wire.ServerToClient, CodeNoTLSAfter220, `server sent no TLS record after the 220 to STARTTLS: "\x15"`).s
		},
	}, {
		name: "no EHLO after TLS (decrypted)", code: CodeNoEHLOAfterTLS, sev: session.SevMedium, frames: []int64{20},
		fire: func() *session.Session {
			b := newSession(587).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x")
			b.s.TLS.Decrypted = true
			b.cmd(20, "AUTH", "PLAIN ********", true, 21, 235)
			return b.s
		},
		clean: func() *session.Session { // the same without keys: not assessable
			b := newSession(587).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x")
			b.cmd(20, "AUTH", "PLAIN ********", true, 21, 235)
			return b.s
		},
	}, {
		name: "EHLO after TLS still offers STARTTLS", code: CodeNoEHLOAfterTLS, sev: session.SevMedium, frames: []int64{20, 21},
		fire: func() *session.Session {
			b := newSession(587).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x")
			b.s.TLS.Decrypted = true
			return b.ehlo(20, true, "STARTTLS", "AUTH PLAIN").s
		},
		clean: func() *session.Session {
			b := newSession(587).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x")
			b.s.TLS.Decrypted = true
			return b.ehlo(20, true, "AUTH PLAIN").s
		},
	}, {
		name: "AUTH PLAIN in clear: crit", code: CodeAuthPlaintext, sev: session.SevCrit, frames: []int64{7, 8},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "AUTH PLAIN").auth(7, "PLAIN", "AGFsaWNl", false, 235).s
		},
		clean: func() *session.Session { return goodSubmissionWithAuthInTLS() },
	}, {
		name: "AUTH CRAM-MD5 in clear: high", code: CodeAuthPlaintext, sev: session.SevHigh, frames: []int64{7},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "AUTH CRAM-MD5").auth(7, "CRAM-MD5", "", false, 235).s
		},
		clean: goodSubmission,
	}, {
		name: "AUTH refused with 530 before a secret: info", code: CodeAuthPlaintext, sev: session.SevInfo, frames: []int64{7, 8},
		fire: func() *session.Session {
			return newSession(587).greet(4).ehlo(5, false, "STARTTLS").auth(7, "LOGIN", "", false, 530).s
		},
		clean: goodSubmission,
	}, {
		name: "AUTH advertised before TLS on 587: medium", code: CodeAuthAdvertised, sev: session.SevMedium, frames: []int64{6},
		fire: func() *session.Session {
			return newSession(587).greet(4).ehlo(5, false, "STARTTLS", "AUTH PLAIN LOGIN").s
		},
		clean: func() *session.Session { return newSession(587).greet(4).ehlo(5, false, "STARTTLS", "AUTH CRAM-MD5").s },
	}, {
		name: "AUTH advertised before TLS on 25: low (legacy AUTH= form)", code: CodeAuthAdvertised, sev: session.SevLow, frames: []int64{6},
		fire:  func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "STARTTLS", "AUTH=LOGIN").s },
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false, "AUTH PLAIN").s }, // no STARTTLS: not this rule
	}, {
		name: "mail in clear on 25: medium", code: CodeMailPlaintext, sev: session.SevMedium, frames: []int64{7, 11, 13},
		fire: func() *session.Session { return newSession(25).greet(4).ehlo(5, false).mail(7, false).s },
		clean: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x").s
		},
	}, {
		name: "mail in clear on 587: high", code: CodeMailPlaintext, sev: session.SevHigh, frames: []int64{7},
		fire: func() *session.Session { return newSession(587).greet(4).ehlo(5, false).mail(7, false).s },
		clean: func() *session.Session { // decrypted mail inside TLS is not in clear
			b := newSession(587).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x")
			b.s.TLS.Decrypted = true
			return b.ehlo(20, true).mail(22, true).s
		},
	}, {
		name: "plaintext greeting on 465", code: CodePortTransport, sev: session.SevMedium, frames: []int64{4},
		fire: func() *session.Session { return newSession(465).greet(4).s },
		clean: func() *session.Session {
			b := newSession(465)
			b.s.TLS.Mode = session.TLSImplicit
			b.s.TLSRecords = []session.TLSRecord{{Frame: 4, Dir: wire.ClientToServer, Type: 22, Handshake: []uint8{1}}}
			return b.s
		},
	}, {
		name: "ClientHello straight away on 587", code: CodePortTransport, sev: session.SevMedium, frames: []int64{4},
		fire: func() *session.Session {
			b := newSession(587)
			b.s.TLS.Mode = session.TLSImplicit
			b.s.TLSRecords = []session.TLSRecord{{Frame: 4, Dir: wire.ClientToServer, Type: 22, Handshake: []uint8{1}}}
			return b.s
		},
		clean: goodSubmission,
	}, {
		name: "SSL 3.0: high", code: CodeWeakVersion, sev: session.SevHigh, frames: []int64{10},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "SSL 3.0", "x").s
		},
		clean: goodSubmission,
	}, {
		name: "TLS 1.0: medium", code: CodeWeakVersion, sev: session.SevMedium, frames: []int64{10},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.0", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA").s
		},
		clean: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").s
		},
	}, {
		name: "RC4 with static RSA: high", code: CodeWeakCipher, sev: session.SevHigh, frames: []int64{10},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.0", "TLS_RSA_WITH_RC4_128_SHA").s
		},
		clean: goodSubmission,
	}, {
		name: "3DES: medium", code: CodeWeakCipher, sev: session.SevMedium, frames: []int64{10},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA").s
		},
		clean: goodSubmission,
	}, {
		name: "static RSA: low", code: CodeWeakCipher, sev: session.SevLow, frames: []int64{10},
		fire: func() *session.Session {
			return newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256").s
		},
		clean: goodSubmission,
	}, {
		name: "downgrade sentinel with a TLS 1.3 client: high", code: CodeDowngrade, sev: session.SevHigh, frames: []int64{10},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
			b.s.TLSRecords[1].Summary = "Handshake: ServerHello (TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, downgrade sentinel tls12)"
			b.s.TLS.JA4 = "t13d1516h2_8daaf6152771_b186095e22b6"
			return b.s
		},
		clean: goodSubmission,
	}, {
		name: "downgrade sentinel with a TLS 1.2 client: info", code: CodeDowngrade, sev: session.SevInfo, frames: []int64{10},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
			b.s.TLSRecords[1].Summary = "Handshake: ServerHello (TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, downgrade sentinel tls12)"
			b.s.TLS.JA4 = "t12d1516h2_8daaf6152771_b186095e22b6"
			return b.s
		},
		clean: goodSubmission,
	}, {
		name: "inappropriate_fallback alert: info", code: CodeDowngrade, sev: session.SevInfo, frames: []int64{11},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
			b.cmd(7, "STARTTLS", "", false, 8, 220)
			b.s.TLSRecords = []session.TLSRecord{{Frame: 11, Dir: wire.ServerToClient, Type: 21, Summary: "Alert: fatal inappropriate_fallback"}}
			return b.s
		},
		clean: goodSubmission,
	}, {
		name: "smuggling \\n.\\n: high", code: CodeSmuggling, sev: session.SevHigh, frames: []int64{13},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false).mail(7, false)
			b.s.Messages[0].Smuggling = `\n.\n,bare-lf`
			return b.s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false).mail(7, false).s },
	}, {
		name: "bare LF only: low", code: CodeSmuggling, sev: session.SevLow, frames: []int64{13},
		fire: func() *session.Session {
			b := newSession(25).greet(4).ehlo(5, false).mail(7, false)
			b.s.Messages[0].Smuggling = "bare-lf"
			return b.s
		},
		clean: func() *session.Session { return newSession(25).greet(4).ehlo(5, false).mail(7, false).s },
	}, {
		name: "DATA rejected: info", code: CodeDataRejected, sev: session.SevInfo, frames: []int64{7, 8},
		fire: func() *session.Session {
			b := newSession(25).greet(4)
			b.cmd(7, "DATA", "", false, 8, 554)
			return b.s
		},
		clean: func() *session.Session { return newSession(25).greet(4).mail(7, false).s },
	}, {
		name: "overlong line: low", code: CodeOverlong, sev: session.SevLow, frames: []int64{9},
		fire: func() *session.Session {
			return newSession(25).greet(4).anomaly(9, wire.ClientToServer, "smtp.overlong_line", `line of 700 bytes exceeds 512: "x"`).s
		},
		clean: func() *session.Session {
			return newSession(25).greet(4).anomaly(9, wire.ClientToServer, "smtp.bare_lf", `line ended by a bare LF: "x"`).s
		},
	}, {
		name: "huge line: medium", code: CodeOverlong, sev: session.SevMedium, frames: []int64{9},
		fire: func() *session.Session {
			return newSession(25).greet(4).anomaly(9, wire.ClientToServer, "smtp.overlong_line", `line of 20000 bytes exceeds 512: "x"`).s
		},
		clean: func() *session.Session { // 8-bit command with SMTPUTF8 offered is allowed
			b := newSession(25).greet(4).ehlo(5, false, "SMTPUTF8")
			return b.anomaly(9, wire.ClientToServer, "smtp.8bit_command", `8-bit command`).s
		},
	}, {
		name: "overlap conflict: high", code: CodeOverlap, sev: session.SevHigh, frames: []int64{12},
		fire: func() *session.Session {
			return newSession(25).greet(4).anomaly(12, wire.ClientToServer, CodeOverlap, "overlap with different bytes").s
		},
		clean: goodSubmission,
	}, {
		name: "capture gap: info", code: CodeGap, sev: session.SevInfo, frames: []int64{15},
		fire: func() *session.Session {
			b := newSession(25).greet(4)
			b.s.TCP.Gaps, b.s.TCP.GapBytes = 1, 536
			b.s.Timeline = append(b.s.Timeline, session.Event{Frame: 15, Kind: session.KindGap, Summary: "536 bytes not captured"})
			return b.s
		},
		clean: goodSubmission,
	}}
}

// goodSubmissionWithAuthInTLS is a decrypted submission with AUTH inside TLS.
func goodSubmissionWithAuthInTLS() *session.Session {
	b := newSession(587).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "TLS_AES_128_GCM_SHA256")
	b.s.TLS.Decrypted = true
	return b.ehlo(20, true, "AUTH PLAIN").auth(22, "PLAIN", "AGFsaWNl", true, 235).mail(24, true).s
}

func TestRules(t *testing.T) {
	for _, c := range ruleCases() {
		t.Run(c.name, func(t *testing.T) {
			want(t, Session(c.fire()), c.code, c.sev, c.frames...)
			none(t, Session(c.clean()), c.code)
		})
	}
}

// TestCleanSessions: good sessions have no finding worse than low.
func TestCleanSessions(t *testing.T) {
	for name, s := range map[string]*session.Session{
		"submission, TLS 1.3, no keys":       goodSubmission(),
		"submission, TLS 1.3, decrypted":     goodSubmissionWithAuthInTLS(),
		"relay, STARTTLS, TLS 1.2 ECDHE GCM": newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").s,
	} {
		if fs := Session(s); len(fs) > 0 {
			t.Errorf("%s: findings %v, want none", name, fs)
		}
	}
}

// TestEncryptedNotAssessable: without keys nothing inside TLS is judged,
// even when the session looks empty of commands after STARTTLS.
func TestEncryptedNotAssessable(t *testing.T) {
	s := goodSubmission()
	for _, code := range []string{CodeMailPlaintext, CodeAuthPlaintext, CodeNoEHLOAfterTLS, CodeOfferedNotUsed} {
		none(t, Session(s), code)
	}
}

func TestSessionNil(t *testing.T) {
	if fs := Session(nil); fs != nil {
		t.Errorf("Session(nil) = %v", fs)
	}
}

// TestOrder: findings come worst first, then by frame.
func TestOrder(t *testing.T) {
	s := newSession(25).greet(4).ehlo(5, false, "STARTTLS", "AUTH PLAIN LOGIN").auth(7, "PLAIN", "AGFsaWNl", false, 235).mail(9, false).s
	fs := Session(s)
	if len(fs) < 2 {
		t.Fatalf("Session = %v, want several findings to order", fs)
	}
	for i := 1; i < len(fs); i++ {
		a, b := fs[i-1], fs[i]
		if len(a.Frames) == 0 || len(b.Frames) == 0 {
			t.Fatalf("finding without evidence frames in %v", fs)
		}
		if a.Severity.Rank() < b.Severity.Rank() || (a.Severity == b.Severity && a.Frames[0] > b.Frames[0]) {
			t.Errorf("findings out of order at %d: %v", i, fs)
		}
	}
	if fs[0].Severity != session.SevCrit {
		t.Errorf("worst finding %v, want crit", fs[0])
	}
}

func TestCertVerdict(t *testing.T) {
	at := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	good := cert{Subject: "CN=mx.example.net", SANs: []string{"mx.example.net"}, NotBefore: at.AddDate(-1, 0, 0),
		NotAfter: at.AddDate(1, 0, 0), KeyAlgo: "ECDSA", KeyBits: 256, SigAlgo: "ECDSA-SHA256"}
	tests := []struct {
		name string
		role session.PortRole
		mod  func(c *cert)
		host string
		want session.Severity
	}{
		{"good", session.RoleRelay, func(*cert) {}, "mx.example.net", ""},
		{"wildcard", session.RoleRelay, func(c *cert) { c.SANs = []string{"*.example.net"} }, "mx.example.net", ""},
		{"self-signed on 25", session.RoleRelay, func(c *cert) { c.SelfSigned = true }, "mx.example.net", session.SevLow},
		{"wrong name on 25", session.RoleRelay, func(*cert) {}, "mail.example.org", session.SevLow},
		{"expired on 25", session.RoleRelay, func(c *cert) { c.NotAfter = at.AddDate(0, 0, -1) }, "mx.example.net", session.SevMedium},
		{"RSA 1024 on 25", session.RoleRelay, func(c *cert) { c.KeyAlgo, c.KeyBits = "RSA", 1024 }, "mx.example.net", session.SevMedium},
		{"SHA-1 on 25", session.RoleRelay, func(c *cert) { c.SigAlgo = "SHA1-RSA" }, "mx.example.net", session.SevMedium},
		{"self-signed on 587", session.RoleSubmission, func(c *cert) { c.SelfSigned = true }, "mx.example.net", session.SevHigh},
		{"wrong name on 465", session.RoleSubmissions, func(*cert) {}, "mail.example.org", session.SevHigh},
	}
	for _, tt := range tests {
		c := good
		tt.mod(&c)
		fs := certVerdict(tt.role, []cert{c}, tt.host, at, 12)
		var got session.Severity
		if len(fs) == 1 {
			got = fs[0].Severity
			if fs[0].Code != CodeCertificate || len(fs[0].Frames) != 1 || fs[0].Frames[0] != 12 {
				t.Errorf("%s: finding %v", tt.name, fs[0])
			}
		}
		if got != tt.want {
			t.Errorf("certVerdict(%s) = %q (%v), want %q", tt.name, got, fs, tt.want)
		}
	}
}

func TestCipherVerdict(t *testing.T) {
	tests := []struct {
		name string
		want session.Severity
	}{
		{"TLS_AES_128_GCM_SHA256", ""},
		{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ""},
		{"TLS_RSA_WITH_NULL_SHA", session.SevHigh},
		{"TLS_RSA_EXPORT_WITH_RC4_40_MD5", session.SevHigh},
		{"TLS_DH_anon_WITH_AES_128_CBC_SHA", session.SevHigh},
		{"TLS_ECDHE_RSA_WITH_RC4_128_SHA", session.SevHigh},
		{"TLS_RSA_WITH_DES_CBC_SHA", session.SevHigh},
		{"TLS_RSA_WITH_3DES_EDE_CBC_SHA", session.SevMedium},
		{"TLS_RSA_WITH_AES_256_CBC_SHA", session.SevLow},
	}
	for _, tt := range tests {
		if got, _ := cipherVerdict(tt.name); got != tt.want {
			t.Errorf("cipherVerdict(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSmugglingOutcomes: the verdict follows what the server's replies
// showed (FINDINGS.md, smtp.smuggling).
func TestSmugglingOutcomes(t *testing.T) {
	build := func(outcome string, second bool) *session.Session {
		b := newSession(25).greet(4).ehlo(5, false, "SIZE 1000")
		b.s.Messages = append(b.s.Messages, session.Message{Frame: 13, FirstFrame: 12, Via: "DATA", Reply: 250,
			Accepted: outcome != "refused", Smuggling: `\n.\r\n,bare-lf`, SmugglingOutcome: outcome})
		if second {
			b.cmd(13, "MAIL", "FROM:<x@evil>", false, 14, 250)
			b.s.Commands[len(b.s.Commands)-1].Smuggled = true
			b.s.Messages = append(b.s.Messages, session.Message{Frame: 13, FirstFrame: 13, Via: "DATA", Reply: 250,
				Accepted: true, Smuggled: true})
		}
		if outcome == "refused" {
			b.s.Messages[0].Reply = 550
		}
		return b.s
	}
	for _, c := range []struct {
		outcome string
		second  bool
		sev     session.Severity
	}{{"ran", true, session.SevCrit}, {"kept", false, session.SevMedium}, {"refused", false, session.SevLow},
		{"unclear", false, session.SevHigh}, {"", false, session.SevHigh}} {
		got := find(Session(build(c.outcome, c.second)), CodeSmuggling)
		if len(got) != 1 || got[0].Severity != c.sev {
			t.Errorf("outcome %q: smtp.smuggling = %v, want one %s", c.outcome, got, c.sev)
		}
	}
}

// injected is a decrypted STARTTLS session whose client sent RSET after
// STARTTLS in the same segment (frame 7); inside TLS it sends EHLO (frame
// 20). A server that ran RSET sends its 250 first: EHLO is paired with it
// and EHLO's own reply (frame 21) answers no command.
func injected(ran bool) *session.Session {
	b := newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "TLS_AES_128_GCM_SHA256")
	b.cmd(7, "RSET", "", false, 0, 0)
	b.s.TLS.Decrypted = true
	if !ran {
		return b.ehlo(20, true, "AUTH PLAIN").s
	}
	b.cmd(20, "EHLO", "client", true, 20, 250, "2.0.0 Ok")
	b.s.Replies = append(b.s.Replies, session.Reply{Frame: 21, Code: 250, Lines: []string{"mx", "AUTH PLAIN"}, InTLS: true, Command: -1})
	return b.s
}
