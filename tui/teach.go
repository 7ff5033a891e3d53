package tui

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// The texts of phases, findings and encrypted records come from package
// findings (PhaseText, Explain); the ones here cover what it does not:
// command verbs, reply classes, TCP event kinds and EHLO keywords.

// about is a short teaching text: what a step is, why it matters, and where
// the rule is written.
type about struct {
	Title string
	Text  string
	Ref   string // RFC section
}

// phaseLesson explains a timeline phase with the findings package's
// teaching text (FINDINGS.md, "Phases of a session"): what happens in it,
// and its first reference.
func phaseLesson(p session.Phase) (about, bool) {
	x := findings.PhaseText(p)
	if x.Why == "" || len(x.References) == 0 {
		return about{}, false
	}
	return about{Title: x.Title, Text: x.Why, Ref: strings.Join(x.References, "; ")}, true
}

// findingLesson is the short lesson of a finding code: its title and why
// it matters, with its references (findings.Explain).
func findingLesson(code string) (about, bool) {
	x, ok := findings.Explain(code)
	if !ok {
		return about{}, false
	}
	return about{Title: x.Title, Text: x.Why, Ref: strings.Join(x.References, "; ")}, true
}

// verbLesson explains an SMTP command verb (the findings package has no
// per-verb texts).
func verbLesson(verb string) (about, bool) {
	switch strings.ToUpper(verb) {
	case "EHLO":
		return about{"EHLO", "Extended hello: opens the session and asks for the extension list. After STARTTLS the client must send it again and forget what it learned in clear.", "RFC 5321, Section 4.1.1.1; RFC 3207, Section 4.2"}, true
	case "HELO":
		return about{"HELO", "The old hello without extensions: no STARTTLS, no AUTH.", "RFC 5321, Section 4.1.1.1"}, true
	case "STARTTLS":
		return about{"STARTTLS", "Upgrade this connection to TLS. The server answers 220 and both sides start the handshake; 454 means TLS is not available.", "RFC 3207, Section 4"}, true
	case "AUTH":
		return about{"AUTH", "Authenticate with a SASL mechanism. 235 succeeds, 535 fails, 530 asks for STARTTLS first.", "RFC 4954, Section 4"}, true
	case "MAIL":
		return about{"MAIL FROM", "Starts a transaction and names the return path (the bounce address).", "RFC 5321, Section 4.1.1.2"}, true
	case "RCPT":
		return about{"RCPT TO", "Names one recipient; repeated for each.", "RFC 5321, Section 4.1.1.3"}, true
	case "DATA":
		return about{"DATA", "The message follows after 354 and ends with a line holding only a dot.", "RFC 5321, Section 4.1.1.4"}, true
	case "BDAT":
		return about{"BDAT", "Sends the message in chunks of a stated size, with no dot-stuffing.", "RFC 3030, Section 2"}, true
	case "RSET":
		return about{"RSET", "Aborts the current transaction.", "RFC 5321, Section 4.1.1.5"}, true
	case "QUIT":
		return about{"QUIT", "Ends the session; the server answers 221 and closes.", "RFC 5321, Section 4.1.1.10"}, true
	case "NOOP":
		return about{"NOOP", "Does nothing; keeps the connection alive.", "RFC 5321, Section 4.1.1.9"}, true
	case "VRFY", "EXPN":
		return about{verb, "Asks the server to verify a user or expand a list; usually disabled because it leaks addresses.", "RFC 5321, Section 3.5"}, true
	}
	return about{}, false
}

// replyClassLesson explains the first digit of a reply code.
func replyClassLesson(code int) (about, bool) {
	switch code / 100 {
	case 2:
		return about{"2xx positive completion", "The requested action was done.", "RFC 5321, Section 4.2.1"}, true
	case 3:
		return about{"3xx positive intermediate", "Accepted so far; the server waits for more (the message after 354, a SASL response after 334).", "RFC 5321, Section 4.2.1"}, true
	case 4:
		return about{"4xx transient failure", "Not done now; the client may try again later.", "RFC 5321, Section 4.2.1"}, true
	case 5:
		return about{"5xx permanent failure", "Not done; repeating the same command will fail again.", "RFC 5321, Section 4.2.1"}, true
	}
	return about{}, false
}

// kindLesson explains timeline events that are neither commands nor replies.
func kindLesson(k session.Kind) (about, bool) {
	switch k {
	case session.KindGap:
		return findingLesson(findings.CodeGap)
	case session.KindRetrans:
		return about{"Retransmission", "The same bytes were sent again; only the first copy counts.", "RFC 9293, Section 3.8"}, true
	case session.KindMidStream:
		return about{"Mid-stream start", "The capture joined an established connection: the beginning of the session is missing.", "RFC 9293, Section 3.5"}, true
	case session.KindTLSBulk:
		return phaseLesson(session.PhaseEncrypted)
	case session.KindAnomaly:
		return about{"Anomaly", "Traffic that did not follow the protocol; the parser resynchronised after it.", "RFC 5321, Section 4.1.4"}, true
	case session.KindAuth:
		return about{"AUTH exchange", "A SASL continuation line answering a 334 challenge; base64, readable by anyone outside TLS.", "RFC 4954, Section 4"}, true
	}
	return about{}, false
}

// capabilityMeaning explains an EHLO keyword.
func capabilityMeaning(keyword string) string {
	switch strings.ToUpper(keyword) {
	case "STARTTLS":
		return "can upgrade to TLS (RFC 3207)"
	case "AUTH":
		return "accepts authentication with these SASL mechanisms (RFC 4954)"
	case "SIZE":
		return "maximum message size in bytes (RFC 1870)"
	case "PIPELINING":
		return "client may send commands without waiting (RFC 2920)"
	case "8BITMIME":
		return "accepts 8-bit message bodies (RFC 6152)"
	case "CHUNKING":
		return "accepts BDAT (RFC 3030)"
	case "BINARYMIME":
		return "accepts binary bodies with BDAT (RFC 3030)"
	case "SMTPUTF8":
		return "accepts UTF-8 addresses (RFC 6531)"
	case "DSN":
		return "delivery status notifications (RFC 3461)"
	case "ENHANCEDSTATUSCODES":
		return "replies carry x.y.z codes (RFC 2034)"
	case "REQUIRETLS":
		return "honours REQUIRETLS (RFC 8689)"
	}
	return ""
}
