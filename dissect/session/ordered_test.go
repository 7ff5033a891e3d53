package session

import (
	"fmt"
	"testing"
)

func TestOrderedReleasesInStreamOrder(t *testing.T) {
	var got []int64
	o := NewOrdered(func(s *Session) { got = append(got, s.Stream) })
	for _, st := range []int64{0, 1, 2, 3} {
		o.Expect(st)
	}
	o.Done(&Session{Stream: 2})
	o.Drop(1)
	if len(got) != 0 {
		t.Fatalf("released %v before stream 0 finished", got)
	}
	o.Done(&Session{Stream: 0})
	o.Done(&Session{Stream: 3})
	if want := []int64{0, 2, 3}; len(got) != 3 || got[0] != 0 || got[1] != 2 || got[2] != 3 {
		t.Errorf("released %v, want %v", got, want)
	}
	if o.Pending() != 0 {
		t.Errorf("Pending = %d, want 0", o.Pending())
	}
}

func TestOrderedBoundsWhatItHolds(t *testing.T) {
	var got []int64
	o := NewOrdered(func(s *Session) { got = append(got, s.Stream) })
	o.maxHeld = 2
	for st := int64(0); st < 5; st++ {
		o.Expect(st)
	}
	o.Done(&Session{Stream: 1})
	o.Done(&Session{Stream: 2})
	if len(got) != 0 {
		t.Fatalf("released %v while stream 0 is open and within the bound", got)
	}
	o.Done(&Session{Stream: 3}) // three held: stream 0 is passed over
	if want := "[1 2 3]"; fmt.Sprint(got) != want || o.OutOfOrder() != 1 {
		t.Fatalf("released %v, out of order %d; want %s and 1", got, o.OutOfOrder(), want)
	}
	o.Done(&Session{Stream: 0}) // written when it finishes
	o.Done(&Session{Stream: 4})
	if want := "[1 2 3 0 4]"; fmt.Sprint(got) != want {
		t.Errorf("released %v, want %s", got, want)
	}
}
