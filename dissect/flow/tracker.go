package flow

import (
	"hash/maphash"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Stats counts what the tracker saw and every limit it hit.
type Stats struct {
	Packets       int64 // TCP segments given to Packet
	Streams       int64 // connections numbered
	Active        int   // connections tracked now
	Evicted       int64 // connections closed because MaxFlows was reached (limit "flows")
	IdleClosed    int64 // connections closed after IdleTimeout
	GapBytes      int64 // bytes never captured, in all connections
	Retransmitted int64 // segments carrying only bytes already seen
	OutOfOrder    int64 // segments filling a hole
	// OverlapConflicts counts segments that repeated a range with other bytes.
	OverlapConflicts int64
	// BufferLimitHits counts holes skipped because the out-of-order buffer
	// limits were reached (limit "reassembly-buffer").
	BufferLimitHits int64
	// Shed counts connections given up, least recently seen first, to keep
	// within Options.MaxMemory (limit "max-memory").
	Shed int64
	// Memory is the estimate of the bytes held that MaxMemory bounds.
	Memory int64
}

// Tracker numbers TCP connections and reassembles the ones a Handler wants.
// It is not safe for concurrent use.
type Tracker struct {
	opts      Options
	handler   Handler
	conns     map[connKey]*Conn
	lruHead   *Conn // most recently seen
	lruTail   *Conn // least recently seen
	now       time.Time
	lastFlush time.Time
	stats     Stats
	flushing  bool // inside flush or Flush: skipped holes are timeouts
	// ending holds the connections that ended (FIN both ways, a RST, or
	// reassembled to their end) and are not closed yet.
	ending []*Conn
	mem    int64 // bytes charged to the memory budget, all connections
	// buffered holds the connections that may have queued bytes: the only
	// ones a flush looks at.
	buffered []*Conn
	seed     maphash.Seed // for segment hashes (overlap.go)
	zeros    []byte       // synthetic bytes filling holes (fill.go)
	fill     layers.TCP   // the synthetic segment

	// The reassembler's (reasm.go).
	ret           []piece
	scratch       []byte
	free          []*page
	pagesUsed     int
	maxPagesConn  int32
	maxPagesTotal int
}

// NewTracker returns a tracker that reports connections to h.
func NewTracker(opts Options, h Handler) *Tracker {
	opts = opts.withDefaults()
	t := &Tracker{opts: opts, handler: h, conns: make(map[connKey]*Conn), seed: maphash.MakeSeed()}
	t.maxPagesConn = int32(min(max(1, opts.MaxBufferedPerConn/pageSize), 1<<30))
	t.maxPagesTotal = max(1, opts.MaxBufferedTotal/pageSize)
	return t
}

// Stats returns the counters so far.
func (t *Tracker) Stats() Stats {
	s := t.stats
	s.Active = len(t.conns)
	s.Memory = t.mem
	return s
}

// Packet feeds one TCP segment. netFlow is its IP-level flow (source and
// destination address); tcp.Payload holds the captured payload. Neither is
// kept after the call.
// Cut reports that the capture's snap length cut n payload bytes of the
// segment just given to Packet (snap: the bytes kept of its frame); the
// connection's consumer gets an EvCut. Reassembly still sees the segment
// as captured.
func (t *Tracker) Cut(netFlow gopacket.Flow, tcp *layers.TCP, n, snap int, pos wire.Pos) {
	src, dst := netFlow.Endpoints()
	k, low := makeKey(src.Raw(), dst.Raw(), uint16(tcp.SrcPort), uint16(tcp.DstPort))
	c := t.conns[k]
	if c == nil || c.consumer == nil || c.done || n <= 0 {
		return
	}
	dir := wire.ClientToServer
	if low != c.aLow {
		dir = wire.ServerToClient
	}
	c.consumer.TCP(Event{Kind: EvCut, Dir: dir, Pos: pos, Bytes: n, Snap: snap})
}

func (t *Tracker) Packet(netFlow gopacket.Flow, tcp *layers.TCP, pos wire.Pos) {
	t.PacketIP(netFlow, tcp, 0, pos)
}

// PacketIP is Packet for a segment whose IP datagram is ipLen bytes long
// (header included), counted in the connection's IPBytes.
func (t *Tracker) PacketIP(netFlow gopacket.Flow, tcp *layers.TCP, ipLen int, pos wire.Pos) {
	t.stats.Packets++
	if pos.Time.After(t.now) {
		t.now = pos.Time
	}
	src, dst := netFlow.Endpoints()
	k, low := makeKey(src.Raw(), dst.Raw(), uint16(tcp.SrcPort), uint16(tcp.DstPort))
	dir := wire.ClientToServer
	c := t.conns[k]
	if c != nil && low != c.aLow {
		dir = wire.ServerToClient
	}
	if c != nil && t.startsNewConnection(c, dir, tcp) {
		t.finish(c, c.Last)
		c = nil
	}
	if c == nil {
		c = t.open(k, low, src.Raw(), dst.Raw(), tcp, pos)
		dir = wire.ClientToServer
	}
	t.touch(c)
	c.Packets++
	c.Last = pos
	c.Bytes[dir] += int64(len(tcp.Payload))
	c.DirPackets[dir]++
	c.IPBytes[dir] += int64(ipLen)
	t.track(c, dir, tcp, pos)
	if c.consumer != nil {
		// Holes this packet's ACK proves lost are declared before its own
		// bytes, so that what the peer sent before them comes first.
		t.fillAckedHoles(c)
		t.assemble(c, dir, tcp, pos)
		t.fillAckedHoles(c)
		// FIN and RST are reported after the segment's data.
		if c.consumer != nil && !c.done {
			if tcp.FIN {
				c.consumer.TCP(Event{Kind: EvFIN, Dir: dir, Pos: pos})
			}
			if tcp.RST {
				c.consumer.TCP(Event{Kind: EvRST, Dir: dir, Pos: pos})
			}
		}
	}
	t.recost(c)
	if t.mem > t.opts.MaxMemory {
		t.shed(c)
	}
	if t.now.Sub(t.lastFlush) >= flushEvery {
		t.flush()
	}
}

// startsNewConnection reports whether a SYN on an existing 4-tuple opens a
// new connection: as Wireshark does (packet-tcp.c), a SYN without ACK whose
// sequence number differs from the first one seen in that direction.
func (t *Tracker) startsNewConnection(c *Conn, dir wire.Dir, tcp *layers.TCP) bool {
	if !tcp.SYN || tcp.ACK {
		return false
	}
	h := &c.half[dir]
	return h.baseSet && h.base != tcp.Seq
}

// open numbers a new connection and asks the handler whether it wants it.
func (t *Tracker) open(k connKey, low bool, src, dst []byte, tcp *layers.TCP, pos wire.Pos) *Conn {
	if v := t.lruTail; len(t.conns) >= t.opts.MaxFlows && v != nil {
		t.stats.Evicted++
		t.finish(v, v.Last) // at its own last frame, not the new packet's
	}
	a, _ := netip.AddrFromSlice(src)
	b, _ := netip.AddrFromSlice(dst)
	c := &Conn{
		Stream: t.stats.Streams,
		A:      netip.AddrPortFrom(a.Unmap(), uint16(tcp.SrcPort)),
		B:      netip.AddrPortFrom(b.Unmap(), uint16(tcp.DstPort)),
		First:  pos,
		Last:   pos,
		v6:     k.v6,
		aLow:   low,
	}
	c.SYNSeen = tcp.SYN && !tcp.ACK
	t.stats.Streams++
	t.conns[k] = c
	c.consumer = t.handler.Open(c)
	return c
}

// track updates the per-direction state and reports handshake events,
// retransmissions and out-of-order segments.
func (t *Tracker) track(c *Conn, dir wire.Dir, tcp *layers.TCP, pos wire.Pos) {
	h := &c.half[dir]
	if !h.baseSet {
		h.baseSet, h.base = true, tcp.Seq
	}
	n := len(tcp.Payload)
	end := tcp.Seq + uint32(n)
	if tcp.SYN || tcp.FIN {
		end++
	}
	emit := func(e Event) {
		if c.consumer != nil && !c.done {
			c.consumer.TCP(e)
		}
	}
	switch {
	case tcp.SYN && !tcp.ACK:
		if !h.syn {
			h.syn = true
			c.synAt = pos.Time.Sub(c.First.Time)
			emit(Event{Kind: EvSYN, Dir: dir, Pos: pos})
		}
	case tcp.SYN && tcp.ACK:
		if !h.syn {
			h.syn = true
			emit(Event{Kind: EvSYNACK, Dir: dir, Pos: pos})
		}
	case tcp.ACK && !tcp.RST && !c.hsDone && h.syn && c.half[dir.Reverse()].syn && dir == wire.ClientToServer:
		c.hsDone = true
		c.RTT = pos.Time.Sub(c.First.Time) - c.synAt
		emit(Event{Kind: EvHandshakeACK, Dir: dir, Pos: pos})
	}
	old := n > 0 && h.maxSet && seqDiff(end, h.maxEnd) <= 0
	if n > 0 && t.checkOverlap(h, tcp.Seq, tcp.Payload, old) {
		t.stats.OverlapConflicts++
		emit(Event{Kind: EvOverlapConflict, Dir: dir, Pos: pos, Bytes: n})
	}
	if old {
		// Every byte of this segment lies below the highest seen: either
		// sent again, or late and filling a hole.
		if h.started && seqDiff(end, h.nextSeq) <= 0 {
			t.stats.Retransmitted++
			emit(Event{Kind: EvRetransmission, Dir: dir, Pos: pos, Bytes: n})
		} else {
			t.stats.OutOfOrder++
			emit(Event{Kind: EvOutOfOrder, Dir: dir, Pos: pos, Bytes: n})
		}
	}
	if !h.maxSet || seqDiff(end, h.maxEnd) > 0 {
		h.maxSet, h.maxEnd = true, end
	}
	if n > 0 && h.started && seqDiff(tcp.Seq, h.nextSeq) > 0 &&
		(!h.aheadSet || seqDiff(tcp.Seq, h.minAhead) < 0) {
		h.aheadSet, h.minAhead, h.aheadPos = true, tcp.Seq, pos
	}
	if tcp.ACK {
		r := &c.half[dir.Reverse()]
		if !r.ackSet || seqDiff(tcp.Ack, r.peerAck) > 0 {
			r.ackSet, r.peerAck = true, tcp.Ack
		}
	}
	if tcp.FIN {
		h.fin = true
	}
	if tcp.RST {
		h.rst = true
	}
	if !c.endingSet && c.consumer != nil && (tcp.RST || (c.half[0].fin && c.half[1].fin)) {
		c.endingSet = true
		t.ending = append(t.ending, c)
	}
}

// seqDiff returns a-b in sequence space (RFC 9293, Section 3.4: comparisons
// are modulo 2^32).
func seqDiff(a, b uint32) int32 { return int32(a - b) }

// touch moves c to the front of the LRU list.
func (t *Tracker) touch(c *Conn) {
	if t.lruHead == c {
		return
	}
	t.unlink(c)
	c.next = t.lruHead
	if t.lruHead != nil {
		t.lruHead.prev = c
	}
	t.lruHead = c
	if t.lruTail == nil {
		t.lruTail = c
	}
}

func (t *Tracker) unlink(c *Conn) {
	if c.prev != nil {
		c.prev.next = c.next
	} else if t.lruHead == c {
		t.lruHead = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else if t.lruTail == c {
		t.lruTail = c.prev
	}
	c.prev, c.next = nil, nil
}

// finish stops tracking c and closes its consumer.
func (t *Tracker) finish(c *Conn, pos wire.Pos) {
	t.unlink(c)
	if k := keyOf(c); t.conns[k] == c {
		delete(t.conns, k)
	}
	t.closeConsumer(c, pos)
	t.mem -= c.cost
	c.cost = 0
}

// closeConsumer closes the consumer of c and releases everything but what
// numbering its later packets needs, at once.
func (t *Tracker) closeConsumer(c *Conn, pos wire.Pos) {
	if c.consumer != nil && !c.done {
		c.done = true
		c.consumer.Close(pos)
	}
	c.consumer = nil // the Conn stays for numbering; its consumer's memory goes
	t.dropQueued(c)
	c.half[0].sigs, c.half[1].sigs = nil, nil
	if c.cost != 0 {
		t.recost(c)
	}
}

// flush gives up on bytes missing for longer than GapTimeout and closes
// connections idle for longer than IdleTimeout, both in capture time.
func (t *Tracker) flush() {
	t.flushing = true
	defer func() { t.flushing = false }()
	t.lastFlush = t.now
	deadline := t.now.Add(-t.opts.GapTimeout)
	keepB := t.buffered[:0]
	for _, c := range t.buffered {
		if !c.done && !c.ended {
			t.flushHalf(c, &c.half[wire.ServerToClient], deadline)
			t.flushHalf(c, &c.half[wire.ClientToServer], deadline)
		}
		if !c.done && (c.half[0].first != nil || c.half[1].first != nil) {
			keepB = append(keepB, c)
		} else {
			c.bufferedSet = false
		}
	}
	clear(t.buffered[len(keepB):])
	t.buffered = keepB
	// A connection that ended (FIN both ways, or a RST: RFC 9293,
	// Section 3.10.7.4, a RST aborts both directions) but whose directions
	// still wait for missing bytes has, after GapTimeout, delivered all it
	// ever will: the flush above pushed its buffered bytes.
	// A connection reassembled to its end lingers only for its
	// last ACK and stray segments (their frames are the session's, as
	// tshark counts them).
	// Only the connections that ended are looked at (t.ending), not every
	// one still numbered.
	ended, linger := t.now.Add(-t.opts.GapTimeout), t.now.Add(-lingerTime)
	keep := t.ending[:0]
	for _, c := range t.ending {
		switch {
		case c.done:
		case c.ended && c.Last.Time.Before(linger), c.Last.Time.Before(ended):
			t.closeConsumer(c, c.Last)
		default:
			keep = append(keep, c)
		}
	}
	clear(t.ending[len(keep):])
	t.ending = keep
	idle := t.now.Add(-t.opts.IdleTimeout)
	for c := t.lruTail; c != nil && c.Last.Time.Before(idle); c = t.lruTail {
		t.stats.IdleClosed++
		t.finish(c, c.Last)
	}
}

// Advance moves capture time to now without a packet (a live capture that
// went quiet), so that connections still end and gaps are still declared.
func (t *Tracker) Advance(now time.Time) {
	if now.After(t.now) {
		t.now = now
	}
	if t.now.Sub(t.lastFlush) >= flushEvery {
		t.flush()
	}
}

// Flush delivers everything still buffered (as after gaps) and closes every
// connection: call it at the end of the capture.
func (t *Tracker) Flush() {
	t.flushing = true
	for c := t.lruTail; c != nil; c = c.prev {
		if c.consumer != nil && !c.done && !c.ended {
			t.flushAllHalves(c)
		}
	}
	for c := t.lruTail; c != nil; c = t.lruTail {
		t.finish(c, c.Last)
	}
}

// Memory costs charged to the budget (Options.MaxMemory): a tracked
// connection with its table entry, and a queued page.
const (
	connCost    = 512
	sigRingCost = 16 * 16
	pageCost    = pageSize + 64
)

// recost updates what c is charged.
func (t *Tracker) recost(c *Conn) {
	n := int64(connCost)
	for d := range c.half {
		h := &c.half[d]
		n += int64(h.pages) * pageCost
		if h.sigs != nil {
			n += sigRingCost
		}
	}
	if f, ok := c.consumer.(footprinter); ok {
		n += int64(f.Footprint())
	}
	t.mem += n - c.cost
	c.cost = n
}

// shed gives up the least recently seen connections, never keep, until the
// estimate is 1/8 below the budget, and counts them (limit "max-memory").
func (t *Tracker) shed(keep *Conn) {
	low := t.opts.MaxMemory - t.opts.MaxMemory/8
	for v := t.lruTail; v != nil && v != keep && t.mem > low; v = t.lruTail {
		t.stats.Shed++
		t.finish(v, v.Last)
	}
}
