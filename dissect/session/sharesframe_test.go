package session

import "testing"

func TestSharesFrame(t *testing.T) {
	e := &Event{Frame: 7, Frames: []int64{3, 5}}
	for _, tt := range []struct {
		frames []int64
		want   bool
	}{{[]int64{7}, true}, {[]int64{1, 5}, true}, {[]int64{3}, true}, {[]int64{4, 6}, false}, {nil, false}} {
		if got := e.SharesFrame(tt.frames); got != tt.want {
			t.Errorf("SharesFrame(%v) = %v, want %v", tt.frames, got, tt.want)
		}
	}
}
