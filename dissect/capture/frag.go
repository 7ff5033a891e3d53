package capture

import (
	"slices"
	"time"
)

// Defaults and limits of IPv4 fragment reassembly.
const (
	// DefaultMaxFragments is the default number of IPv4 datagrams pending
	// reassembly.
	DefaultMaxFragments = 8192
	// DefaultMaxFragmentBytes is the default number of captured bytes held
	// in pending fragments.
	DefaultMaxFragmentBytes = 64 << 20
	// DefaultFragmentTimeout is how long, in capture time, a datagram may
	// wait for its missing fragments (Linux's ipfrag_time; RFC 791,
	// Section 3.2, suggests a timer of this order).
	DefaultFragmentTimeout = 30 * time.Second
	// maxPieces bounds the pieces of one datagram, so that a flood of tiny
	// overlapping fragments costs bounded work per frame.
	maxPieces = 1024
	// maxDatagram is the largest IPv4 datagram (RFC 791, Section 3.1: the
	// total length field has 16 bits).
	maxDatagram = 65535
)

// fragKey identifies a datagram (RFC 791, Section 3.2: source, destination,
// protocol and identification).
type fragKey struct {
	src, dst [4]byte
	id       uint16
	proto    uint8
}

// fragPiece is a part of a datagram's payload. Pieces of one datagram have
// disjoint [off, end) ranges as the IP headers declare them; data holds the
// captured prefix of the range (shorter when the snap length cut it).
type fragPiece struct {
	off, end int
	data     []byte
}

// fragDatagram is a datagram pending reassembly.
type fragDatagram struct {
	key    fragKey
	first  time.Time // capture time of its first fragment
	pieces []fragPiece
	total  int // payload length, known once the last fragment arrived; else -1
	bytes  int // captured bytes held
	done   bool
}

// fragStatus is what happened to a fragment.
type fragStatus uint8

const (
	fragHeld     fragStatus = iota // kept, datagram incomplete
	fragComplete                   // datagram complete: see reassembler.out
	fragDropped                    // fragment invalid or dropped by a limit
)

// reassembler reassembles IPv4 datagrams (RFC 791, Section 3.2), bounded
// in datagrams, bytes and pieces; timeouts use capture time. Where
// fragments overlap, the bytes that arrived first win (each new fragment is
// trimmed to the ranges not yet held) and the overlap is counted.
type reassembler struct {
	maxDatagrams int
	maxBytes     int
	timeout      time.Duration
	pending      map[fragKey]*fragDatagram
	order        []*fragDatagram // creation order; completed entries removed lazily
	head         int
	bytes        int
	now          time.Time
	out          []byte // the last reassembled payload (reused)
	missing      int    // payload bytes of out's datagram that were not captured
	stats        *DecodeStats
}

// expire drops datagrams older than the timeout at capture time t.
func (r *reassembler) expire(t time.Time) {
	if t.After(r.now) {
		r.now = t
	}
	for r.head < len(r.order) {
		dg := r.order[r.head]
		if !dg.done {
			if r.now.Sub(dg.first) <= r.timeout {
				break
			}
			r.drop(dg)
			r.stats.FragmentTimeouts++
		}
		r.order[r.head] = nil
		r.head++
	}
	if r.head > 64 && r.head*2 > len(r.order) {
		r.order = append(r.order[:0], r.order[r.head:]...)
		r.head = 0
	}
}

// evictOldest drops the oldest pending datagram because of a limit.
func (r *reassembler) evictOldest() bool {
	for r.head < len(r.order) {
		dg := r.order[r.head]
		r.order[r.head] = nil
		r.head++
		if !dg.done {
			r.drop(dg)
			r.stats.FragmentLimitHits++
			return true
		}
	}
	return false
}

// drop forgets a datagram.
func (r *reassembler) drop(dg *fragDatagram) {
	dg.done = true
	r.bytes -= dg.bytes
	dg.pieces = nil
	delete(r.pending, dg.key)
}

// add adds a fragment: the payload range [off, off+declared) as the header
// declares it, of which data is the captured prefix; more is the MF flag.
func (r *reassembler) add(key fragKey, t time.Time, off, declared int, data []byte, more bool) fragStatus {
	end := off + declared
	// RFC 791, Section 3.1: a datagram cannot exceed 65535 bytes, and a
	// fragment with "more fragments" set carries data.
	if end+20 > maxDatagram || (more && declared == 0) || len(data) > declared {
		return fragDropped
	}
	dg := r.pending[key]
	if dg == nil {
		if len(r.pending) >= r.maxDatagrams {
			r.evictOldest()
		}
		dg = &fragDatagram{key: key, first: t, total: -1}
		r.pending[key] = dg
		r.order = append(r.order, dg)
		r.compact()
	}
	for r.bytes+len(data) > r.maxBytes && !dg.done && r.evictOldest() {
	}
	if dg.done {
		return fragDropped // evicted by the loop above, and counted
	}
	if r.bytes+len(data) > r.maxBytes {
		r.drop(dg)
		r.stats.FragmentLimitHits++
		return fragDropped
	}
	if !more {
		if dg.total >= 0 && dg.total != end {
			// Two different ends: keep the first, count the conflict.
			r.stats.FragmentOverlaps++
		} else {
			dg.total = end
		}
	}
	if r.insert(dg, off, end, data) {
		r.stats.FragmentOverlaps++
	}
	if len(dg.pieces) > maxPieces {
		r.drop(dg)
		r.stats.FragmentLimitHits++
		return fragDropped
	}
	if !r.complete(dg) {
		return fragHeld
	}
	r.assemble(dg)
	r.drop(dg)
	r.stats.Reassembled++
	return fragComplete
}

// insert adds the parts of [off, end) that no piece holds yet; it reports
// whether the range overlapped held pieces.
func (r *reassembler) insert(dg *fragDatagram, off, end int, data []byte) bool {
	overlap := false
	n := len(dg.pieces)
	pos := off
	for _, p := range dg.pieces[:n] {
		if pos >= end {
			break
		}
		if p.end <= pos {
			continue
		}
		if p.off >= end {
			break
		}
		if p.off > pos {
			r.addPiece(dg, pos, p.off, off, data)
		}
		overlap = true
		pos = max(pos, p.end)
	}
	if pos < end {
		r.addPiece(dg, pos, end, off, data)
	}
	if len(dg.pieces) > n {
		slices.SortFunc(dg.pieces, func(a, b fragPiece) int { return a.off - b.off })
	}
	return overlap
}

// addPiece adds the range [s, e) of a fragment starting at off whose
// captured bytes are data; it copies the captured part.
func (r *reassembler) addPiece(dg *fragDatagram, s, e, off int, data []byte) {
	var b []byte
	if cs, ce := s-off, min(e-off, len(data)); cs < ce {
		b = append([]byte(nil), data[cs:ce]...)
	}
	dg.pieces = append(dg.pieces, fragPiece{off: s, end: e, data: b})
	dg.bytes += len(b)
	r.bytes += len(b)
}

// complete reports whether the pieces cover [0, total).
func (r *reassembler) complete(dg *fragDatagram) bool {
	if dg.total < 0 {
		return false
	}
	reach := 0
	for _, p := range dg.pieces {
		if p.off != reach || reach >= dg.total {
			break
		}
		reach = p.end
	}
	return reach >= dg.total
}

// assemble copies the captured prefix of a complete datagram's payload to
// r.out and records how many bytes were not captured.
func (r *reassembler) assemble(dg *fragDatagram) {
	r.out = r.out[:0]
	for _, p := range dg.pieces {
		if p.off >= dg.total {
			break
		}
		d := p.data
		if p.off+len(d) > dg.total {
			d = d[:dg.total-p.off]
		}
		r.out = append(r.out, d...)
		if p.off+len(d) < min(p.end, dg.total) {
			break // a snap length cut: what follows is not contiguous
		}
	}
	r.missing = dg.total - len(r.out)
}

// compact removes completed datagrams from the creation order when they
// dominate it, so that it stays proportional to the pending ones.
func (r *reassembler) compact() {
	if len(r.order)-r.head <= 2*len(r.pending)+64 {
		return
	}
	live := r.order[:0]
	for _, dg := range r.order[r.head:] {
		if !dg.done {
			live = append(live, dg)
		}
	}
	clear(r.order[len(live):])
	r.order = live
	r.head = 0
}
