package message

import "github.com/smtpscope/smtpscope/dissect/wire"

// Default limits. ARCHITECTURE.md ("Limits") bounds MIME depth at 16.
const (
	// DefaultMaxDepth is the deepest multipart (or message/rfc822) that is
	// descended into; a deeper one is read as one opaque part.
	DefaultMaxDepth = 16
	// DefaultMaxParts is the number of MIME entities recorded per message.
	DefaultMaxParts = 1000
	// DefaultMaxHeaderBytes is the number of bytes kept of one header
	// section (the message's or a part's).
	DefaultMaxHeaderBytes = 64 << 10
	// DefaultMaxFields is the number of header fields kept of the
	// message's header section.
	DefaultMaxFields = 1000
	// DefaultMaxPreview is the number of decoded bytes kept per part for
	// its text preview.
	DefaultMaxPreview = 8 << 10
)

// Internal bounds.
const (
	// maxLine is the longest partial line buffered between two Writes. A
	// boundary line is at most 2+70+2 bytes plus transport padding
	// (RFC 2046, Section 5.1.1); longer lines are passed on in pieces and
	// are never taken as a boundary.
	maxLine = 4096
	// maxProblems bounds the problems noted per message.
	maxProblems = 32
	// maxValue bounds a header value kept for display.
	maxValue = 8 << 10
)

// Options configures a Parser. The zero value selects every default.
type Options struct {
	MaxDepth       int
	MaxParts       int
	MaxHeaderBytes int
	MaxFields      int
	MaxPreview     int
	// HashAsync hashes the content of large parts on a goroutine of their
	// own (hashes.go); the engine sets it when it runs on more than one
	// thread.
	HashAsync bool
	// NoHashes leaves the parts' MD5, SHA-1 and SHA-256 empty: for
	// outputs that never show them (the text report, --findings-only),
	// where they were most of the dissection's work.
	NoHashes bool
}

func (o Options) withDefaults() Options {
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxParts <= 0 {
		o.MaxParts = DefaultMaxParts
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.MaxFields <= 0 {
		o.MaxFields = DefaultMaxFields
	}
	if o.MaxPreview <= 0 {
		o.MaxPreview = DefaultMaxPreview
	}
	return o
}

// counts adds one hit of l.
func (p *Parser) hit(l wire.Limit) {
	if p.msg.Limits == nil {
		p.msg.Limits = wire.Counts{}
	}
	p.msg.Limits[l]++
}
