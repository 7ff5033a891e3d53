package flow

import (
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// This file is the reassembler of one direction: in-order bytes go to the
// consumer straight from the packet (zero copy); only segments that arrive
// ahead of a hole are copied, into pages of pageSize bytes kept in sequence
// order. Its rules are those of gopacket's reassembly package, which this
// package used before (they decide which bytes win an overlap, when a FIN or
// RST ends a direction, and how holes are skipped), so that the output did
// not change when it was replaced.

// page holds queued bytes of one segment (a segment longer than pageSize
// takes several pages).
type page struct {
	seq        uint32
	bytes      []byte
	prev, next *page
	pos        wire.Pos  // the frame the bytes came in (negative: a declared hole, fill.go)
	seen       time.Time // when they were queued, for the gap timeout
	end        bool      // the segment carried FIN or RST
	buf        [pageSize]byte
}

// piece is one run of bytes handed out at once: the packet's own bytes or a
// queued page.
type piece struct {
	seq   uint32
	bytes []byte
	pos   wire.Pos
	end   bool
	pg    *page
}

// maxFreePages bounds the pages kept for reuse.
const maxFreePages = 1024

// newPage returns a page from the free list, or a new one.
func (t *Tracker) newPage(seen time.Time) *page {
	var p *page
	if n := len(t.free); n > 0 {
		p, t.free = t.free[n-1], t.free[:n-1]
	} else {
		p = new(page)
	}
	t.pagesUsed++
	p.seen = seen
	p.bytes = p.buf[:0]
	p.prev, p.next, p.end = nil, nil, false
	return p
}

// releasePage gives p back.
func (t *Tracker) releasePage(h *halfState, p *page) {
	t.pagesUsed--
	h.pages--
	p.prev, p.next, p.bytes = nil, nil, nil
	if len(t.free) < maxFreePages {
		t.free = append(t.free, p)
	}
}

// seqDelta returns b-a in sequence space, unwrapping a value in the first
// quarter of the space after one in the last quarter (RFC 9293, Section
// 3.4; the same rule as gopacket's Sequence.Difference).
func seqDelta(a, b uint32) int {
	const q = 1 << 30
	sa, sb := int64(a), int64(b)
	if a > 1<<32-1-(1<<32-1)/4 && b < q {
		sb += 1 << 32
	} else if b > 1<<32-1-(1<<32-1)/4 && a < q {
		sa += 1 << 32
	}
	return int(sb - sa)
}

// assemble feeds one segment of direction d to the reassembler.
func (t *Tracker) assemble(c *Conn, d wire.Dir, tcp *layers.TCP, pos wire.Pos) {
	if c.ended || c.done {
		return // both directions ended: later packets are counted, not reassembled
	}
	h := &c.half[d]
	t.ret = t.ret[:0]
	start := !h.asmStarted && tcp.SYN
	if !h.started {
		switch {
		case tcp.SYN:
			h.started, h.nextSeq = true, tcp.Seq+1
		case len(tcp.Payload) == 0 && !tcp.FIN && !tcp.RST:
		default:
			// Data without a SYN first: the capture joined an established
			// connection (or lost the SYN). Start here.
			start = true
			h.started, h.nextSeq = true, tcp.Seq
			if !h.midOnce {
				h.midOnce = true
				c.consumer.TCP(Event{Kind: EvMidStream, Dir: d, Pos: pos})
			}
		}
	}
	if h.closed || c.done {
		return
	}
	// A SYN on a synchronized direction is answered with a challenge ACK
	// and dropped by the receiver (RFC 5961): its payload is not data.
	if tcp.SYN && h.asmStarted {
		return
	}
	seq, bytes := tcp.Seq, tcp.Payload
	queue := true
	if !h.asmStarted {
		switch {
		case tcp.SYN:
			seq++
			h.asmStarted, h.asmNext, queue = true, seq, false
		case start:
			h.asmStarted, h.asmNext, queue = true, seq, false
		}
	} else {
		diff := seqDelta(h.asmNext, seq)
		switch {
		case diff > 0: // ahead of a hole: queued
		case (tcp.RST && diff < 0) || (tcp.FIN && seqDelta(h.asmNext, seq+uint32(len(bytes))) < 0):
			// A RST or FIN before the next byte is out of window for the
			// receiver (RFC 9293, Section 3.10.7.4): it ends nothing.
			return
		default:
			queue = false
		}
	}
	// RFC 5961, Section 3.2: a RST not at the next sequence number is
	// dropped, never queued as the end of the stream.
	if tcp.RST && queue {
		return
	}
	if tcp.FIN && queue {
		h.finSet, h.finSeq = true, seq+uint32(len(bytes))
	}
	end := tcp.RST || tcp.FIN
	if queue {
		t.overlapQueued(h, seq, bytes, pos, end, true)
		if h.pages >= t.maxPagesConn || t.pagesUsed >= t.maxPagesTotal {
			// The buffer limits force the oldest hole out.
			t.popFirst(h)
		}
	} else {
		if h.asmStarted {
			if diff := seqDelta(h.asmNext, seq); diff < 0 {
				// Bytes below the next one were delivered already: the first
				// copy wins.
				cut := min(-diff, len(bytes))
				bytes, seq = bytes[cut:], h.asmNext
			}
		}
		bytes = t.overlapQueued(h, seq, bytes, pos, end, false)
		if len(bytes) != 0 || end || start {
			t.ret = append(t.ret, piece{seq: seq, bytes: bytes, pos: pos, end: end})
		}
	}
	if len(t.ret) > 0 {
		next := t.send(c, d, h)
		h.asmNext = next
		if tcp.FIN {
			h.asmNext++
		}
	}
	t.noteBuffered(c)
}

// overlapQueued resolves the overlap of bytes at seq with the queued pages
// of h: the newer bytes win (queued pages are trimmed, dropped, or
// overwritten in place). When queue is set, what is left is queued; it
// returns the bytes left.
func (t *Tracker) overlapQueued(h *halfState, start uint32, bytes []byte, pos wire.Pos, end bool, queue bool) []byte {
	var next *page
	cur := h.last
	stop := start + uint32(len(bytes))
scan:
	for cur != nil {
		if seqDelta(stop, cur.seq) > 0 { // cur lies after the new bytes
			next = cur
			cur = cur.prev
			continue
		}
		curEnd := cur.seq + uint32(len(cur.bytes))
		if seqDelta(start, curEnd) <= 0 { // cur lies before them
			break
		}
		diffStart := seqDelta(start, cur.seq)
		diffEnd := seqDelta(stop, curEnd)
		switch {
		case diffEnd <= 0 && diffStart >= 0: // the new bytes cover cur: drop it
			if cur.prev != nil {
				cur.prev.next = cur.next
			} else {
				h.first = cur.next
			}
			if cur.next != nil {
				cur.next.prev = cur.prev
			} else {
				h.last = cur.prev
			}
			prev := cur.prev
			t.releasePage(h, cur)
			cur = prev
			continue
		case diffEnd < 0 && seqDelta(start, curEnd) > 0: // they cover cur's end
			cur.bytes = cur.bytes[:-diffStart]
			break scan
		case diffStart > 0 && seqDelta(stop, cur.seq) < 0: // they cover cur's start
			k := -seqDelta(stop, cur.seq)
			cur.bytes = cur.bytes[k:]
			cur.seq += uint32(k)
			next = cur
		case diffEnd >= 0 && diffStart <= 0: // they lie inside cur: overwrite
			copy(cur.bytes[-diffStart:-diffStart+len(bytes)], bytes)
			bytes = bytes[:0]
		default:
			next = cur
		}
		cur = cur.prev
	}
	if len(bytes) == 0 || !queue {
		return bytes
	}
	// Cut the bytes into pages and link them between cur and next.
	first := t.newPage(pos.Time)
	p := first
	h.pages++
	seq, rest := start, bytes
	for {
		n := min(len(rest), pageSize)
		p.bytes = p.buf[:n]
		copy(p.bytes, rest)
		p.seq, p.pos = seq, pos
		rest = rest[n:]
		if len(rest) == 0 {
			p.end = end
			break
		}
		seq += uint32(n)
		q := t.newPage(pos.Time)
		h.pages++
		p.next, q.prev = q, p
		p = q
	}
	if cur != nil {
		cur.next, first.prev = first, cur
	} else {
		h.first = first
	}
	if next != nil {
		p.next, next.prev = next, p
	} else {
		h.last = p
	}
	return bytes
}

// popFirst moves the first queued page to t.ret.
func (t *Tracker) popFirst(h *halfState) {
	p := h.first
	if p == nil {
		return
	}
	t.ret = append(t.ret, piece{seq: p.seq, bytes: p.bytes, pos: p.pos, end: p.end, pg: p})
	h.first = p.next
	if h.first != nil {
		h.first.prev = nil
	} else {
		h.last = nil
	}
	p.next = nil
}

// send hands t.ret, and the queued pages contiguous with it, to the
// consumer, and returns the sequence number after them.
func (t *Tracker) send(c *Conn, d wire.Dir, h *halfState) uint32 {
	skip := -1
	if h.asmStarted {
		skip = seqDelta(h.asmNext, t.ret[0].seq)
	}
	next := t.ret[0].seq + uint32(len(t.ret[0].bytes))
	for p := h.first; p != nil && p.seq == next; p = h.first {
		next += uint32(len(p.bytes))
		t.popFirst(h)
	}
	// The bytes reached a FIN that arrived ahead of them: this is the end.
	if h.finSet && next == h.finSeq {
		t.ret[len(t.ret)-1].end = true
		h.finSet = false
	}
	isEnd := t.ret[len(t.ret)-1].end
	t.deliver(c, d, h, skip)
	for i := range t.ret {
		if p := t.ret[i].pg; p != nil {
			t.releasePage(h, p)
		}
		t.ret[i] = piece{}
	}
	t.ret = t.ret[:0]
	if isEnd {
		t.closeHalf(c, h)
	}
	return next
}

// deliver reports a skipped hole, then the bytes of t.ret, one chunk per
// frame; bytes of a declared hole (fill.go, negative frames) are a gap.
func (t *Tracker) deliver(c *Conn, d wire.Dir, h *halfState, skip int) {
	if c.done {
		return
	}
	if skip > 0 {
		if !t.flushing {
			// A hole skipped outside a flush: the buffer limits
			// (MaxBufferedPerConn/Total) forced the oldest bytes out.
			t.stats.BufferLimitHits++
		}
		t.stats.GapBytes += int64(skip)
		h.nextSeq += uint32(skip)
		c.consumer.TCP(Event{Kind: EvGap, Dir: d, Pos: t.firstPos(), Bytes: skip})
	}
	length := 0
	for i := range t.ret {
		length += len(t.ret[i].bytes)
	}
	if length == 0 {
		return
	}
	h.nextSeq += uint32(length)
	if h.aheadSet && seqDiff(h.nextSeq, h.minAhead) >= 0 {
		h.aheadSet = false
	}
	for i := 0; i < len(t.ret) && !c.done; {
		p := &t.ret[i]
		if len(p.bytes) == 0 {
			i++
			continue
		}
		// The run of pieces from the same frame.
		j, n := i+1, len(p.bytes)
		for j < len(t.ret) && (len(t.ret[j].bytes) == 0 || t.ret[j].pos.Frame == p.pos.Frame) {
			n += len(t.ret[j].bytes)
			j++
		}
		if p.pos.Frame < 0 {
			t.stats.GapBytes += int64(n)
			c.consumer.TCP(Event{Kind: EvGap, Dir: d, Pos: wire.Pos{Frame: -p.pos.Frame, Time: p.pos.Time}, Bytes: n})
		} else if j == i+1 {
			c.consumer.Data(d, p.bytes, p.pos)
		} else {
			t.scratch = t.scratch[:0]
			for k := i; k < j; k++ {
				t.scratch = append(t.scratch, t.ret[k].bytes...)
			}
			c.consumer.Data(d, t.scratch, p.pos)
		}
		i = j
	}
}

// firstPos is where the first byte of t.ret came from.
func (t *Tracker) firstPos() wire.Pos {
	for i := range t.ret {
		if len(t.ret[i].bytes) > 0 {
			return t.ret[i].pos
		}
	}
	return wire.Pos{}
}

// closeHalf ends direction h of c; when both ended, the connection's
// reassembly is complete. The consumer is not closed yet: the last ACK and
// any late segment still belong to the connection (tshark counts them in
// its frames), so the tracker closes it lingerTime after its last packet,
// or at the end of the capture.
func (t *Tracker) closeHalf(c *Conn, h *halfState) {
	h.closed = true
	for p := h.first; p != nil; {
		next := p.next
		t.releasePage(h, p)
		p = next
	}
	h.first, h.last, h.pages = nil, nil, 0
	if c.half[0].closed && c.half[1].closed {
		c.ended = true
		if !c.endingSet {
			c.endingSet = true
			t.ending = append(t.ending, c)
		}
	}
}

// skipFlush gives up on the hole before the first queued page of h: the
// page and those contiguous with it are delivered after a gap. With
// nothing queued, the direction ends.
func (t *Tracker) skipFlush(c *Conn, h *halfState) {
	if h.first == nil {
		t.closeHalf(c, h)
		return
	}
	t.ret = t.ret[:0]
	t.popFirst(h)
	h.asmNext = t.send(c, wire.Dir(c.dirOf(h)), h)
}

// dirOf returns the direction of h, one of c's halves.
func (c *Conn) dirOf(h *halfState) wire.Dir {
	if h == &c.half[wire.ServerToClient] {
		return wire.ServerToClient
	}
	return wire.ClientToServer
}

// flushHalf delivers the queued bytes of h that waited since before
// deadline, skipping the holes before them.
func (t *Tracker) flushHalf(c *Conn, h *halfState, deadline time.Time) {
	if h.closed {
		return
	}
	// Pages are sorted by sequence number, not by age, and can only be
	// pushed in that order: a page must not wait longer than those after it.
	for p := h.last; p != nil && p.prev != nil; p = p.prev {
		if p.seen.Before(p.prev.seen) {
			p.prev.seen = p.seen
		}
	}
	for h.first != nil && h.first.seen.Before(deadline) && !h.closed {
		t.skipFlush(c, h)
	}
}

// flushAllHalves delivers everything queued for c, skipping every hole,
// and ends both directions.
func (t *Tracker) flushAllHalves(c *Conn) {
	for _, d := range [2]wire.Dir{wire.ServerToClient, wire.ClientToServer} {
		h := &c.half[d]
		for !h.closed && !c.ended {
			t.skipFlush(c, h)
		}
	}
}

// noteBuffered lists c among the connections with queued bytes.
func (t *Tracker) noteBuffered(c *Conn) {
	if !c.bufferedSet && (c.half[0].first != nil || c.half[1].first != nil) {
		c.bufferedSet = true
		t.buffered = append(t.buffered, c)
	}
}

// dropQueued releases the queued pages of a connection that is given up.
func (t *Tracker) dropQueued(c *Conn) {
	for d := range c.half {
		h := &c.half[d]
		for p := h.first; p != nil; {
			next := p.next
			t.releasePage(h, p)
			p = next
		}
		h.first, h.last, h.pages = nil, nil, 0
	}
}
