package flow

import "time"

// Options bound the memory the tracker uses. Zero values take the defaults
// (ARCHITECTURE.md, "Limits").
type Options struct {
	// MaxBufferedPerConn bounds out-of-order bytes buffered per connection
	// (default 2 MiB per direction, counted in pages of 1900 bytes).
	MaxBufferedPerConn int
	// MaxBufferedTotal bounds out-of-order bytes buffered in all (default 128 MiB).
	MaxBufferedTotal int
	// MaxFlows bounds tracked connections (default 100,000); the least
	// recently seen is closed when a new one would exceed it.
	MaxFlows int
	// IdleTimeout closes connections without packets for this long, in
	// capture time (default 5 minutes).
	IdleTimeout time.Duration
	// GapTimeout gives up waiting for missing bytes after this long in
	// capture time and reports a gap (default 3 s: well past a
	// retransmission timeout, RFC 6298).
	GapTimeout time.Duration
	// MaxMemory bounds the bytes the tracked connections hold, as
	// estimated by the tracker (connections, queued bytes) and their
	// consumers (default 512 MiB); past it the least recently seen
	// connections are given up and counted (limit "max-memory").
	MaxMemory int64
}

const (
	defaultMaxBufferedPerConn = 2 << 20
	defaultMaxBufferedTotal   = 128 << 20
	defaultMaxFlows           = 100_000
	defaultIdleTimeout        = 5 * time.Minute
	defaultGapTimeout         = 3 * time.Second
	defaultMaxMemory          = 512 << 20
	// pageSize is the size of the pages out-of-order bytes are queued in
	// (gopacket reassembly's, whose limits were counted in them).
	pageSize = 1900
	// flushEvery is how often, in capture time, idle and stuck connections
	// are looked at.
	flushEvery = 250 * time.Millisecond
	// lingerTime is how long, in capture time, a connection that ended
	// waits for its last ACK and stray segments before it is closed.
	lingerTime = 500 * time.Millisecond
)

func (o Options) withDefaults() Options {
	if o.MaxBufferedPerConn <= 0 {
		o.MaxBufferedPerConn = defaultMaxBufferedPerConn
	}
	if o.MaxBufferedTotal <= 0 {
		o.MaxBufferedTotal = defaultMaxBufferedTotal
	}
	if o.MaxFlows <= 0 {
		o.MaxFlows = defaultMaxFlows
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = defaultIdleTimeout
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = defaultMaxMemory
	}
	if o.GapTimeout <= 0 {
		o.GapTimeout = defaultGapTimeout
	}
	return o
}
