package lesson

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// About is a short teaching text for the detail pane: what a step is, why
// it matters, and where the rule is written. Phases and findings take
// theirs from package findings; the ones here cover command verbs, reply
// classes, timeline event kinds and EHLO keywords. Every section cited is
// in the reviewed citation table (dissect/findings/lessoncitations_test.go).
type About struct {
	Title string
	Text  string
	Refs  []string
}

// PhaseAbout is a phase's teaching text (findings.PhaseText): what happens
// in it, with its references.
func PhaseAbout(p session.Phase) (About, bool) {
	x := findings.PhaseText(p)
	if x.Why == "" || len(x.References) == 0 {
		return About{}, false
	}
	return About{Title: x.Title, Text: x.Why, Refs: x.References}, true
}

// FindingAbout is a finding code's title and why it matters, with its
// references (findings.Explain).
func FindingAbout(code string) (About, bool) {
	x, ok := findings.Explain(code)
	if !ok {
		return About{}, false
	}
	return About{Title: x.Title, Text: x.Why, Refs: x.References}, true
}

// VerbAbout explains an SMTP command verb (the findings package has no
// per-verb texts).
func VerbAbout(verb string) (About, bool) {
	switch strings.ToUpper(verb) {
	case "EHLO":
		return About{"EHLO", "Extended hello: opens the session and asks for the extension list. After STARTTLS the client must send it again and forget what it learned in clear.", []string{"RFC 5321, Section 4.1.1.1", "RFC 3207, Section 4.2"}}, true
	case "HELO":
		return About{"HELO", "The old hello without extensions: no STARTTLS, no AUTH.", []string{"RFC 5321, Section 4.1.1.1"}}, true
	case "STARTTLS":
		return About{"STARTTLS", "Upgrade this connection to TLS. The server answers 220 and both sides start the handshake; 454 means TLS is not available.", []string{"RFC 3207, Section 4"}}, true
	case "AUTH":
		return About{"AUTH", "Authenticate with a SASL mechanism. 235 succeeds, 535 fails, 530 asks for STARTTLS first.", []string{"RFC 4954, Section 4"}}, true
	case "MAIL":
		return About{"MAIL FROM", "Starts a transaction and names the return path (the bounce address).", []string{"RFC 5321, Section 4.1.1.2"}}, true
	case "RCPT":
		return About{"RCPT TO", "Names one recipient; repeated for each.", []string{"RFC 5321, Section 4.1.1.3"}}, true
	case "DATA":
		return About{"DATA", "The message follows after 354 and ends with a line holding only a dot.", []string{"RFC 5321, Section 4.1.1.4"}}, true
	case "BDAT":
		return About{"BDAT", "Sends the message in chunks of a stated size, with no dot-stuffing.", []string{"RFC 3030, Section 2"}}, true
	case "RSET":
		return About{"RSET", "Aborts the current transaction.", []string{"RFC 5321, Section 4.1.1.5"}}, true
	case "QUIT":
		return About{"QUIT", "Ends the session; the server answers 221 and closes.", []string{"RFC 5321, Section 4.1.1.10"}}, true
	case "NOOP":
		return About{"NOOP", "Does nothing; keeps the connection alive.", []string{"RFC 5321, Section 4.1.1.9"}}, true
	case "VRFY", "EXPN":
		return About{verb, "Asks the server to verify a user or expand a list; usually disabled because it leaks addresses.", []string{"RFC 5321, Section 3.5", "RFC 5321, Section 7.3"}}, true
	}
	return About{}, false
}

// ReplyClassAbout explains the first digit of a reply code.
func ReplyClassAbout(code int) (About, bool) {
	switch code / 100 {
	case 2:
		return About{"2xx positive completion", "The requested action was done.", []string{"RFC 5321, Section 4.2.1"}}, true
	case 3:
		return About{"3xx positive intermediate", "Accepted so far; the server waits for more (the message after 354, a SASL response after 334).", []string{"RFC 5321, Section 4.2.1"}}, true
	case 4:
		return About{"4xx transient failure", "Not done now; the client may try again later.", []string{"RFC 5321, Section 4.2.1"}}, true
	case 5:
		return About{"5xx permanent failure", "Not done; repeating the same command will fail again.", []string{"RFC 5321, Section 4.2.1"}}, true
	}
	return About{}, false
}

// KindAbout explains timeline events that are neither commands nor replies.
func KindAbout(k session.Kind) (About, bool) {
	switch k {
	case session.KindGap:
		return FindingAbout(findings.CodeGap)
	case session.KindRetrans:
		return About{"Retransmission", "The same bytes were sent again; only the first copy counts.", []string{"RFC 9293, Section 3.8"}}, true
	case session.KindMidStream:
		return About{"Mid-stream start", "The capture joined an established connection: the beginning of the session is missing.", []string{"RFC 9293, Section 3.5"}}, true
	case session.KindTLSBulk:
		return PhaseAbout(session.PhaseEncrypted)
	case session.KindAnomaly:
		return About{"Anomaly", "Traffic that did not follow the protocol; the parser resynchronised after it.", []string{"RFC 5321, Section 4.1.4"}}, true
	case session.KindAuth:
		return About{"AUTH exchange", "A SASL continuation line answering a 334 challenge; base64, readable by anyone outside TLS.", []string{"RFC 4954, Section 4"}}, true
	}
	return About{}, false
}

// CapabilityMeaning explains an EHLO keyword.
func CapabilityMeaning(keyword string) string {
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
