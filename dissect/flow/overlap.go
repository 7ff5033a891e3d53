package flow

import "hash/maphash"

// sigRingLen is how many recent segments per direction are remembered for
// overlap checks.
const sigRingLen = 16

// segSig is one remembered segment: where it was and a hash of its bytes.
type segSig struct {
	seq, n uint32
	hash   uint64
}

// sigRing is the remembered segments of one direction.
type sigRing struct {
	sigs [sigRingLen]segSig
	next int
}

// checkOverlap compares a segment that lies within bytes already seen with
// the remembered segment of the same range: different bytes for the same
// sequence numbers mean the receiver may have read either (RFC 9293,
// Section 3.10.7.4 leaves the choice to it; Ptacek and Newsham, 1998). Only
// exact repeats of a range are compared; partial overlaps are not. It
// reports whether the bytes conflict, and remembers a new segment.
func (t *Tracker) checkOverlap(h *halfState, seq uint32, payload []byte, old bool) bool {
	n := uint32(len(payload))
	if old {
		if h.sigs == nil {
			return false
		}
		for i := range h.sigs.sigs {
			if sg := &h.sigs.sigs[i]; sg.n == n && sg.seq == seq {
				return sg.hash != maphash.Bytes(t.seed, payload)
			}
		}
		return false
	}
	if h.sigs == nil {
		h.sigs = new(sigRing)
	}
	r := h.sigs
	r.sigs[r.next] = segSig{seq: seq, n: n, hash: maphash.Bytes(t.seed, payload)}
	r.next = (r.next + 1) % sigRingLen
	return false
}
