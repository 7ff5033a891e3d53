package lesson

// ConceptText is the fixed text of a concept page: what the page teaches
// whatever the session, with its references. The page adds what this
// session shows of it (conceptContext).
type ConceptText struct {
	Code  string // "concept:…"
	Title string
	Text  []string // paragraphs
	Refs  []string
}

// Concept codes.
const (
	ConceptESMTP         = "concept:esmtp"
	ConceptOpportunistic = "concept:opportunistic-tls"
	ConceptDowngrade     = "concept:downgrade-answers"
	Concept465           = "concept:port-465"
	ConceptOpenRelay     = "concept:open-relay"
	ConceptWireshark     = "concept:wireshark"
)

// Concepts returns every concept page's fixed text, in the order a session
// meets them. Each citation was read in its RFC (the reviewed table is in
// dissect/findings' citation test).
func Concepts() []ConceptText {
	return []ConceptText{{
		Code:  ConceptESMTP,
		Title: "SMTP and ESMTP",
		Text: []string{
			"SMTP (1982) opened with HELO and knew a handful of commands. Extended SMTP (ESMTP, from 1990 on) lets a " +
				"client and server agree on more: the client says EHLO instead of HELO and the server answers with one " +
				"line per extension it supports: SIZE, PIPELINING, 8BITMIME, CHUNKING, SMTPUTF8, AUTH, STARTTLS.",
			"Servers must accept EHLO and clients should prefer it; HELO stays as the fallback for old peers. A HELO " +
				"session has no extensions at all: no STARTTLS, so no encryption, and no AUTH.",
			"The list is only an offer: everything in it crossed the wire in clear unless TLS was already running, " +
				"which is why the one that counts is the list repeated after STARTTLS.",
		},
		Refs: []string{"RFC 5321, Section 2.2.1", "RFC 5321, Section 4.1.1.1", "RFC 3207, Section 4.2"},
	}, {
		Code:  ConceptOpportunistic,
		Title: "Opportunistic or required TLS",
		Text: []string{
			"Opportunistic TLS: the server offers STARTTLS and the client uses it if it sees the offer; if not, mail " +
				"goes in clear rather than not at all. It defeats someone who only listens, never someone who can change " +
				"bytes: the offer travels in clear, so deleting the \"250-STARTTLS\" line (or masking it as XXXXXXXA) or " +
				"answering STARTTLS with a forged error makes the client carry on in clear, and nothing on the wire says so.",
			"Required TLS: the client refuses to continue without a successful TLS handshake to a server whose " +
				"certificate it can check. RFC 3207 already asks that clients and servers can be configured to require " +
				"TLS for selected hosts; for submission RFC 8314 recommends implicit TLS on 465, where nothing is " +
				"left in clear to strip. Between MTAs on port 25 a sender can only require TLS where the receiving " +
				"domain says it supports it: that is what MTA-STS and DANE publish.",
		},
		Refs: []string{"RFC 3207, Section 6", "RFC 7435", "RFC 8314, Section 3"},
	}, {
		Code:  ConceptDowngrade,
		Title: "Answers to downgrade: MTA-STS, DANE, TLS-RPT",
		Text: []string{
			"MTA-STS: the receiving domain publishes a TXT record _mta-sts.<domain> and a policy at " +
				"https://mta-sts.<domain>/.well-known/mta-sts.txt naming its MX hosts and a mode. In mode enforce a " +
				"sender that cannot get TLS with a valid certificate to one of those MX hosts does not deliver: a " +
				"stripped STARTTLS becomes a delayed message instead of a message in clear. It relies on the web PKI, " +
				"not on DNSSEC; a sender that has not fetched the policy yet is not protected.",
			"DANE: the MX host's TLSA record (_25._tcp.<mx host>), signed with DNSSEC, tells senders that the host " +
				"supports STARTTLS and which certificate or key to expect; a sender that finds it must use TLS and " +
				"check the certificate against it, so neither a stripped offer nor a forged certificate gets through.",
			"TLS-RPT: a TXT record _smtp._tls.<domain> (\"v=TLSRPTv1; rua=mailto:…\") asks senders for regular reports " +
				"of the TLS failures they met delivering to the domain, such as starttls-not-supported: the only way " +
				"a receiving domain learns that somewhere on the path its STARTTLS is being removed.",
		},
		Refs: []string{"RFC 8461, Section 3.2", "RFC 8461, Section 5", "RFC 7672", "RFC 7672, Section 2.2",
			"RFC 8460, Section 3", "RFC 8460, Section 4.3.1"},
	}, {
		Code:  Concept465,
		Title: "Port 465: registered, revoked, re-standardised",
		Text: []string{
			"Port 465 was once briefly registered as \"smtps\", SMTP inside SSL from the first byte. The registration " +
				"made no sense for relaying (MX records cannot name a port, so MTAs always use 25), it was revoked and " +
				"the number given to another service, and STARTTLS on 25 and 587 became the standard way to encrypt.",
			"Mail programs kept using 465 for submission over SSL/TLS anyway. In 2018 RFC 8314 registered 465 again, " +
				"as \"submissions\": message submission over implicit TLS, and recommends it over STARTTLS on 587 for " +
				"mail clients, because nothing crosses in clear before TLS and so nothing can be stripped or injected.",
		},
		Refs: []string{"RFC 8314, Section 7.3", "RFC 8314, Section 3.3", "RFC 6409, Section 3.1"},
	}, {
		Code:  ConceptOpenRelay,
		Title: "Open relays and why ISPs block port 25",
		Text: []string{
			"A relay accepts a message and passes it on to the next server. An open relay does that for anyone, to " +
				"any domain: spammers used them to hide where mail came from. A server should accept on 25 only mail " +
				"for the domains it serves, and relay onwards only for clients it knows (usually after AUTH on 587 or " +
				"465), answering 550 to other recipients.",
			"For the same reason many access providers block outbound port 25 from home connections: infected " +
				"machines sending spam straight to other domains' MX hosts. Their users submit mail on 587 or 465 " +
				"with a password instead, and only mail servers talk to each other on 25.",
		},
		Refs: []string{"RFC 5321, Section 3.6.2", "RFC 5321, Section 7.9", "RFC 5068", "RFC 6409, Section 3.1"},
	}, {
		Code:  ConceptWireshark,
		Title: "What Wireshark shows without the keys",
		Text: []string{
			"Without the session keys Wireshark (and tshark, and smtpscope) shows the clear part of the session as " +
				"SMTP and then only TLS records: their type, version and length. In TLS 1.3 every protected record " +
				"claims to be Application Data, even the server's certificate and both Finished messages, so record " +
				"sizes and timing are all that is left: the EHLO, AUTH, MAIL FROM, RCPT TO and the message are hidden.",
			"To read inside, the client (or server) must write its TLS secrets to a key log (SSLKEYLOGFILE); Wireshark " +
				"reads it from Edit → Preferences → Protocols → TLS → (Pre)-Master-Secret log filename, tshark with " +
				"-o tls.keylog_file:FILE, smtpscope with --keylog FILE or K. Anyone holding that file can read the " +
				"whole session, passwords included: treat it like the passwords themselves.",
		},
		Refs: []string{"RFC 8446, Section 5.2", "RFC 5246, Section 6.2"},
	}}
}

// conceptText returns the text of a concept code.
func conceptText(code string) ConceptText {
	for _, c := range Concepts() {
		if c.Code == code {
			return c
		}
	}
	return ConceptText{Code: code, Title: code}
}
