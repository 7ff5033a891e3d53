package findings

// Catalogue returns the explanation of every finding code, in FINDINGS.md
// order. Each call returns a fresh slice.
func Catalogue() []Explanation {
	return []Explanation{{
		Code:     CodeStripped,
		Title:    "STARTTLS offer removed on the path",
		Severity: "high; crit when AUTH or DATA follows in clear",
		Why: "The server's EHLO reply, as it arrived, does not offer STARTTLS although the server can encrypt: a " +
			"masked keyword (250-XXXXXXXA) stands where STARTTLS belongs, the same server:port offered it in another " +
			"session of this capture (a STARTTLS answered 500/502 then adds to it; alone it is what a server without " +
			"TLS answers, starttls.not_offered). STARTTLS is " +
			"negotiated in clear, so anything on the path can delete the offer and the client falls back to plaintext.",
		Attack: "A middlebox or attacker rewrites the EHLO reply (Cisco ASA ESMTP inspection did this by default; ISPs " +
			"did it to customers, EFF 2014; Durumeric et al., \"Neither Snow Nor Rain Nor MITM…\", IMC 2015 measured " +
			"it across the Internet). Passwords and mail then cross the path in clear.",
		Fix: "Clients: require TLS (implicit TLS on 465, RFC 8314; or refuse to continue without STARTTLS). Relays: " +
			"publish MTA-STS (RFC 8461) or DANE (RFC 7672) so senders refuse a stripped session; turn off ESMTP " +
			"inspection that masks keywords.",
		References: []string{"RFC 3207, Section 6", "RFC 8461", "RFC 7672", "RFC 8314, Section 3"},
	}, {
		Code:     CodeOfferedNotUsed,
		Title:    "STARTTLS offered but not used",
		Severity: "medium on 25, high on 587/465, crit when AUTH was sent in clear",
		Why: "The server listed STARTTLS in its EHLO reply and the client went on with MAIL, AUTH or DATA in clear " +
			"without trying it. Encryption was available and the client did not take it.",
		Attack: "Anyone on the path reads and can change the envelope, the message and any credentials; no active " +
			"attack is even needed.",
		Fix: "Configure the client to use STARTTLS whenever offered (and to require a minimum confidentiality level " +
			"for submission, RFC 8314, Section 5.2); on 587 the server should refuse AUTH and MAIL before TLS " +
			"(530 5.7.0, RFC 3207, Section 4).",
		References: []string{"RFC 3207, Section 4", "RFC 8314, Section 5.2", "RFC 4954, Section 4"},
	}, {
		Code:     CodeNotOffered,
		Title:    "Server does not offer STARTTLS",
		Severity: "low on 25, high on 587; info when a STARTTLS got 220 anyway",
		Why: "No EHLO reply of this session lists STARTTLS, or only HELO was used (RFC 5321, Section 4.1.1.1: only " +
			"the EHLO reply lists extensions, so a HELO-only server cannot offer it): nothing in this session could be " +
			"encrypted. TLS-RPT reports this as starttls-not-supported. If another session shows the same server " +
			"offering it, the offer was stripped instead (starttls.stripped). When the client sent STARTTLS anyway " +
			"and got 220, the server can encrypt and only its list is incomplete.",
		Attack: "All traffic is readable and alterable on the path; a client that insists on TLS cannot deliver.",
		Fix: "Enable STARTTLS with a valid certificate (RFC 3207); for submission offer implicit TLS on 465 " +
			"(RFC 8314).",
		References: []string{"RFC 3207, Section 4", "RFC 8460, Section 4.3.1", "RFC 8314, Section 3"},
	}, {
		Code:     CodeRefused,
		Title:    "STARTTLS refused",
		Severity: "low when the client then quits; medium when the session continues in clear; high when AUTH or DATA follows in clear",
		Why: "The server answered STARTTLS with 454 (TLS not available due to temporary reason), or with 5xx although " +
			"it had offered STARTTLS. Quitting is the right reaction for a client that requires TLS; going on in " +
			"clear exposes what follows.",
		Attack: "A 454 is as easy to forge as a stripped capability: an attacker on the path answers STARTTLS itself " +
			"and the client falls back to plaintext.",
		Fix: "Clients should not fall back to clear after a 454 for submission (RFC 8314, Section 5.2) or when MTA-STS/" +
			"DANE applies; servers should fix their TLS configuration.",
		References: []string{"RFC 3207, Section 4", "RFC 8314, Section 5.2", "RFC 8461, Section 5"},
	}, {
		Code:     CodeCommandInjection,
		Title:    "Commands injected after STARTTLS",
		Severity: "high; crit when the decrypted replies show the server ran them, medium when they show it discarded them",
		Why: "The client's bytes carried more commands after STARTTLS\\r\\n that arrived before the server's 220 (same " +
			"segment or flight). STARTTLS must be the last command of a pipelined group; the server must discard " +
			"anything buffered before the handshake.",
		Attack: "An attacker appends commands to the client's STARTTLS; a buggy server keeps them in its input buffer " +
			"and executes them inside the TLS session as if the authenticated client had sent them (CVE-2011-0411, " +
			"Postfix; Dovecot CVE-2021-33515, Citadel, Courier). Poddebniak et al., \"Why TLS is better without " +
			"STARTTLS\", USENIX Security 2021.",
		Fix: "Servers: flush the input buffer when TLS starts. Clients: never pipeline after STARTTLS. Prefer implicit " +
			"TLS (RFC 8314).",
		References: []string{"RFC 3207, Section 4", "RFC 3207, Section 4.2", "CVE-2011-0411", "CVE-2021-33515"},
	}, {
		Code:     CodeResponseInjection,
		Title:    "Responses injected after the 220 to STARTTLS",
		Severity: "high",
		Why: "Server bytes followed the 220 that answers STARTTLS before the TLS handshake. They are plaintext the " +
			"client must discard.",
		Attack: "An attacker appends fake replies (e.g. a 250 EHLO reply without AUTH, or replies to commands not yet " +
			"sent); clients that keep them treat them as trusted replies inside TLS (Exim's SMTP client, CVE-2021-38371; the " +
			"same bug class was found in IMAP clients such as Thunderbird and Mutt, Poddebniak et al., USENIX Security 2021).",
		Fix:        "Clients: discard buffered input when TLS starts. Prefer implicit TLS (RFC 8314).",
		References: []string{"RFC 3207, Section 4.2", "CVE-2021-38371"},
	}, {
		Code:     CodeTLSInClear,
		Title:    "TLS ClientHello sent in clear",
		Severity: "medium",
		Why: "The client sent a TLS record (a ClientHello) although the server had not agreed to TLS: STARTTLS was " +
			"refused or never sent, so the server read the handshake as SMTP lines of binary junk. The client " +
			"assumed TLS (openssl s_client -starttls does this when STARTTLS is refused) and nothing was protected.",
		Attack: "A client that goes on after the server refused TLS can be steered into talking to anything on the " +
			"path; the SNI and offered versions in the ClientHello are readable by all.",
		Fix: "Clients: wait for the 220 to STARTTLS before starting the handshake, and stop when it is refused " +
			"rather than sending TLS bytes to an SMTP parser. Servers: fix the TLS configuration behind the refusal.",
		References: []string{"RFC 3207, Section 4", "RFC 3207, Section 6"},
	}, {
		Code:     CodeNoTLSAfter220,
		Title:    "No TLS after the 220 to STARTTLS",
		Severity: "high",
		Why: "After the server's 220 to STARTTLS the next bytes were not a TLS record (the first byte of a handshake " +
			"record is 0x16). The session went on in clear although both sides agreed to encrypt.",
		Attack: "A broken client, or a proxy that answered STARTTLS itself and talks to the server in clear, or an " +
			"injection that desynchronised the two sides.",
		Fix:        "The client MUST start the TLS negotiation before any other command; fix or replace the client or proxy.",
		References: []string{"RFC 3207, Section 4", "RFC 8446, Section 5.1"},
	}, {
		Code:     CodeTLSFailedThenPlain,
		Title:    "TLS failed, then a plaintext retry",
		Severity: "high",
		Why: "A TLS handshake of this client with this server ended with a fatal alert or an RST, and a later " +
			"connection from the same client to the same server sent mail without STARTTLS.",
		Attack: "Breaking the handshake (an injected alert or RST) makes opportunistic senders retry in clear: a " +
			"downgrade without touching the EHLO reply.",
		Fix: "Senders: do not retry in clear when MTA-STS (RFC 8461) or DANE (RFC 7672) applies, or for submission. " +
			"Check why the handshake failed (versions, ciphers, certificate).",
		References: []string{"RFC 7435, Section 3", "RFC 8461, Section 5", "RFC 7672, Section 2.2", "RFC 3207, Section 4.1"},
	}, {
		Code:     CodeNoEHLOAfterTLS,
		Title:    "No fresh EHLO after TLS",
		Severity: "medium (needs TLS keys)",
		Why: "Inside TLS (decrypted) the first client command was not EHLO/HELO, or the EHLO reply inside TLS still " +
			"offered STARTTLS. Both sides must discard what they learned in clear and start over with EHLO.",
		Attack: "Capabilities learned in clear may have been forged (e.g. a removed AUTH mechanism); keeping them " +
			"carries the attacker's choices into the encrypted session.",
		Fix:        "Client: send EHLO again after the handshake. Server: do not offer STARTTLS inside TLS.",
		References: []string{"RFC 3207, Section 4.2"},
	}, {
		Code:     CodeAuthPlaintext,
		Title:    "Authentication in clear",
		Severity: "crit (PLAIN, LOGIN, XOAUTH2), high (CRAM-MD5, DIGEST-MD5, others); info when the server refused with 530 before any secret",
		Why: "AUTH was sent outside TLS. PLAIN and LOGIN carry user and password in base64, an encoding, not " +
			"encryption; challenge-response mechanisms leak a digest that can be attacked offline. A 530 5.7.0 " +
			"\"Must issue a STARTTLS command first\" is the good server behaviour.",
		Attack: "Anyone on the path decodes the password (smtpscope shows the user and masks the password unless " +
			"asked to reveal it) and can log in and send mail as the user.",
		Fix: "Use AUTH only inside TLS (implicit TLS on 465, or after STARTTLS); servers should not accept AUTH " +
			"before TLS. Change the exposed password.",
		References: []string{"RFC 4954, Section 4", "RFC 4954, Section 14", "RFC 4616, Section 5", "RFC 8314, Section 3"},
	}, {
		Code:     CodeAuthAdvertised,
		Title:    "AUTH advertised before TLS",
		Severity: "low on 25, medium on 587",
		Why: "The EHLO reply in clear lists AUTH PLAIN or LOGIN while STARTTLS is also offered: the server invites " +
			"clients to send passwords before encrypting.",
		Attack: "Misconfigured or lazy clients authenticate at once, in clear.",
		Fix: "List AUTH only in the EHLO reply after TLS (Postfix smtpd_tls_auth_only = yes; Exim " +
			"auth_advertise_hosts = ${if eq{$tls_in_cipher}{}{}{*}}).",
		References: []string{"RFC 4954, Section 4", "RFC 3207, Section 6", "RFC 8314, Section 3"},
	}, {
		Code:     CodeMailPlaintext,
		Title:    "Mail sent in clear",
		Severity: "medium on 25, high on 587/465",
		Why: "MAIL, RCPT or DATA went outside TLS: sender, recipients and the message are readable and alterable on " +
			"the path.",
		Attack:     "Passive reading of all mail; active changes to recipients, links or attachments.",
		Fix:        "Use STARTTLS (RFC 3207) between relays, and require TLS for submission (RFC 8314).",
		References: []string{"RFC 3207, Section 1", "RFC 8314, Section 3", "RFC 5321, Section 7.1"},
	}, {
		Code:     CodePortTransport,
		Title:    "Wrong transport for the port",
		Severity: "medium",
		Why: "A plaintext 220 greeting on 465 (which is implicit TLS from the first byte), or a TLS ClientHello " +
			"straight away on 25 or 587 (which start in clear and upgrade with STARTTLS).",
		Attack: "Clients configured for one transport talk past the server, and a plaintext 465 may be a " +
			"man-in-the-middle that terminated TLS.",
		Fix:        "Serve implicit TLS on 465 (RFC 8314, Section 3.3) and STARTTLS on 25/587 (RFC 3207, RFC 6409).",
		References: []string{"RFC 8314, Section 3.3", "RFC 6409, Section 3.1", "RFC 3207, Section 4"},
	}, {
		Code:     CodeWeakVersion,
		Title:    "Weak TLS version",
		Severity: "high for SSL 3.0 (and SSL 2.0), medium for TLS 1.0 and 1.1",
		Why: "The ServerHello selected a protocol version that is deprecated: SSL 3.0 must not be used; TLS 1.0 and " +
			"1.1 are deprecated for all uses including mail.",
		Attack: "POODLE (CVE-2014-3566) against SSL 3.0; BEAST and weak MAC/PRF constructions in TLS 1.0/1.1; weaker " +
			"cipher choices come with them.",
		Fix:        "Allow TLS 1.2 and 1.3 only on both sides.",
		References: []string{"RFC 7568", "RFC 8996", "RFC 8997", "CVE-2014-3566"},
	}, {
		Code:     CodeWeakCipher,
		Title:    "Weak cipher suite",
		Severity: "high (NULL, EXPORT, anon, RC4, single DES), medium (3DES), low (static RSA key exchange)",
		Why: "The ServerHello selected a cipher suite that gives no or weak protection: no encryption, export-grade " +
			"keys, no authentication, a broken stream cipher, 64-bit blocks, or a key exchange without forward " +
			"secrecy.",
		Attack: "RC4 biases reveal plaintext (RFC 7465); SWEET32 collisions in 3DES (CVE-2016-2183); FREAK/Logjam " +
			"with EXPORT; with static RSA a later key leak decrypts every recorded session.",
		Fix:        "Offer only ECDHE/DHE suites with AES-GCM or ChaCha20-Poly1305 (TLS 1.2) and TLS 1.3.",
		References: []string{"RFC 7465", "CVE-2016-2183", "RFC 7525, Section 4.2", "CVE-2015-0204"},
	}, {
		Code:     CodeDowngrade,
		Title:    "TLS downgrade signal",
		Severity: "high (sentinel while the client offered TLS 1.3); info (sentinel with an older client, fallback SCSV, alert inappropriate_fallback)",
		Why: "A TLS 1.3 server that negotiates TLS 1.2 or lower ends ServerHello.random with 44 4F 57 4E 47 52 44 01/00 " +
			"(\"DOWNGRD\"). A client that offered 1.3 and sees it must abort: the version was forced down. " +
			"TLS_FALLBACK_SCSV and alert 86 show the older fallback mechanism at work.",
		Attack: "An attacker on the path alters or blocks the first handshake so both sides settle on an older, " +
			"weaker version.",
		Fix:        "Clients must check the sentinel (RFC 8446, Section 4.1.3); drop old versions on both sides.",
		References: []string{"RFC 8446, Section 4.1.3", "RFC 7507, Section 3"},
	}, {
		Code:     CodeCertificate,
		Title:    "Server certificate problem",
		Severity: "low–medium on 25 (self-signed or wrong name low; expired, RSA < 2048, SHA-1 medium), high on 587/465",
		Why: "The certificate seen in the handshake (TLS ≤ 1.2; in TLS 1.3 it is encrypted) is self-signed, expired " +
			"at capture time, issued for another name than the SNI or greeting host, has an RSA key under 2048 bits, " +
			"or is signed with SHA-1.",
		Attack: "Encryption without authentication stops eavesdroppers, not a man in the middle: anyone can present " +
			"such a certificate.",
		Fix: "Use a certificate from a public CA (or DANE, RFC 7672) for the server's name, RSA ≥ 2048 or ECDSA, " +
			"SHA-256; submission clients must verify it (RFC 8314, Section 5.3).",
		References: []string{"RFC 8314, Section 5.3", "RFC 8314, Section 4.4", "RFC 6125, Section 6", "RFC 7672", "RFC 7435"},
	}, {
		Code:     CodeSmuggling,
		Title:    "SMTP smuggling",
		Severity: "high (an end-of-data look-alike: \\n.\\n, \\n.\\r\\n, \\r.\\r); low (bare LF or CR only)",
		Why: "Inside DATA only CRLF ends a line and only CRLF.CRLF ends the message. The message carried another " +
			"end-of-data sequence before the real one.",
		Attack: "An outbound server passes the odd sequence on; the inbound server treats it as the end of the " +
			"message and runs what follows as new commands: a second, spoofed message that passes SPF/DKIM/DMARC of " +
			"the sending domain (CVE-2023-51764 Postfix, CVE-2023-51765 Sendmail, CVE-2023-51766 Exim).",
		Fix: "Servers: accept only CRLF.CRLF as end of data and reject bare LF/CR (Postfix smtpd_forbid_bare_newline; " +
			"Exim 4.97.1; Sendmail 8.18).",
		References: []string{"RFC 5321, Section 2.3.8", "RFC 5321, Section 4.1.1.4", "CVE-2023-51764", "CVE-2023-51765", "CVE-2023-51766"},
	}, {
		Code:     CodeDataRejected,
		Title:    "DATA rejected",
		Severity: "info",
		Why: "DATA was answered with 4xx/5xx instead of 354: no message follows, and the client's next lines are " +
			"commands. Tools that show them as a message anyway (Wireshark does) mislead.",
		Attack:     "None by itself; a client that sends its body anyway lets the server run message lines as commands.",
		Fix:        "Clients must wait for 354 before sending the body (or use PIPELINING correctly, RFC 2920).",
		References: []string{"RFC 5321, Section 4.1.1.4", "RFC 5321, Section 3.3", "RFC 2920, Section 3.1"},
	}, {
		Code:     CodeOverlong,
		Title:    "Line over the limits or odd bytes",
		Severity: "low; medium when a line is huge (16 KiB or more, or over the parser's buffer)",
		Why: "A line longer than RFC 5321's limits (512 octets for a command, 1000 for a text line, 12288 for AUTH " +
			"responses), a NUL byte, or 8-bit bytes in a command without SMTPUTF8.",
		Attack:     "Often evasion (parsers that disagree on where a line ends) or fuzzing for buffer overflows.",
		Fix:        "Servers should reject such lines (500 5.5.6 line too long, RFC 5321, Section 4.5.3.1.9).",
		References: []string{"RFC 5321, Section 4.5.3.1.4", "RFC 5321, Section 4.5.3.1.6", "RFC 5321, Section 4.5.3.1.9", "RFC 4954, Section 4", "RFC 6531, Section 3.3"},
	}, {
		Code:     CodeOverlap,
		Title:    "Overlapping TCP segments with different bytes",
		Severity: "high",
		Why: "Two segments covered the same sequence numbers with different contents. The analyzer kept one " +
			"version; the server may have kept the other.",
		Attack:     "Classic IDS evasion (Ptacek and Newsham, 1998): what the monitor sees is not what the server executes.",
		Fix:        "Normalise traffic at the edge; investigate the sender.",
		References: []string{"RFC 9293, Section 3.10.7.4", "RFC 9293, Section 3.4"},
	}, {
		Code:     CodeGap,
		Title:    "Bytes not captured",
		Severity: "info",
		Why: "Part of a direction's byte stream is missing from the capture (the peer acknowledged bytes the capture " +
			"never saw). Parsing resynchronised at the next line or record; what the gap carried is unknown.",
		Attack:     "None by itself; findings near a gap rest on partial evidence.",
		Fix:        "Capture with a larger buffer and snap length (-s 0), closer to the host, without offloading (ethtool -K gro off).",
		References: []string{"RFC 9293, Section 3.4"},
	}}
}
