package smtp

import "github.com/smtpscope/smtpscope/dissect/wire"

// Default limits (ARCHITECTURE.md, "Limits").
const (
	// DefaultMaxLine is the number of bytes buffered per line before the
	// line is cut and flagged.
	DefaultMaxLine = 16384
	// DefaultMaxPipeline is the number of commands that may await a reply.
	DefaultMaxPipeline = 1000
	// DefaultMaxRcpt is the number of RCPT commands kept per transaction.
	DefaultMaxRcpt = 1000
	// DefaultMaxBodyKeep is the number of message bytes kept per message.
	DefaultMaxBodyKeep = 1 << 20
	// DefaultMaxAnomalies is the number of EvAnomaly events emitted per
	// connection; later anomalies are only counted.
	DefaultMaxAnomalies = 100
)

// Line length limits of RFC 5321, Section 4.5.3.1, and RFC 4954, Section 4.
// Longer lines are flagged (smtp.overlong_line) but still parsed.
const (
	maxCommandLine = 512   // RFC 5321, Section 4.5.3.1.4 (including CRLF)
	maxReplyLine   = 512   // RFC 5321, Section 4.5.3.1.5 (including CRLF)
	maxTextLine    = 1000  // RFC 5321, Section 4.5.3.1.6 (including CRLF)
	maxAuthLine    = 12288 // RFC 4954, Section 4 (AUTH command and responses)
)

// Internal bounds that are not configurable.
const (
	maxReplyLines = 1000     // lines kept per multi-line reply
	minHold       = 4096     // smallest DATA hold buffer (see Conn.hold)
	maxVerb       = 32       // bytes of a command's first word kept as its Verb
	maxRawReply   = 16 << 10 // raw bytes of one reply exposed in Reply.Raw
)

// Options configures a Conn. The zero value selects every default.
type Options struct {
	// MaxLine is the number of bytes buffered per line before the line is
	// cut and flagged (default 16384). AUTH lines are flagged above 12288
	// bytes (RFC 4954, Section 4) but kept up to MaxLine.
	MaxLine int
	// MaxPipeline is the number of queued commands awaiting replies
	// (default 1000).
	MaxPipeline int
	// MaxRcpt is the number of RCPTs kept per transaction (default 1000).
	MaxRcpt int
	// MaxBodyKeep is the number of message bytes kept per message for header
	// parsing (default 1 MiB). The message size is always counted exactly.
	MaxBodyKeep int
	// KeepBody keeps message bytes past the header section (up to
	// MaxBodyKeep) in Message.Body; by default only the header section is
	// kept, which is all the summary needs and saves a copy of every body.
	KeepBody bool
	// StreamBody reports every message byte as EvBody events while the
	// message streams through, for a message parser that hashes and
	// decodes without buffering.
	StreamBody bool
	// MaxAnomalies is the number of anomalies emitted per connection
	// (default 100); later ones are counted in Limits.Anomalies.
	MaxAnomalies int
	// Reveal shows AUTH passwords instead of "********".
	Reveal bool
	// LMTP reads the conversation as LMTP (RFC 2033) from the start (port
	// 24); an LHLO command turns it on too.
	LMTP bool
}

// withDefaults returns o with every unset (or nonsensical) limit replaced
// by its default.
func (o Options) withDefaults() Options {
	if o.MaxLine < 64 {
		o.MaxLine = DefaultMaxLine
	}
	if o.MaxPipeline <= 0 {
		o.MaxPipeline = DefaultMaxPipeline
	}
	if o.MaxRcpt <= 0 {
		o.MaxRcpt = DefaultMaxRcpt
	}
	if o.MaxBodyKeep <= 0 {
		o.MaxBodyKeep = DefaultMaxBodyKeep
	}
	if o.MaxAnomalies <= 0 {
		o.MaxAnomalies = DefaultMaxAnomalies
	}
	return o
}

// Limits counts how often each limit of a Conn was hit. A limit is never hit
// silently.
type Limits struct {
	// Line counts lines cut at Options.MaxLine.
	Line int64
	// Pipeline counts commands not queued because Options.MaxPipeline
	// commands already awaited a reply.
	Pipeline int64
	// Rcpt counts RCPTs not kept because of Options.MaxRcpt.
	Rcpt int64
	// Body counts messages whose kept bytes hit Options.MaxBodyKeep.
	Body int64
	// Buffer counts client bytes that overflowed the buffer holding bytes
	// sent after DATA (or a TLS ClientHello sent after STARTTLS) before the
	// server's reply arrived.
	Buffer int64
	// ReplyLines counts reply lines dropped beyond 1000 per reply.
	ReplyLines int64
	// Anomalies counts anomalies not emitted because of
	// Options.MaxAnomalies.
	Anomalies int64
	// AfterTLS counts bytes fed after the STARTTLS hand-off (they belong to
	// TLS and were ignored).
	AfterTLS int64
}

// Counts returns the non-zero counts by limit.
func (l Limits) Counts() wire.Counts {
	m := wire.Counts{}
	add := func(name wire.Limit, n int64) {
		if n != 0 {
			m[name] = n
		}
	}
	add(wire.LimitSMTPLine, l.Line)
	add(wire.LimitSMTPPipeline, l.Pipeline)
	add(wire.LimitSMTPRcpt, l.Rcpt)
	add(wire.LimitSMTPBody, l.Body)
	add(wire.LimitSMTPBuffer, l.Buffer)
	add(wire.LimitSMTPReplyLines, l.ReplyLines)
	add(wire.LimitSMTPAnomalies, l.Anomalies)
	add(wire.LimitSMTPAfterTLS, l.AfterTLS)
	return m
}
