// Package session is smtpscope's model: one Session per SMTP conversation
// (one TCP connection), with its timeline, commands, replies, TLS records,
// messages, findings and anomalies, and the Store a viewer watches them in.
// It does no I/O and imports no parser: package build fills it from the
// flow, smtp and tlsrec dissectors, and the report, findings and tui
// packages only read it (cmd/layering_test.go keeps it so).
//
// All strings that carry captured bytes are sanitized (package sanitize)
// before they are stored here.
//
// Implemented: RFC 5321 (port roles and phases), RFC 6409 and RFC 8314
// (submission and submissions ports).
package session

import (
	"strconv"
	"time"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// PortRole is the role of the server port (FINDINGS.md, "Port roles").
type PortRole string

// Port roles.
const (
	RoleRelay       PortRole = "relay"       // 25, RFC 5321
	RoleSubmission  PortRole = "submission"  // 587, RFC 6409
	RoleSubmissions PortRole = "submissions" // 465, RFC 8314
	RoleLMTP        PortRole = "lmtp"        // 24 or LHLO, RFC 2033 (local delivery)
	RoleOther       PortRole = "other"
)

// RoleOfPort returns the role of a server port.
func RoleOfPort(port uint16) PortRole {
	switch port {
	case 25:
		return RoleRelay
	case 587:
		return RoleSubmission
	case 465:
		return RoleSubmissions
	case 24:
		return RoleLMTP
	}
	return RoleOther
}

// TLSMode says how (and whether) a session used TLS.
type TLSMode string

// TLS modes.
const (
	TLSNone     TLSMode = "none"
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "implicit"
)

// Phase is a band of the timeline (FINDINGS.md, "Phases of a session").
type Phase string

// Phases in the order a well-behaved session goes through them.
const (
	PhaseTCPHandshake Phase = "tcp-handshake"
	PhaseGreeting     Phase = "greeting"
	PhaseEHLO         Phase = "ehlo"
	PhaseStartTLS     Phase = "starttls"
	PhaseTLSHandshake Phase = "tls-handshake"
	// PhaseEncrypted is TLS application data that could not be decrypted:
	// the SMTP phases inside it cannot be seen.
	PhaseEncrypted Phase = "encrypted"
	PhaseAuth      Phase = "auth"
	PhaseEnvelope  Phase = "envelope"
	PhaseData      Phase = "data"
	PhaseQuit      Phase = "quit"
	PhaseTeardown  Phase = "teardown"
)

// Phases lists every phase in timeline order.
func Phases() []Phase {
	return []Phase{PhaseTCPHandshake, PhaseGreeting, PhaseEHLO, PhaseStartTLS, PhaseTLSHandshake,
		PhaseEncrypted, PhaseAuth, PhaseEnvelope, PhaseData, PhaseQuit, PhaseTeardown}
}

// Kind is what a timeline event is.
type Kind string

// Event kinds.
const (
	KindSYN       Kind = "syn"
	KindSYNACK    Kind = "syn-ack"
	KindACK       Kind = "ack" // the ACK completing the three-way handshake
	KindFIN       Kind = "fin"
	KindRST       Kind = "rst"
	KindGap       Kind = "gap"
	KindRetrans   Kind = "retransmission"
	KindMidStream Kind = "mid-stream" // capture joined an established connection
	KindCommand   Kind = "command"
	KindReply     Kind = "reply"
	KindAuth      Kind = "auth"    // AUTH continuation lines (answers to 334)
	KindData      Kind = "data"    // message body (DATA after 354, or a BDAT chunk)
	KindMessage   Kind = "message" // a complete message
	KindTLS       Kind = "tls"     // one TLS record
	KindTLSBulk   Kind = "tls-encrypted"
	KindAnomaly   Kind = "anomaly"
)

// Endpoint is one side of a connection.
type Endpoint struct {
	IP   string `json:"ip"`
	Port uint16 `json:"port"`
}

// String returns "ip:port", or "[v6]:port" for IPv6.
func (e Endpoint) String() string {
	for i := 0; i < len(e.IP); i++ {
		if e.IP[i] == ':' {
			return "[" + e.IP + "]:" + strconv.Itoa(int(e.Port))
		}
	}
	return e.IP + ":" + strconv.Itoa(int(e.Port))
}

// Session is one SMTP conversation over one TCP connection.
type Session struct {
	Stream     int64     `json:"stream"`
	Client     Endpoint  `json:"-"`
	Server     Endpoint  `json:"-"`
	PortRole   PortRole  `json:"port_role"`
	FirstFrame int64     `json:"first_frame"`
	LastFrame  int64     `json:"last_frame"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	// RTT is the time from SYN to the handshake-completing ACK (zero when
	// the handshake was not captured).
	RTT time.Duration `json:"-"`

	TLS          TLSInfo       `json:"tls"`
	Capabilities []Capability  `json:"capabilities,omitempty"`
	Commands     []Command     `json:"commands"`
	Replies      []Reply       `json:"replies"`
	Auth         []AuthAttempt `json:"auth,omitempty"`
	TLSRecords   []TLSRecord   `json:"tls_records"`
	Messages     []Message     `json:"messages"`
	Timeline     []Event       `json:"timeline"`
	Findings     []Finding     `json:"findings"`
	Anomalies    []Anomaly     `json:"anomalies"`
	TCP          TCPStats      `json:"tcp"`
	// Complete is true once the connection ended (FIN/RST both ways, or the
	// end of the capture).
	Complete bool `json:"-"`
}

// TLSInfo summarises TLS use in a session.
type TLSInfo struct {
	Mode    TLSMode `json:"mode"`
	Version string  `json:"version,omitempty"` // e.g. "TLS 1.3"
	Cipher  string  `json:"cipher,omitempty"`  // IANA name, e.g. TLS_AES_128_GCM_SHA256
	SNI     string  `json:"sni,omitempty"`
	ALPN    string  `json:"alpn,omitempty"`
	// Curve is the key-exchange group, Zeek-named ("x25519", "secp256r1"):
	// the TLS 1.3 ServerHello key_share's, or a TLS 1.2 ECDHE
	// ServerKeyExchange's named curve.
	Curve string `json:"curve,omitempty"`
	JA3   string `json:"ja3,omitempty"`
	JA4   string `json:"ja4,omitempty"`
	// JA3S (MD5) and JA4S fingerprint the ServerHello.
	JA3S string `json:"ja3s,omitempty"`
	JA4S string `json:"ja4s,omitempty"`
	// SNIMatchesCert says whether the SNI is a name of the leaf
	// certificate (nil without an SNI or a certificate).
	SNIMatchesCert *bool `json:"sni_matches_cert,omitempty"`
	// OfferedVersions and OfferedSuites are what the ClientHello offered
	// (supported_versions, else the legacy version; cipher suites by IANA
	// name), GREASE values left out (RFC 8701).
	OfferedVersions []string `json:"offered_versions,omitempty"`
	OfferedSuites   []string `json:"offered_suites,omitempty"`
	// Certificates is the server's chain in TLS <= 1.2 (leaf first), read
	// from the plaintext Certificate message in frame CertFrame.
	Certificates []Certificate `json:"certificates,omitempty"`
	CertFrame    int64         `json:"cert_frame,omitempty"`
	Decrypted    bool          `json:"decrypted"`
	// DecryptProblem says why the session could not be (fully) decrypted
	// when a key log was given: no key for this client random, an
	// unsupported suite, a record that failed authentication, a gap.
	DecryptProblem string `json:"decrypt_problem,omitempty"`
	// EncryptedRecords and EncryptedBytes count the records that could not
	// be read (no keys), per session.
	EncryptedRecords int   `json:"encrypted_records"`
	EncryptedBytes   int64 `json:"encrypted_bytes"`
}

// Certificate is what a server certificate says (RFC 5280).
type Certificate struct {
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	SANs       []string  `json:"sans,omitempty"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
	KeyAlgo    string    `json:"key_algo"`
	KeyBits    int       `json:"key_bits"`
	SigAlgo    string    `json:"sig_algo"`
	SelfSigned bool      `json:"self_signed"`
	Err        string    `json:"error,omitempty"`
	// SHA256 is the hex SHA-256 of the DER certificate (Zeek's x509.log
	// fingerprint); Serial the serial number in uppercase hex.
	SHA256 string `json:"sha256,omitempty"`
	Serial string `json:"serial,omitempty"`
	// The rest is for x509.log (package zeek): the X.509 version, RSA
	// exponent or EC curve, subjectAltName entries by kind, and the
	// basicConstraints extension (MaxPathLen -1: none).
	Version          int      `json:"-"`
	Exponent         int      `json:"-"`
	Curve            string   `json:"-"`
	DNSNames         []string `json:"-"`
	Emails           []string `json:"-"`
	IPs              []string `json:"-"`
	URIs             []string `json:"-"`
	BasicConstraints bool     `json:"-"`
	CA               bool     `json:"-"`
	MaxPathLen       int      `json:"-"`
}

// Capability is one EHLO keyword with its parameters (RFC 5321 §4.1.1.1).
type Capability struct {
	Keyword string   `json:"keyword"`
	Params  []string `json:"params,omitempty"`
	InTLS   bool     `json:"in_tls"`
}

// Command is one SMTP command line sent by the client.
type Command struct {
	Frame int64     `json:"frame"` // frame holding the command's final LF
	Time  time.Time `json:"time"`
	Verb  string    `json:"verb"` // upper-cased
	Arg   string    `json:"arg"`
	InTLS bool      `json:"in_tls"`
	Reply *ReplyRef `json:"reply"`
	// Pipelined is true when the command was sent before the reply to the
	// previous command arrived (RFC 2920).
	Pipelined bool `json:"pipelined,omitempty"`
	// AfterStartTLS is true for a command sent after STARTTLS but before
	// its reply: command injection evidence (CVE-2011-0411).
	AfterStartTLS bool `json:"after_starttls,omitempty"`
	// Smuggled is true for a command hidden inside a DATA body that the
	// server's replies show it ran (SMTP smuggling).
	Smuggled bool `json:"smuggled,omitempty"`
	// VerbSent is the verb as the client sent it (sanitized) when it
	// differs from Verb, e.g. "ehlo" (RFC 5321, Section 2.4: verbs are
	// case-insensitive; the display shows what was sent).
	VerbSent string `json:"verb_sent,omitempty"`
}

// SentVerb returns the verb as the client sent it.
func (c *Command) SentVerb() string {
	if c.VerbSent != "" {
		return c.VerbSent
	}
	return c.Verb
}

// ReplyRef points from a command to the reply that answers it.
type ReplyRef struct {
	Frame   int64         `json:"frame"`
	Code    int           `json:"code"`
	Latency time.Duration `json:"latency_ns"`
	Index   int           `json:"index"` // index into Session.Replies
}

// Reply is one complete SMTP reply, possibly multi-line.
type Reply struct {
	Frame    int64     `json:"frame"` // frame holding the final line's LF
	Time     time.Time `json:"time"`
	Code     int       `json:"code"`
	Enhanced string    `json:"enhanced,omitempty"` // RFC 3463 class.subject.detail
	Lines    []string  `json:"lines"`
	InTLS    bool      `json:"in_tls"`
	// Command is the index into Session.Commands that this reply answers,
	// or -1 for the greeting and unsolicited replies.
	Command int `json:"command"`
	// TLSRecord is the index into Session.TLSRecords of the record sent
	// in clear whose lines this reply answers (Command is then -1).
	TLSRecord *int `json:"tls_record,omitempty"`
}

// AuthAttempt is one AUTH exchange (RFC 4954).
type AuthAttempt struct {
	Frame     int64  `json:"frame"`
	Mechanism string `json:"mechanism"`
	User      string `json:"user,omitempty"`
	// Password is masked ("********") unless the user asked to reveal it.
	Password string `json:"password,omitempty"`
	Result   int    `json:"result"` // final reply code, 0 if none
	InTLS    bool   `json:"in_tls"`
}

// TLSRecord is one TLS record on the wire.
type TLSRecord struct {
	Frame     int64     `json:"frame"` // frame holding the record's last byte
	Time      time.Time `json:"time"`
	Dir       wire.Dir  `json:"-"`
	Type      uint8     `json:"type"`
	Version   uint16    `json:"version"`
	Length    int       `json:"length"`
	Handshake []uint8   `json:"handshake"`
	// Encrypted is true when the record's content could not be read.
	Encrypted bool `json:"encrypted"`
	// Decrypted is true when a key log let smtpscope read it anyway.
	Decrypted bool   `json:"decrypted,omitempty"`
	Summary   string `json:"summary,omitempty"`
	// InClear is true for a TLS record the client sent while the server
	// had not agreed to TLS (STARTTLS refused or never sent): the server
	// read it as SMTP lines; Replies counts the replies it drew.
	InClear bool `json:"in_clear,omitempty"`
	Replies int  `json:"replies,omitempty"`
}

// Message is one mail message carried by DATA or BDAT.
type Message struct {
	Frame      int64  `json:"frame"` // frame that completed the message
	FirstFrame int64  `json:"first_frame"`
	MailFrom   string `json:"mail_from"`
	// MailParams are MAIL's parameters, nil when it had none; MailReply
	// the code answering MAIL.
	MailParams *EnvParams `json:"mail_params,omitempty"`
	MailReply  int        `json:"mail_reply,omitempty"`
	RcptTo     []string   `json:"rcpt_to"`
	// Rcpts is every RCPT with its parameters and reply.
	Rcpts      []Rcpt   `json:"rcpts,omitempty"`
	From       string   `json:"from,omitempty"`
	To         string   `json:"to,omitempty"`
	Cc         []string `json:"cc,omitempty"`
	Bcc        []string `json:"bcc,omitempty"`
	ReplyTo    string   `json:"reply_to,omitempty"`
	Subject    string   `json:"subject,omitempty"`
	Date       string   `json:"date,omitempty"`
	MessageID  string   `json:"message_id,omitempty"`
	InReplyTo  string   `json:"in_reply_to,omitempty"`
	References string   `json:"references,omitempty"`
	// Path is Zeek's: the server, the client, then the last IP address of
	// each Received field, top first; Received holds those fields.
	Path           []string `json:"path,omitempty"`
	Received       []string `json:"received,omitempty"`
	UserAgent      string   `json:"user_agent,omitempty"`
	XOriginatingIP string   `json:"x_originating_ip,omitempty"`
	DKIM           []DKIM   `json:"dkim,omitempty"`
	ARC            []ARC    `json:"arc,omitempty"`
	AuthResults    []string `json:"authentication_results,omitempty"`
	ReceivedSPF    []string `json:"received_spf,omitempty"`
	// Headers holds every field of the header section, in order (bounded).
	Headers []Header `json:"headers,omitempty"`
	// Parts is the MIME tree, flattened (Parts[0] is the message itself);
	// Fuids lists the IDs of its leaf parts (Zeek's smtp.log fuids).
	Parts     []Part   `json:"parts,omitempty"`
	Fuids     []string `json:"fuids,omitempty"`
	Size      int64    `json:"size"` // unstuffed bytes
	Accepted  bool     `json:"accepted"`
	Reply     int      `json:"reply"` // final reply code
	InTLS     bool     `json:"in_tls"`
	Via       string   `json:"via"`                 // "DATA" or "BDAT"
	Truncated bool     `json:"truncated,omitempty"` // kept bytes hit the limit
	// Incomplete is true when the message's end was not seen; GapBytes
	// counts its bytes that were not captured.
	Incomplete bool  `json:"incomplete,omitempty"`
	GapBytes   int64 `json:"gap_bytes,omitempty"`
	// Problems lists what in the content did not follow the RFCs;
	// Limits the message layer's bounds hit, by name.
	Problems []string         `json:"problems,omitempty"`
	Limits   map[string]int64 `json:"limits,omitempty"`
	// Smuggling lists the line-ending oddities found in a DATA body, e.g.
	// `\n.\n,bare-lf` (RFC 5321, Section 2.3.8; CVE-2023-51764); "" if none.
	Smuggling string `json:"smuggling,omitempty"`
	// SmugglingOutcome is what the server's replies show it did with an
	// end-of-data look-alike: "ran" (ended the message there and ran the
	// rest), "kept" (one message), "refused", "unclear" (no reply); "" when
	// there was none.
	SmugglingOutcome string `json:"smuggling_outcome,omitempty"`
	// Smuggled is true for a message hidden inside another that the server
	// accepted as a message of its own.
	Smuggled bool      `json:"smuggled,omitempty"`
	Time     time.Time `json:"time"`
	// Deliveries is LMTP's answer to the message: one reply per accepted
	// recipient after the final dot (RFC 2033, Section 4.2), in RCPT order.
	Deliveries []Delivery `json:"deliveries,omitempty"`
	// Seq numbers the connection's messages in the order their bytes
	// started (smtp.Message.Seq): how a re-read finds this message's bytes.
	Seq int `json:"-"`
}

// Delivery is the LMTP reply for one recipient of a message.
type Delivery struct {
	Rcpt  string `json:"rcpt"`
	Code  int    `json:"code"`
	Frame int64  `json:"frame"`
}

// Event is one arrow on the timeline.
type Event struct {
	Frame   int64     `json:"frame"`
	Time    time.Time `json:"time"`
	Dir     wire.Dir  `json:"-"`
	Phase   Phase     `json:"phase"`
	Kind    Kind      `json:"kind"`
	Summary string    `json:"summary"`
	InTLS   bool      `json:"in_tls,omitempty"`
	// Frames lists every frame the event's bytes came from, when more than one.
	Frames []int64 `json:"frames,omitempty"`
	// Ref indexes the item this event shows in the slice named by Kind
	// (Commands, Replies, TLSRecords, Messages, Anomalies); -1 if none.
	Ref int `json:"ref"`
	// Count and Bytes are set on collapsed KindTLSBulk events.
	Count int   `json:"count,omitempty"`
	Bytes int64 `json:"bytes,omitempty"`
	// Raw holds the event's bytes as captured (a command or reply line, the
	// first bytes of a TLS record) when the builder keeps them
	// (Options.KeepBytes); unsanitized: show it only as a hex dump.
	Raw []byte `json:"-"`
}

// Severity of a finding.
type Severity string

// Severities, from worst.
const (
	SevCrit   Severity = "crit"
	SevHigh   Severity = "high"
	SevMedium Severity = "medium"
	SevLow    Severity = "low"
	SevInfo   Severity = "info"
)

// Rank orders severities: crit is 4, info 0, unknown -1.
func (s Severity) Rank() int {
	switch s {
	case SevCrit:
		return 4
	case SevHigh:
		return 3
	case SevMedium:
		return 2
	case SevLow:
		return 1
	case SevInfo:
		return 0
	}
	return -1
}

// Finding is a security or teaching verdict with its evidence (FINDINGS.md).
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Frames   []int64  `json:"frames"`
	Summary  string   `json:"summary"`
}

// Anomaly is traffic that did not follow the protocol; the parser
// resynchronised after it.
type Anomaly struct {
	Frame   int64    `json:"frame"`
	Dir     wire.Dir `json:"-"`
	Code    string   `json:"code"`
	Summary string   `json:"summary"`
}

// TCPStats counts what TCP reassembly saw for a session.
type TCPStats struct {
	Packets  int   `json:"packets"`
	BytesC2S int64 `json:"bytes_c2s"`
	BytesS2C int64 `json:"bytes_s2c"`
	// PacketsC2S/S2C count frames per direction and IPBytesC2S/S2C their
	// IP datagram lengths, headers included (Zeek's conn.log orig_pkts,
	// resp_pkts, orig_ip_bytes, resp_ip_bytes).
	PacketsC2S      int64 `json:"packets_c2s"`
	PacketsS2C      int64 `json:"packets_s2c"`
	IPBytesC2S      int64 `json:"ip_bytes_c2s"`
	IPBytesS2C      int64 `json:"ip_bytes_s2c"`
	Retransmissions int   `json:"retransmissions"`
	OutOfOrder      int   `json:"out_of_order"`
	GapBytes        int64 `json:"gap_bytes"`
	Gaps            int   `json:"gaps"`
	// OverlapConflicts counts segments that repeated bytes of the stream
	// with other content (the first per direction is also an anomaly).
	OverlapConflicts int    `json:"overlap_conflicts,omitempty"`
	MidStream        bool   `json:"mid_stream"`
	ClosedBy         string `json:"closed_by,omitempty"` // "client-fin", "server-fin", "client-rst", "server-rst", ""
}
