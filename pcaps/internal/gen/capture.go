package main

import (
	"bytes"
	"fmt"
)

// bodySegments returns the positions in pkts of the captured segments of the
// client's first write after the server's 354 reply: the DATA body.
func bodySegments(evs []event, pkts []packet) ([]int, error) {
	body := -1
	for i, ev := range evs {
		if ev.dir != s2c || !bytes.HasPrefix(ev.data, []byte("354 ")) {
			continue
		}
		for j := i + 1; j < len(evs) && body < 0; j++ {
			if evs[j].dir == c2s {
				body = j
			}
		}
		break
	}
	if body < 0 {
		return nil, fmt.Errorf("gen: no DATA body in the conversation")
	}
	var idx []int
	for k, p := range pkts {
		if p.ev == body && len(p.payload) > 0 && !p.retrans {
			idx = append(idx, k)
		}
	}
	return idx, nil
}

// dropBodySegment removes body segment n from the capture: the sender sent
// it and the receiver acknowledged it, but the capture point missed it.
// Segment n must have segments on both sides.
func dropBodySegment(n int) func([]event, []packet) ([]packet, error) {
	return func(evs []event, pkts []packet) ([]packet, error) {
		idx, err := bodySegments(evs, pkts)
		if err != nil {
			return nil, err
		}
		if n < 1 || n+1 >= len(idx) {
			return nil, fmt.Errorf("gen: body has %d segments, cannot drop segment %d from the middle", len(idx), n)
		}
		k := idx[n]
		return append(pkts[:k:k], pkts[k+1:]...), nil
	}
}

// swapBodySegments makes body segments a and b arrive in each other's place
// (each keeps its sequence number; the capture times stay in order).
func swapBodySegments(a, b int) func([]event, []packet) ([]packet, error) {
	return func(evs []event, pkts []packet) ([]packet, error) {
		idx, err := bodySegments(evs, pkts)
		if err != nil {
			return nil, err
		}
		if a < 0 || b >= len(idx) || a >= b {
			return nil, fmt.Errorf("gen: body has %d segments, cannot swap %d and %d", len(idx), a, b)
		}
		out := append([]packet(nil), pkts...)
		i, j := idx[a], idx[b]
		out[i], out[j] = out[j], out[i]
		out[i].t, out[j].t = out[j].t, out[i].t
		return out, nil
	}
}

// loseQueuedReply reports whether server write i is the final 250 of a
// mail transaction: the write lost past the capture point.
func loseQueuedReply(evs []event, i int) bool {
	return bytes.HasPrefix(evs[i].data, []byte("250 2.0.0 Ok: queued"))
}

// conflictBodySegment sends body segment n again, right after it, with the
// same sequence numbers and other bytes: a retransmission that disagrees
// with the original (TCP overlap conflict; Ptacek and Newsham, 1998). The
// receiver keeps one of the two; an analyzer that does not compare them can
// be shown something the server never read.
func conflictBodySegment(n int) func([]event, []packet) ([]packet, error) {
	return func(evs []event, pkts []packet) ([]packet, error) {
		idx, err := bodySegments(evs, pkts)
		if err != nil {
			return nil, err
		}
		if n < 0 || n+1 >= len(idx) {
			return nil, fmt.Errorf("gen: body has %d segments, cannot repeat segment %d", len(idx), n)
		}
		k := idx[n]
		dup := pkts[k]
		dup.payload = bytes.ToUpper(append([]byte(nil), dup.payload...))
		if bytes.Equal(dup.payload, pkts[k].payload) {
			return nil, fmt.Errorf("gen: segment %d has no letters to change", n)
		}
		dup.retrans = true
		dup.t = pkts[k].t.Add(pkts[k+1].t.Sub(pkts[k].t) / 2)
		out := append(append(append([]packet(nil), pkts[:k+1]...), dup), pkts[k+1:]...)
		return out, nil
	}
}
