package session

import "container/heap"

// Ordered releases finished sessions in order of stream number (which is
// the order of their first frame), so that a report can be written while the
// capture is read and only the sessions still open are held in memory.
type Ordered struct {
	pending streamHeap
	state   map[int64]*Session // nil value: still open
	dropped map[int64]bool
	emit    func(*Session)
	// held counts finished sessions waiting for an earlier one; past
	// maxHeld the earliest open streams are passed over (OutOfOrder counts
	// them) and their sessions are written when they finish.
	held, maxHeld int
	late          map[int64]bool
	outOfOrder    int64
}

// defaultMaxHeld bounds the finished sessions held back for order.
const defaultMaxHeld = 20_000

// NewOrdered returns an Ordered that calls emit for each session in order.
func NewOrdered(emit func(*Session)) *Ordered {
	return &Ordered{state: map[int64]*Session{}, dropped: map[int64]bool{}, emit: emit,
		maxHeld: defaultMaxHeld, late: map[int64]bool{}}
}

// OutOfOrder returns how many open streams were passed over because too
// many finished sessions waited behind them (limit "report-order").
func (o *Ordered) OutOfOrder() int64 { return o.outOfOrder }

// Expect announces a stream that may become a session.
func (o *Ordered) Expect(stream int64) {
	if _, ok := o.state[stream]; ok {
		return
	}
	o.state[stream] = nil
	heap.Push(&o.pending, stream)
}

// Done hands over a finished session.
func (o *Ordered) Done(s *Session) {
	if o.late[s.Stream] {
		delete(o.late, s.Stream)
		o.emit(s) // its turn was passed over
		return
	}
	o.Expect(s.Stream)
	o.state[s.Stream] = s
	o.held++
	o.release()
	for o.held > o.maxHeld && len(o.pending) > 0 {
		// After release the earliest stream is still open: pass it over.
		top := heap.Pop(&o.pending).(int64)
		o.late[top] = true
		o.outOfOrder++
		delete(o.state, top)
		o.release()
	}
}

// Drop says the stream turned out not to be SMTP.
func (o *Ordered) Drop(stream int64) {
	if o.late[stream] {
		delete(o.late, stream)
		return
	}
	o.Expect(stream)
	o.dropped[stream] = true
	o.release()
}

// Pending returns how many streams are held back.
func (o *Ordered) Pending() int { return len(o.pending) }

func (o *Ordered) release() {
	for len(o.pending) > 0 {
		top := o.pending[0]
		s := o.state[top]
		if s == nil && !o.dropped[top] {
			return
		}
		heap.Pop(&o.pending)
		delete(o.state, top)
		delete(o.dropped, top)
		if s != nil {
			o.held--
			o.emit(s)
		}
	}
}

type streamHeap []int64

func (h streamHeap) Len() int           { return len(h) }
func (h streamHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h streamHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *streamHeap) Push(x any)        { *h = append(*h, x.(int64)) }
func (h *streamHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
