package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// cancelAfter is a Target that cancels the run after its first batch.
type cancelAfter struct {
	Collect
	cancel  context.CancelFunc
	batches int
}

func (c *cancelAfter) Batch(fn func(p *session.Progress)) {
	c.Collect.Batch(fn)
	c.batches++
	c.cancel()
}

func demoSource(t *testing.T) *capture.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "pcaps", "demo.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := capture.NewFile(bytes.NewReader(data), "demo.pcap", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// Collect keeps every finished session and, through Nop, the progress.
func TestCollect(t *testing.T) {
	c := &Collect{}
	st, err := Run(context.Background(), demoSource(t), Options{Session: build.Options{AnyPort: true}}, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sessions) != 3 {
		t.Errorf("Collect kept %d sessions of demo.pcap, want 3", len(c.Sessions))
	}
	if !c.Progress.Done || st.Frames == 0 || c.Progress.Packets != st.Frames {
		t.Errorf("progress %+v after %d frames: want Done with every frame counted", c.Progress, st.Frames)
	}
}

// A cancelled context ends the run between batches with ctx.Err(), with
// one thread and with a reader goroutine.
func TestRunCancelled(t *testing.T) {
	for _, threads := range []int{1, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		c := &Collect{}
		st, err := Run(ctx, demoSource(t), Options{Threads: threads}, c)
		if !errors.Is(err, context.Canceled) || st.Frames != 0 || len(c.Sessions) != 0 {
			t.Errorf("threads=%d, cancelled before: Run = %+v, %v (%d sessions), want context.Canceled and nothing read",
				threads, st, err, len(c.Sessions))
		}

		ctx, cancel = context.WithCancel(context.Background())
		ca := &cancelAfter{cancel: cancel}
		st, err = Run(ctx, demoSource(t), Options{Threads: threads, BatchFrames: 4}, ca)
		if !errors.Is(err, context.Canceled) || ca.batches != 1 {
			t.Errorf("threads=%d, cancelled in the first batch: Run = %v after %d batches, want context.Canceled after 1",
				threads, err, ca.batches)
		}
		if threads == 1 && st.Frames != 4 {
			t.Errorf("threads=1: %d frames read, want the first batch's 4", st.Frames)
		}
		cancel()
	}
}
