package findings

import "github.com/smtpscope/smtpscope/dissect/session"

// PhaseText returns the teaching text of a timeline phase (FINDINGS.md,
// "Phases of a session"): Why says what happens, Attack what can go wrong
// there, Fix what a good session shows. An unknown phase gets an
// Explanation with only its Code and Title set.
func PhaseText(p session.Phase) Explanation {
	for _, e := range phaseTexts() {
		if e.Code == string(p) {
			return e
		}
	}
	return Explanation{Code: string(p), Title: "Phase " + string(p)}
}

// phaseTexts returns the text of every phase, in timeline order.
func phaseTexts() []Explanation {
	return []Explanation{{
		Code:  string(session.PhaseTCPHandshake),
		Title: "TCP handshake",
		Why: "SYN, SYN-ACK, ACK open the connection; the time from SYN to the final ACK is the round-trip time. " +
			"The side that sent the SYN is the client. The port sets the role: 25 relay (MTA to MTA), 587 " +
			"submission (clients, authentication required), 465 submissions (TLS from the first byte).",
		Attack: "Many ISPs block outbound 25 for end users; a capture that starts mid-connection has no handshake and " +
			"no RTT.",
		Fix:        "A complete three-way handshake to the port whose role matches the traffic.",
		References: []string{"RFC 9293, Section 3.5", "RFC 6409, Section 3.1", "RFC 8314, Section 3.3"},
	}, {
		Code:  string(session.PhaseGreeting),
		Title: "Greeting",
		Why: "The server speaks first with a 220 banner naming itself; 554 refuses the connection. On 465 the " +
			"greeting comes only inside TLS.",
		Attack: "Banners leak software and versions; a client that speaks before the greeting is an early talker " +
			"(often spam software).",
		Fix:        "220 <host> ESMTP, without version details; the client waits for it.",
		References: []string{"RFC 5321, Section 4.3.1", "RFC 5321, Section 3.1"},
	}, {
		Code:  string(session.PhaseEHLO),
		Title: "EHLO and capabilities",
		Why: "The client names itself and the server lists its extensions: SIZE, PIPELINING, 8BITMIME, CHUNKING, " +
			"SMTPUTF8, AUTH mechanisms, STARTTLS. Before TLS the list travels in clear and is not authenticated; the " +
			"list that counts is the one repeated inside TLS.",
		Attack: "A man in the middle can delete STARTTLS (or mask it as XXXXXXXA) and remove AUTH mechanisms; " +
			"compare with other sessions to the same server.",
		Fix: "On 25/587 the clear list offers STARTTLS and, ideally, no AUTH PLAIN/LOGIN until TLS; after TLS a fresh " +
			"EHLO repeats the list without STARTTLS.",
		References: []string{"RFC 5321, Section 4.1.1.1", "RFC 3207, Section 4.2", "RFC 4954, Section 3"},
	}, {
		Code:  string(session.PhaseStartTLS),
		Title: "STARTTLS",
		Why: "The client asks to upgrade this connection; the server answers 220 and the next client bytes must be a " +
			"TLS ClientHello. 454 means TLS is not available.",
		Attack: "Bytes sent around this boundary in clear are the classic attacks: commands after STARTTLS in the same " +
			"segment (CVE-2011-0411), replies after the 220 (CVE-2021-38371), a stripped or forged 454.",
		Fix:        "STARTTLS alone in its segment, a lone 220, then a ClientHello at once.",
		References: []string{"RFC 3207, Section 4", "RFC 3207, Section 4.2"},
	}, {
		Code:  string(session.PhaseTLSHandshake),
		Title: "TLS handshake",
		Why: "ClientHello (SNI, ALPN, offered versions and cipher suites), ServerHello (chosen version and suite), " +
			"certificate and key exchange, Finished. In TLS 1.3 everything after ServerHello is encrypted.",
		Attack: "Downgrades to old versions or weak suites, self-signed or wrong-name certificates, and broken " +
			"handshakes that make senders retry in clear.",
		Fix: "TLS 1.2 or 1.3 with an ECDHE AEAD suite, a valid certificate for the server's name, no downgrade " +
			"sentinel when the client offered 1.3.",
		References: []string{"RFC 8446, Section 4", "RFC 5246, Section 7.3", "RFC 8996", "RFC 8314, Section 5.3"},
	}, {
		Code:  string(session.PhaseEncrypted),
		Title: "Encrypted (no keys)",
		Why: "TLS application data, and nothing more, without the session keys. The SMTP phases inside (EHLO, AUTH, " +
			"MAIL, DATA) cannot be seen, so they are not assessable: neither passed nor failed.",
		Attack:     "Nothing visible; findings that need the content (e.g. no fresh EHLO after TLS) cannot be checked.",
		Fix:        "Give smtpscope the key log (SSLKEYLOGFILE, --keylog FILE) to read the SMTP inside.",
		References: []string{"RFC 8446, Section 5.2", "RFC 5246, Section 6.2"},
	}, {
		Code:  string(session.PhaseAuth),
		Title: "Authentication",
		Why: "AUTH with a SASL mechanism: 334 challenges, the client's base64 answers, 235 success or 535 failure. " +
			"PLAIN and LOGIN carry the password in base64, an encoding, not encryption.",
		Attack:     "In clear the password is read by anyone on the path; repeated 535s are password guessing.",
		Fix:        "AUTH only inside TLS; a server answers 530 5.7.0 to AUTH before STARTTLS.",
		References: []string{"RFC 4954, Section 4", "RFC 4954, Section 6", "RFC 4616, Section 2"},
	}, {
		Code:  string(session.PhaseEnvelope),
		Title: "Envelope",
		Why: "MAIL FROM names the return path, RCPT TO each recipient; they decide delivery, independently of the " +
			"From:/To: headers inside the message.",
		Attack: "Forged senders (checked by SPF on MAIL FROM), open relaying to foreign recipients, address " +
			"harvesting through RCPT replies.",
		Fix:        "Inside TLS; 550/554 for recipients the server does not serve; authentication before relaying.",
		References: []string{"RFC 5321, Section 3.3", "RFC 5321, Section 4.1.1.2", "RFC 5321, Section 4.1.1.3", "RFC 7208"},
	}, {
		Code:  string(session.PhaseData),
		Title: "Message data",
		Why: "DATA, a 354 go-ahead, the dot-stuffed message ending with CRLF.CRLF, and a 250 that takes " +
			"responsibility for it; or BDAT chunks of a stated size with no dot-stuffing.",
		Attack: "Other line endings before the final dot (\\n.\\n, \\r.\\r) are SMTP smuggling: a second message " +
			"hidden in the first (CVE-2023-51764).",
		Fix:        "Only CRLF line endings; a 250 after the body; 4xx/5xx to DATA means no body follows.",
		References: []string{"RFC 5321, Section 4.1.1.4", "RFC 5321, Section 2.3.8", "RFC 3030, Section 2"},
	}, {
		Code:       string(session.PhaseQuit),
		Title:      "Quit",
		Why:        "QUIT asks the server to close; it answers 221 and the client closes first.",
		Attack:     "None; a session that ends without QUIT after DATA may have lost the message's acknowledgement.",
		Fix:        "QUIT, 221, then FIN from both sides.",
		References: []string{"RFC 5321, Section 4.1.1.10"},
	}, {
		Code:  string(session.PhaseTeardown),
		Title: "TCP teardown",
		Why:   "FIN closes one direction gracefully; RST aborts the connection.",
		Attack: "An RST or alert in the middle of the TLS handshake may be an attempt to make the sender retry in " +
			"clear (starttls.tls_failed_then_plain).",
		Fix:        "FIN from both sides after QUIT/221 (and TLS close_notify first).",
		References: []string{"RFC 9293, Section 3.6", "RFC 8446, Section 6.1"},
	}}
}
