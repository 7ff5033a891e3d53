package flow

import "hash/maphash"

// sigRing is how many recent segments per direction are remembered for
// overlap checks.
const sigRing = 16

// segSig is one remembered segment: where it was and a hash of its bytes.
type segSig struct {
	seq, n uint32
	hash   uint64
}

// checkOverlap compares a segment that lies within bytes already seen with
// the remembered segment of the same range: different bytes for the same
// sequence numbers mean the receiver may have read either (RFC 9293,
// Section 3.10.7.4 leaves the choice to it; Ptacek and Newsham, 1998). Only
// exact repeats of a range are compared; partial overlaps are not. It
// reports whether the bytes conflict, and remembers a new segment.
func (t *Tracker) checkOverlap(h *halfState, seq uint32, payload []byte, old bool) bool {
	sum := maphash.Bytes(t.seed, payload)
	n := uint32(len(payload))
	if old {
		for i := range h.sigs {
			if sg := &h.sigs[i]; sg.n == n && sg.seq == seq {
				return sg.hash != sum
			}
		}
		return false
	}
	h.sigs[h.sigNext] = segSig{seq: seq, n: n, hash: sum}
	h.sigNext = (h.sigNext + 1) % sigRing
	return false
}
