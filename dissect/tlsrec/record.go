package tlsrec

import (
	"time"

	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Default limits (ARCHITECTURE.md, "Limits").
const (
	// DefaultMaxRecord is the largest record length accepted: 2^14 + 2048,
	// the TLS 1.2 TLSCiphertext limit (RFC 5246, Section 6.2.3).
	DefaultMaxRecord = 1<<14 + 2048
	// DefaultMaxHandshake is the largest handshake message kept (other than
	// Certificate, see DefaultMaxCertChain).
	DefaultMaxHandshake = 64 << 10
	// DefaultMaxCertChain is the largest Certificate message kept.
	DefaultMaxCertChain = 256 << 10
)

// Options are the limits of a Parser. Zero fields take the defaults.
type Options struct {
	// MaxRecord is the largest record length field accepted; a larger one
	// means the stream is not TLS (RFC 8446, Section 5.1: record_overflow).
	MaxRecord int
	// MaxHandshake bounds the bytes kept for one handshake message; a message
	// claiming more is skipped by count and reported in the record's Summary.
	MaxHandshake int
	// MaxCertChain bounds the bytes kept for a Certificate message.
	MaxCertChain int
	// SkipAppData leaves application-data records (content type 23, whose
	// content is always protected) unbuffered: Record.Fragment is nil for a
	// record that spans Feed calls. Set it when nothing will decrypt them;
	// it saves a copy of every encrypted byte.
	SkipAppData bool
	// Certs, when set, is shared by the parsers of one capture: a
	// certificate seen before is not decoded again.
	Certs *CertCache
}

// withDefaults returns o with zero (or negative) fields set to the defaults.
func (o Options) withDefaults() Options {
	if o.MaxRecord <= 0 {
		o.MaxRecord = DefaultMaxRecord
	}
	if o.MaxHandshake <= 0 {
		o.MaxHandshake = DefaultMaxHandshake
	}
	if o.MaxCertChain <= 0 {
		o.MaxCertChain = DefaultMaxCertChain
	}
	return o
}

// Sink receives the records of a Parser. The Record and everything it points
// to (Fragment, Handshake) are valid only during the call: copy what you keep.
type Sink interface {
	Record(r *Record)
}

// Record is one TLS record of one direction.
type Record struct {
	Pos      wire.Pos // frame/time holding the record's last byte (tshark's frame for the record)
	FirstPos wire.Pos // frame/time holding the record's first byte
	Dir      wire.Dir
	Type     uint8  // content type on the wire: 20 CCS, 21 alert, 22 handshake, 23 application data; 0 for "not TLS"
	Version  uint16 // record-layer version field
	Length   int    // record length field
	// Fragment is the record payload (valid during the call only). It is nil
	// when bytes of the record were lost (Missing > 0); for a Partial record
	// it holds the bytes received.
	Fragment []byte
	// Handshake lists the handshake messages that completed within this
	// record, joined across records when a message spans several.
	Handshake []Handshake
	Alert     *Alert // plaintext alert (RFC 8446, Section 6)
	Encrypted bool   // content not readable (after CCS in this direction, or TLS 1.3 after ServerHello)
	Partial   bool   // set only by Close, for a truncated final record
	// Missing counts bytes of this record lost in a capture gap: the record
	// was framed (its length is known) but its content is not parsed.
	Missing int
	Summary string // one sanitized line, e.g. "Handshake: ClientHello (SNI mail.example.org, ALPN smtp)"
}

// SelectsTLS13 reports whether the record carries a ServerHello (not a
// HelloRetryRequest) that selects TLS 1.3: the session builder then calls
// SetEncrypted on the other direction's parser (RFC 8446, Section 4.1.3).
func (r *Record) SelectsTLS13() bool {
	for i := range r.Handshake {
		if sh := r.Handshake[i].ServerHello; sh != nil && sh.SelectedVersion == VersionTLS13 && !sh.HelloRetryRequest {
			return true
		}
	}
	return false
}

// Handshake is one complete handshake message (RFC 8446, Section 4).
type Handshake struct {
	Type   uint8 // HandshakeClientHello, ...
	Length int   // message body length
	// ClientHello is set for a well-formed (or partly well-formed) ClientHello.
	ClientHello *ClientHello
	// ServerHello is set for a well-formed ServerHello or HelloRetryRequest.
	ServerHello *ServerHello
	// Certificates is the TLS ≤ 1.2 certificate chain, leaf first.
	Certificates []Certificate
	// NamedCurve is a TLS ≤ 1.2 ServerKeyExchange's ECDHE named curve (RFC
	// 8422, Section 5.4), 0 for other key exchanges.
	NamedCurve uint16
	// Err says why the message could not be (fully) decoded; sanitized.
	Err string
}

// ClientHello is the decoded ClientHello (RFC 8446, Section 4.1.2; RFC 5246,
// Section 7.4.1.2). Strings are sanitized; lists keep GREASE values.
type ClientHello struct {
	LegacyVersion       uint16
	Random              [32]byte
	SessionID           []byte
	CipherSuites        []uint16
	Compression         []uint8
	Extensions          []uint16 // extension types, in order
	SNI                 string   // server_name host_name (RFC 6066, Section 3), sanitized
	ALPN                []string // protocol names (RFC 7301, Section 3.1), sanitized
	SupportedVersions   []uint16 // RFC 8446, Section 4.2.1
	SupportedGroups     []uint16 // RFC 8446, Section 4.2.7
	ECPointFormats      []uint8  // RFC 8422, Section 5.1.2
	SignatureAlgorithms []uint16 // RFC 8446, Section 4.2.3
	KeyShareGroups      []uint16 // RFC 8446, Section 4.2.8
	JA3                 string   // the JA3 full string
	JA3Hash             string   // MD5 of JA3, lower-case hex
	JA4                 string   // JA4 (FoxIO), e.g. t13d1516h2_8daaf6152771_b186095e22b6

	hasSNI    bool   // a host_name entry was present (SNI may still be "")
	alpnFirst []byte // the first ALPN name, raw, for JA4
}

// MaxVersion returns the highest version the client offers: the highest
// non-GREASE entry of supported_versions, else LegacyVersion (RFC 8446,
// Section 4.2.1).
func (c *ClientHello) MaxVersion() uint16 {
	var best uint16
	for _, v := range c.SupportedVersions {
		if !tlsname.IsGREASE(v) && v > best {
			best = v
		}
	}
	if best == 0 {
		return c.LegacyVersion
	}
	return best
}

// ServerHello is the decoded ServerHello (RFC 8446, Section 4.1.3; RFC 5246,
// Section 7.4.1.3).
type ServerHello struct {
	LegacyVersion uint16
	Random        [32]byte
	CipherSuite   uint16
	Compression   uint8
	Extensions    []uint16
	// SelectedVersion is from supported_versions (RFC 8446, Section 4.2.1),
	// else LegacyVersion.
	SelectedVersion uint16
	// HelloRetryRequest is true when Random is SHA-256("HelloRetryRequest")
	// (RFC 8446, Section 4.1.3).
	HelloRetryRequest bool
	// DowngradeSentinel is "tls12" or "tls11" when Random ends with
	// 44 4F 57 4E 47 52 44 01 or 00 (RFC 8446, Section 4.1.3).
	DowngradeSentinel string
	ALPN              string // selected protocol (RFC 7301, Section 3.1), sanitized
	// KeyShareGroup is the key_share extension's group (RFC 8446, Section
	// 4.2.8; in a HelloRetryRequest the selected_group), 0 without one.
	KeyShareGroup uint16
}

// Certificate is one decoded X.509 certificate of a TLS ≤ 1.2 Certificate
// message (RFC 5246, Section 7.4.2). Strings are sanitized.
type Certificate struct {
	Subject, Issuer     string
	SANs                []string
	NotBefore, NotAfter time.Time
	KeyAlgo             string // "RSA", "ECDSA", "Ed25519", ...
	KeyBits             int
	SigAlgo             string // e.g. "SHA256-RSA"
	SelfSigned          bool   // issuer == subject and the signature verifies with its own key
	Err                 string // parse error; the other fields are then empty
	// SHA256 is the lowercase hex SHA-256 of the DER certificate (the
	// fingerprint Zeek's x509.log and ssl.log cert_chain_fps carry), set
	// even when the certificate does not parse.
	SHA256 string
	// Serial is the serial number in uppercase hex, as OpenSSL and Zeek
	// print it (RFC 5280, Section 4.1.2.2).
	Serial string
	// Version is the X.509 version (1, 2 or 3; RFC 5280, Section 4.1.2.1).
	Version int
	// Exponent is the RSA public exponent; Curve the named curve of an EC
	// key (OpenSSL's short name, e.g. prime256v1).
	Exponent int
	Curve    string
	// DNSNames, Emails, IPs and URIs are the subjectAltName entries by kind
	// (RFC 5280, Section 4.2.1.6); SANs holds them all.
	DNSNames, Emails, IPs, URIs []string
	// BasicConstraints is true when the extension is present, with CA and
	// MaxPathLen (-1: no pathLenConstraint; RFC 5280, Section 4.2.1.9).
	BasicConstraints bool
	CA               bool
	MaxPathLen       int
}

// Alert is a plaintext alert (RFC 8446, Section 6; RFC 5246, Section 7.2).
type Alert struct {
	Level, Description uint8
}

// String returns e.g. "fatal handshake_failure".
func (a Alert) String() string {
	return tlsname.AlertLevelName(a.Level) + " " + tlsname.AlertName(a.Description)
}

// Stats counts what a Parser did, including every limit it hit.
type Stats struct {
	Bytes     int64 // bytes fed
	Records   int64 // records reported (including "not TLS" and partial ones)
	Ignored   int64 // bytes not framed: after "not TLS", while resynchronising, after Close
	Gaps      int64 // Gap calls with n > 0
	GapBytes  int64 // bytes reported missing
	Resyncs   int64 // plausible record headers found after a gap
	FalseSync int64 // resynchronisations abandoned because the next header was invalid
	// HandshakeSkipped counts messages longer than MaxHandshake/MaxCertChain.
	HandshakeSkipped int64
	// HandshakeDropped counts incomplete messages discarded (gap, start of
	// encryption, end of stream).
	HandshakeDropped int64
}
