package findings

import (
	"regexp"
	"slices"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// citedSections is every RFC section and CVE the findings and phase texts
// cite, with the title it has in the RFC (or what the CVE is), each checked
// by hand against the RFC text (issue 17: RFC 5321, Section 4.5.3.1.10 was
// cited for line length though it is "Too Many Recipients Code"; RFC 4616,
// Section 6 for security though Section 5 is; RFC 8460, Section 4.3.2.1 for
// starttls-not-supported though negotiation failures are Section 4.3.1;
// RFC 8314, Sections 3.4 and 4.3 for rules they do not state; RFC 2920,
// Section 3.1 for STARTTLS, which is not in its list — RFC 3207, Section 4
// says STARTTLS ends a pipelined group; Thunderbird's and Mutt's CVEs are
// IMAP bugs). A new citation fails TestCitations until it is added here,
// after reading the section it names.
var citedSections = map[string]string{
	"RFC 2920, Section 3.1":       "Client use of pipelining",
	"RFC 3030, Section 2":         "Framework for the Large Message Extensions",
	"RFC 3207, Section 1":         "Introduction",
	"RFC 3207, Section 4":         "The STARTTLS Command",
	"RFC 3207, Section 4.1":       "Processing After the STARTTLS Command",
	"RFC 3207, Section 4.2":       "Result of the STARTTLS Command",
	"RFC 3207, Section 6":         "Security Considerations",
	"RFC 4616, Section 2":         "PLAIN SASL Mechanism",
	"RFC 4616, Section 5":         "Security Considerations",
	"RFC 4954, Section 3":         "The Authentication Service Extension",
	"RFC 4954, Section 4":         "The AUTH Command",
	"RFC 4954, Section 6":         "Status Codes",
	"RFC 4954, Section 14":        "Additional Requirements When Using SASL PLAIN over TLS",
	"RFC 5246, Section 6.2":       "Record Layer",
	"RFC 5246, Section 7.3":       "Handshake Protocol Overview",
	"RFC 5321, Section 3.5":       "Commands for Debugging Addresses",
	"RFC 5321, Section 4.1.1.5":   "RESET (RSET)",
	"RFC 5321, Section 4.1.1.9":   "NOOP (NOOP)",
	"RFC 5321, Section 4.1.4":     "Order of Commands",
	"RFC 5321, Section 4.2.1":     "Reply Code Severities and Theory",
	"RFC 5321, Section 7.3":       "VRFY, EXPN, and Security",
	"RFC 9293, Section 3.8":       "Data Communication (3.8.1 Retransmission Timeout)",
	"RFC 5321, Section 2.3.8":     "Lines",
	"RFC 5321, Section 2.3.10":    "Originator, Delivery, Relay, and Gateway Systems",
	"RFC 5321, Section 2.2.1":     "Background (of 2.2, The Extension Model)",
	"RFC 5321, Section 3.6.2":     "Mail eXchange Records and Relaying",
	"RFC 5321, Section 7.9":       "Scope of Operation of SMTP Servers",
	"RFC 5068":                    "Email Submission Operations: Access and Accountability Requirements",
	"RFC 8460, Section 3":         "Reporting Policy",
	"RFC 8461, Section 3.2":       "MTA-STS Policies",
	"RFC 8314, Section 7.3":       "IANA: TCP port 465 assigned to submissions; the smtps history (registered, revoked, reassigned)",
	"RFC 5321, Section 3.1":       "Session Initiation",
	"RFC 5321, Section 3.3":       "Mail Transactions",
	"RFC 5321, Section 4.1.1.1":   "Extended HELLO (EHLO) or HELLO (HELO)",
	"RFC 5321, Section 4.1.1.2":   "MAIL (MAIL)",
	"RFC 5321, Section 4.1.1.3":   "RECIPIENT (RCPT)",
	"RFC 5321, Section 4.1.1.4":   "DATA (DATA)",
	"RFC 5321, Section 4.1.1.10":  "QUIT (QUIT)",
	"RFC 5321, Section 4.3.1":     "Sequencing Overview",
	"RFC 5321, Section 4.5.3.1.4": "Command Line",
	"RFC 5321, Section 4.5.3.1.6": "Text Line",
	"RFC 5321, Section 4.5.3.1.9": "Treatment When Limits Exceeded",
	"RFC 5321, Section 7.1":       "Mail Security and Spoofing",
	"RFC 6125, Section 6":         "Verifying Service Identity",
	"RFC 6409, Section 3.1":       "Submission Identification",
	"RFC 6409, Section 4.3":       "Require Authentication",
	"RFC 6531, Section 3.3":       "Extended Mailbox Address Syntax",
	"RFC 7208":                    "Sender Policy Framework (SPF)",
	"RFC 7435":                    "Opportunistic Security",
	"RFC 7435, Section 3":         "Opportunistic Security Design Principles",
	"RFC 7465":                    "Prohibiting RC4 Cipher Suites",
	"RFC 7507, Section 3":         "Server Behavior",
	"RFC 7525, Section 4.2":       "Recommended Cipher Suites",
	"RFC 7568":                    "Deprecating Secure Sockets Layer Version 3.0",
	"RFC 7672":                    "SMTP Security via Opportunistic DANE TLS",
	"RFC 7672, Section 2.2":       "TLS Discovery",
	"RFC 8314, Section 3":         "Implicit TLS",
	"RFC 8314, Section 3.3":       "Implicit TLS for SMTP Submission",
	"RFC 8314, Section 4.4":       "TLS Server Certificate Requirements",
	"RFC 8314, Section 5.2":       "Minimum Confidentiality Level",
	"RFC 8314, Section 5.3":       "Certificate Validation",
	"RFC 8446, Section 4":         "Handshake Protocol",
	"RFC 8446, Section 4.1.3":     "Server Hello",
	"RFC 8446, Section 5.1":       "Record Layer",
	"RFC 8446, Section 5.2":       "Record Payload Protection",
	"RFC 8446, Section 6.1":       "Closure Alerts",
	"RFC 8460, Section 4.3.1":     "Negotiation Failures",
	"RFC 8461":                    "SMTP MTA Strict Transport Security (MTA-STS)",
	"RFC 8461, Section 5":         "Policy Application",
	"RFC 8996":                    "Deprecating TLS 1.0 and TLS 1.1",
	"RFC 8997":                    "Deprecation of TLS 1.1 for Email Submission and Access",
	"RFC 9293, Section 3.4":       "Sequence Numbers",
	"RFC 9293, Section 3.5":       "Establishing a Connection",
	"RFC 9293, Section 3.6":       "Closing a Connection",
	"RFC 9293, Section 3.10.7.4":  "Other States (segment arrives)",
	"CVE-2011-0411":               "Postfix: plaintext commands injected before STARTTLS run inside TLS",
	"CVE-2014-3566":               "POODLE: SSL 3.0 CBC padding oracle",
	"CVE-2015-0204":               "FREAK: OpenSSL accepts export-grade RSA keys",
	"CVE-2016-2183":               "SWEET32: birthday attack on 64-bit block ciphers (3DES)",
	"CVE-2021-33515":              "Dovecot submission: STARTTLS command injection",
	"CVE-2021-38371":              "Exim SMTP client: STARTTLS response injection",
	"CVE-2023-51764":              "Postfix: SMTP smuggling",
	"CVE-2023-51765":              "Sendmail: SMTP smuggling",
	"CVE-2023-51766":              "Exim: SMTP smuggling",
}

// codeCitations is, per finding code and phase, the references it carries,
// reviewed by hand: each is the section that states what the text says.
var codeCitations = []struct {
	code string
	refs []string
}{
	{"starttls.stripped", []string{"RFC 3207, Section 6", "RFC 8461", "RFC 7672", "RFC 8314, Section 3"}},
	{"starttls.offered_not_used", []string{"RFC 3207, Section 4", "RFC 8314, Section 5.2", "RFC 4954, Section 4"}},
	{"starttls.not_offered", []string{"RFC 3207, Section 4", "RFC 8460, Section 4.3.1", "RFC 8314, Section 3"}},
	{"starttls.refused", []string{"RFC 3207, Section 4", "RFC 8314, Section 5.2", "RFC 8461, Section 5"}},
	{"starttls.command_injection", []string{"RFC 3207, Section 4", "RFC 3207, Section 4.2", "CVE-2011-0411", "CVE-2021-33515"}},
	{"starttls.response_injection", []string{"RFC 3207, Section 4.2", "CVE-2021-38371"}},
	{"starttls.tls_in_clear", []string{"RFC 3207, Section 4", "RFC 3207, Section 6"}},
	{"starttls.no_tls_after_220", []string{"RFC 3207, Section 4", "RFC 8446, Section 5.1"}},
	{"starttls.tls_failed_then_plain", []string{"RFC 7435, Section 3", "RFC 8461, Section 5", "RFC 7672, Section 2.2", "RFC 3207, Section 4.1"}},
	{"starttls.no_ehlo_after_tls", []string{"RFC 3207, Section 4.2"}},
	{"auth.plaintext", []string{"RFC 4954, Section 4", "RFC 4954, Section 14", "RFC 4616, Section 5", "RFC 8314, Section 3"}},
	{"auth.advertised_before_tls", []string{"RFC 4954, Section 4", "RFC 3207, Section 6", "RFC 8314, Section 3"}},
	{"mail.plaintext", []string{"RFC 3207, Section 1", "RFC 8314, Section 3", "RFC 5321, Section 7.1"}},
	{"port.wrong_transport", []string{"RFC 8314, Section 3.3", "RFC 6409, Section 3.1", "RFC 3207, Section 4"}},
	{"tls.weak_version", []string{"RFC 7568", "RFC 8996", "RFC 8997", "CVE-2014-3566"}},
	{"tls.weak_cipher", []string{"RFC 7465", "CVE-2016-2183", "RFC 7525, Section 4.2", "CVE-2015-0204"}},
	{"tls.downgrade_sentinel", []string{"RFC 8446, Section 4.1.3", "RFC 7507, Section 3"}},
	{"tls.certificate", []string{"RFC 8314, Section 5.3", "RFC 8314, Section 4.4", "RFC 6125, Section 6", "RFC 7672", "RFC 7435"}},
	{"smtp.smuggling", []string{"RFC 5321, Section 2.3.8", "RFC 5321, Section 4.1.1.4", "CVE-2023-51764", "CVE-2023-51765", "CVE-2023-51766"}},
	{"smtp.data_rejected", []string{"RFC 5321, Section 4.1.1.4", "RFC 5321, Section 3.3", "RFC 2920, Section 3.1"}},
	{"smtp.overlong_line", []string{"RFC 5321, Section 4.5.3.1.4", "RFC 5321, Section 4.5.3.1.6", "RFC 5321, Section 4.5.3.1.9", "RFC 4954, Section 4", "RFC 6531, Section 3.3"}},
	{"tcp.overlap_conflict", []string{"RFC 9293, Section 3.10.7.4", "RFC 9293, Section 3.4"}},
	{"capture.gap", []string{"RFC 9293, Section 3.4"}},
	{"phase:tcp-handshake", []string{"RFC 9293, Section 3.5", "RFC 6409, Section 3.1", "RFC 8314, Section 3.3"}},
	{"phase:greeting", []string{"RFC 5321, Section 4.3.1", "RFC 5321, Section 3.1"}},
	{"phase:ehlo", []string{"RFC 5321, Section 4.1.1.1", "RFC 3207, Section 4.2", "RFC 4954, Section 3"}},
	{"phase:starttls", []string{"RFC 3207, Section 4", "RFC 3207, Section 4.2"}},
	{"phase:tls-handshake", []string{"RFC 8446, Section 4", "RFC 5246, Section 7.3", "RFC 8996", "RFC 8314, Section 5.3"}},
	{"phase:encrypted", []string{"RFC 8446, Section 5.2", "RFC 5246, Section 6.2"}},
	{"phase:auth", []string{"RFC 4954, Section 4", "RFC 4954, Section 6", "RFC 4616, Section 2"}},
	{"phase:envelope", []string{"RFC 5321, Section 3.3", "RFC 5321, Section 4.1.1.2", "RFC 5321, Section 4.1.1.3", "RFC 7208"}},
	{"phase:data", []string{"RFC 5321, Section 4.1.1.4", "RFC 5321, Section 2.3.8", "RFC 3030, Section 2"}},
	{"phase:quit", []string{"RFC 5321, Section 4.1.1.10"}},
	{"phase:teardown", []string{"RFC 9293, Section 3.6", "RFC 8446, Section 6.1"}},
}

// TestCitations checks the references of every finding and phase text
// against the reviewed table, and that every RFC section named anywhere in
// the texts (or listed as a reference) is one whose title was checked.
func TestCitations(t *testing.T) {
	var got []struct {
		code string
		refs []string
	}
	var texts []string
	for _, e := range Catalogue() {
		got = append(got, struct {
			code string
			refs []string
		}{e.Code, e.References})
		texts = append(texts, e.Why, e.Attack, e.Fix)
	}
	for _, p := range []session.Phase{session.PhaseTCPHandshake, session.PhaseGreeting, session.PhaseEHLO,
		session.PhaseStartTLS, session.PhaseTLSHandshake, session.PhaseEncrypted, session.PhaseAuth,
		session.PhaseEnvelope, session.PhaseData, session.PhaseQuit, session.PhaseTeardown} {
		e := PhaseText(p)
		got = append(got, struct {
			code string
			refs []string
		}{"phase:" + e.Code, e.References})
		texts = append(texts, e.Why, e.Attack, e.Fix)
	}
	if len(got) != len(codeCitations) {
		t.Errorf("%d codes and phases carry references, the reviewed table has %d", len(got), len(codeCitations))
	}
	for i := range min(len(got), len(codeCitations)) {
		g, w := got[i], codeCitations[i]
		if g.code != w.code || !slices.Equal(g.refs, w.refs) {
			t.Errorf("references of %s = %q, reviewed table has %s %q", g.code, g.refs, w.code, w.refs)
		}
		for _, r := range g.refs {
			if _, ok := citedSections[r]; !ok {
				t.Errorf("%s cites %q, whose section title was never checked (add it to citedSections after reading it)", g.code, r)
			}
		}
	}
	inline := regexp.MustCompile(`RFC \d{3,4}, Section [\d.]*\d`)
	for _, s := range texts {
		for _, r := range inline.FindAllString(s, -1) {
			if _, ok := citedSections[r]; !ok {
				t.Errorf("text cites %q, whose section title was never checked: %q", r, s)
			}
		}
	}
}
