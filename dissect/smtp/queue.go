package smtp

import "time"

// entryKind says how the reply to a queued entry is handled.
type entryKind uint8

const (
	ePlain    entryKind = iota // one reply, nothing else
	eAuth                      // 334s, then one final reply (RFC 4954, Section 4)
	eData                      // DATA: 354 starts the body (RFC 5321, Section 4.1.1.4)
	eMsgEnd                    // the end of a DATA body: the reply accepts the message
	eBDAT                      // BDAT: one reply per chunk; with LAST it answers the message too
	eStartTLS                  // 220 hands over to TLS (RFC 3207, Section 4)
	eTLSClear                  // a TLS record sent in clear: one reply per line the server read (tlsclear.go)
)

// entry is a command (or a message end) awaiting its reply.
type entry struct {
	kind  entryKind
	index int
	verb  string
	t     time.Time
	tx    *transaction // RCPT: the transaction whose rcpts[rcpt] gets the code
	rcpt  int
	msg   *message // eMsgEnd, eBDAT with LAST
	early bool     // eData: the body was started before the reply
	// smuggled: eData of a DATA hidden in a message the server ended
	// early (smuggle.go).
	smuggled bool
	// lines and rec: eTLSClear's replies still expected, and the record's
	// TLSInClear.Seq.
	lines, rec int
}

// queued returns the number of entries awaiting a reply.
func (c *Conn) queued() int { return len(c.q) - c.qh }

// push queues e; forced entries (message ends) ignore Options.MaxPipeline
// because pairing depends on them.
func (c *Conn) push(e entry, forced bool) bool {
	if !forced && c.queued() >= c.opts.MaxPipeline {
		c.lim.Pipeline++
		return false
	}
	if c.qh > 0 && c.qh == len(c.q) {
		c.q, c.qh = c.q[:0], 0
	}
	c.q = append(c.q, e)
	return true
}

// head returns the oldest entry.
func (c *Conn) head() *entry { return &c.q[c.qh] }

// pop removes the oldest entry.
func (c *Conn) pop() entry {
	e := c.q[c.qh]
	c.q[c.qh] = entry{}
	c.qh++
	if c.qh == len(c.q) {
		c.q, c.qh = c.q[:0], 0
	} else if c.qh > 64 && c.qh*2 > len(c.q) {
		n := copy(c.q, c.q[c.qh:])
		clear(c.q[n:])
		c.q, c.qh = c.q[:n], 0
	}
	return e
}
