package smtp

import (
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Kind says what an Event reports.
type Kind uint8

// Event kinds.
const (
	// EvCommand is one command line sent by the client (Event.Command).
	EvCommand Kind = iota + 1
	// EvReply is one complete, possibly multi-line, reply (Event.Reply).
	EvReply
	// EvCapabilities lists the keywords of an EHLO 250 reply (Event.Caps).
	EvCapabilities
	// EvAuthLine is one client line answering a 334 challenge
	// (Event.AuthLine); such lines are not commands.
	EvAuthLine
	// EvAuth is a finished AUTH exchange (Event.Auth).
	EvAuth
	// EvDataStart reports the 354 that starts a DATA body (Event.Reply
	// holds the index of the DATA command in CommandIndex).
	EvDataStart
	// EvMessage is a complete message (Event.Message), emitted after the
	// reply that answers it.
	EvMessage
	// EvBody carries message bytes as they are found (Event.Body), only
	// with Options.StreamBody: dot-unstuffed DATA bytes, BDAT chunk
	// contents, or a count of bytes not captured.
	EvBody
	// EvStartTLS reports a 220 answering STARTTLS (Event.StartTLS). The Conn
	// ignores further bytes until SetInTLS(true).
	EvStartTLS
	// EvAnomaly is traffic that did not follow the protocol (Event.Anomaly).
	EvAnomaly
	// EvTLSInClear is a TLS record the client sent on the SMTP channel
	// without the server's agreement (Event.TLSInClear, tlsclear.go).
	EvTLSInClear
)

// String returns the kind's lower-case name.
func (k Kind) String() string {
	switch k {
	case EvCommand:
		return "command"
	case EvReply:
		return "reply"
	case EvCapabilities:
		return "capabilities"
	case EvAuthLine:
		return "auth-line"
	case EvAuth:
		return "auth"
	case EvDataStart:
		return "data-start"
	case EvMessage:
		return "message"
	case EvStartTLS:
		return "starttls"
	case EvBody:
		return "body"
	case EvAnomaly:
		return "anomaly"
	case EvTLSInClear:
		return "tls-in-clear"
	}
	return "unknown"
}

// Event is what a Conn reports to its Sink. Only the sub-struct named by Kind
// is meaningful. An Event (and every slice in it) is only valid during the
// Sink call: copy what you keep.
type Event struct {
	Kind Kind
	// Dir is the direction of the bytes the event is about.
	Dir wire.Dir
	// Pos is the frame (and time) that completed the item: the frame holding
	// the final LF of a line or reply, the final "\r\n.\r\n" of a message.
	Pos wire.Pos
	// InTLS is true once SetInTLS(true) was called.
	InTLS bool

	Command    Command
	Reply      Reply
	Caps       []Capability
	AuthLine   AuthLine
	Auth       Auth
	Message    Message
	Body       Body
	StartTLS   StartTLS
	Anomaly    Anomaly
	TLSInClear TLSInClear
}

// Command is one command line (RFC 5321, Section 4.1).
type Command struct {
	// Verb is the first word, upper-cased (at most 32 bytes, sanitized).
	Verb string
	// VerbSent is the first word as sent (sanitized) when it differs
	// from Verb only by case.
	VerbSent string
	// Arg is the rest of the line after the first space, sanitized. The
	// initial response of AUTH is masked unless Options.Reveal.
	Arg string
	// Index is the 0-based index of the command in this conversation.
	Index int
	// Known is true for the verbs listed in KnownVerb.
	Known bool
	// Pipelined is true when an earlier command still awaited its reply
	// (RFC 2920).
	Pipelined bool
	// AfterStartTLS is true for a command sent after STARTTLS but before
	// its reply: command injection evidence (CVE-2011-0411).
	AfterStartTLS bool
	// Smuggled is true for a command hidden inside a DATA body that the
	// server's replies show it ran (SMTP smuggling, CVE-2023-51764).
	Smuggled bool
	// Raw is the line as sent, with its line ending; nil for AUTH, whose
	// initial response may hold a password. Only valid during the Sink call.
	Raw []byte
}

// Reply is one complete reply (RFC 5321, Section 4.2).
type Reply struct {
	Code int
	// Enhanced is the RFC 3463 status code ("x.y.z") starting the text of
	// the first line, if any.
	Enhanced string
	// Lines holds the text after "ddd-" or "ddd " of each line, sanitized.
	Lines []string
	// CommandIndex is the command this reply answers, -1 for the greeting or
	// an unsolicited reply. See Conn.pair for the pairing rule.
	CommandIndex int
	// Verb is the verb of the answered command ("" when CommandIndex < 0);
	// "DATA" or "BDAT" for the reply to a complete message.
	Verb string
	// Greeting is true for the server's greeting.
	Greeting bool
	// Record is the TLSInClear.Seq of the TLS record sent in clear whose
	// lines this reply answers (CommandIndex is then -1), 0 for none.
	Record int
	// Latency is the reply time minus the time of the client item answered.
	Latency time.Duration
	// Raw holds the reply's lines as sent (up to maxRawReply bytes). Only
	// valid during the Sink call.
	Raw []byte
}

// Capability is one EHLO keyword and its parameters (RFC 5321,
// Section 4.1.1.1).
type Capability struct {
	// Keyword is upper-cased for known keywords, verbatim (sanitized)
	// otherwise. The legacy "AUTH=LOGIN PLAIN" form becomes "AUTH".
	Keyword string
	Params  []string
	// Legacy is true for the "AUTH=" form.
	Legacy bool
}

// AuthLine is one client line inside an AUTH exchange (RFC 4954, Section 4).
type AuthLine struct {
	Mechanism string
	// Text describes the line for display, with secrets masked unless
	// Options.Reveal.
	Text string
	// CommandIndex is the index of the AUTH command.
	CommandIndex int
}

// Auth is one AUTH exchange (RFC 4954).
type Auth struct {
	Mechanism string
	// User is the authentication identity decoded from the exchange.
	User string
	// Authzid is the PLAIN authorization identity when it was given.
	Authzid string
	// Password is "********" unless Options.Reveal (empty when none was
	// seen). For CRAM-MD5 it is the digest, for XOAUTH2 the token.
	Password string
	// Result is the final reply code, 0 when none arrived.
	Result int
	// Cancelled is true when the client answered "*" (RFC 4954, Section 4).
	Cancelled bool
	// CommandIndex is the index of the AUTH command.
	CommandIndex int
}

// Rcpt is one RCPT TO with its parameters and the code of its reply (0
// when none arrived).
type Rcpt struct {
	Addr   string
	Params Params
	Code   int
	// Frame holds the RCPT command, ReplyFrame its reply (0 if none).
	Frame, ReplyFrame int64
}

// Smuggling is a set of line-ending oddities found in a DATA body
// (RFC 5321, Section 2.3.8; CVE-2023-51764).
type Smuggling uint8

// Smuggling evidence kinds.
const (
	// SmuggleLFDotLF is "\n.\n" (a line "." ended by a bare LF).
	SmuggleLFDotLF Smuggling = 1 << iota
	// SmuggleLFDotCRLF is "\n.\r\n" (the line before "." ended by a bare LF).
	SmuggleLFDotCRLF
	// SmuggleCRDotCR is "\r.\r".
	SmuggleCRDotCR
	// SmuggleBareLF is an LF not preceded by CR.
	SmuggleBareLF
	// SmuggleBareCR is a CR not followed by LF.
	SmuggleBareCR
)

// String lists the kinds found, e.g. `\n.\n,bare-lf`.
func (s Smuggling) String() string {
	var parts []string
	if s&SmuggleLFDotLF != 0 {
		parts = append(parts, `\n.\n`)
	}
	if s&SmuggleLFDotCRLF != 0 {
		parts = append(parts, `\n.\r\n`)
	}
	if s&SmuggleCRDotCR != 0 {
		parts = append(parts, `\r.\r`)
	}
	if s&SmuggleBareLF != 0 {
		parts = append(parts, "bare-lf")
	}
	if s&SmuggleBareCR != 0 {
		parts = append(parts, "bare-cr")
	}
	return strings.Join(parts, ",")
}

// Message is one mail message carried by DATA or BDAT.
type Message struct {
	// FirstPos is the frame of the first message byte (or of the end when
	// the message is empty).
	FirstPos wire.Pos
	// MailFrom is the reverse-path of the transaction's MAIL command.
	MailFrom string
	// MailParams are the ESMTP parameters of MAIL (RFC 5321, Section 4.1.2).
	MailParams Params
	// MailReply is the code of the reply to MAIL, 0 if none.
	MailReply int
	// RcptTo lists every RCPT of the transaction (up to Options.MaxRcpt),
	// accepted or not.
	RcptTo []Rcpt
	// Header fields (RFC 5322, Section 3.6), unfolded, RFC 2047-decoded and
	// sanitized.
	From, To, Subject, Date, MessageID string
	// Size counts the message bytes (dot-unstuffed for DATA), exactly.
	Size int64
	// Reply is the code of the reply answering the message, 0 if none.
	Reply int
	// Accepted is true for a 2xx Reply.
	Accepted bool
	// Seq numbers the messages of the connection from 0, in the order
	// their first byte (or command) was seen; EvBody refers to it.
	Seq int
	// Via is "DATA" or "BDAT".
	Via string
	// Chunks counts BDAT chunks.
	Chunks int
	// CommandIndex is the index of the DATA command (or of the last BDAT).
	CommandIndex int
	// Truncated is true when the kept bytes hit Options.MaxBodyKeep.
	Truncated bool
	// Gap is true when bytes of the message were not captured; GapBytes
	// counts them (as far as known).
	Gap      bool
	GapBytes int64
	// Incomplete is true when the connection ended (or the capture was cut)
	// before the end of the message was seen.
	Incomplete bool
	// Smuggling records the line-ending oddities found in a DATA body.
	Smuggling Smuggling
	// Outcome says what the server's replies show it did with an
	// end-of-data look-alike in the body (OutcomeNone without one).
	Outcome Outcome
	// Smuggled is true for a message hidden inside another that the
	// server accepted separately.
	Smuggled bool
	// Deliveries holds LMTP's replies to the message, one per accepted
	// recipient (RFC 2033, Section 4.2); nil in SMTP. Only valid during the
	// Sink call.
	Deliveries []Delivery
	// Body holds the first kept bytes of the message (dot-unstuffed). It is
	// only valid during the Sink call.
	Body []byte
}

// Body is a piece of a message's content (EvBody). The pieces of one
// message, in order, are exactly its bytes: after DATA's dot-unstuffing
// (RFC 5321, Section 4.5.2) without the final ".", or the concatenated BDAT
// chunks (RFC 3030, Section 2). The same message gives the same bytes
// either way.
type Body struct {
	// Seq is the Message.Seq of the message the bytes belong to.
	Seq int
	// Data holds the bytes; it is only valid during the Sink call.
	Data []byte
	// Gap counts bytes that were not captured (Data is then nil).
	Gap int64
}

// StartTLS reports the hand-off to TLS after a 220 answered STARTTLS
// (RFC 3207, Section 4.2).
type StartTLS struct {
	// Pending holds, per direction (indexed by wire.Dir), the bytes already
	// received that belong to TLS: for the server the rest of the Feed call
	// that carried the 220, for the client bytes not consumed as commands.
	// Only valid during the Sink call.
	Pending [2][]byte
	// ServerExtra counts the server bytes after the 220 in the same Feed
	// call: response injection evidence when they are not a TLS record.
	ServerExtra int
	// CommandIndex is the index of the STARTTLS command.
	CommandIndex int
}

// Anomaly is traffic that did not follow the protocol; the parser
// resynchronised after it.
type Anomaly struct {
	// Code is a stable code such as "smtp.bare_lf" or "capture.gap".
	Code string
	// Summary is a sanitized one-line description quoting the bytes.
	Summary string
	// Bytes is the byte count for "capture.gap" (and the cut length of an
	// overlong line).
	Bytes int64
}

// Sink receives the events of a Conn.
type Sink interface {
	// Event is called for every event; e is only valid during the call.
	Event(e *Event)
}

// SinkFunc adapts a function to the Sink interface.
type SinkFunc func(e *Event)

// Event calls f(e).
func (f SinkFunc) Event(e *Event) { f(e) }

// Outcome is what the server did with an end-of-data look-alike inside a
// DATA body, judged by its replies (RFC 5321, Section 4.1.1.4: one reply
// answers the end of data; more replies than the client's commands explain
// mean the server ended the message early and ran the rest).
type Outcome uint8

// Smuggling outcomes.
const (
	// OutcomeNone: no end-of-data look-alike.
	OutcomeNone Outcome = iota
	// OutcomeRan: the server ended the message at the look-alike and ran
	// the rest as commands (a second message).
	OutcomeRan
	// OutcomeKept: one reply answered the whole message: the server kept
	// the look-alike inside it (or normalised it).
	OutcomeKept
	// OutcomeRefused: the server refused the message (4xx/5xx).
	OutcomeRefused
	// OutcomeUnclear: no reply to the message was seen.
	OutcomeUnclear
)

// String returns "ran", "kept", "refused", "unclear" or "".
func (o Outcome) String() string {
	switch o {
	case OutcomeRan:
		return "ran"
	case OutcomeKept:
		return "kept"
	case OutcomeRefused:
		return "refused"
	case OutcomeUnclear:
		return "unclear"
	}
	return ""
}
