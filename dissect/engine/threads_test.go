package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

// TestThreadsSameOutput runs every sample (with its key log too) with one
// thread and pipelined, with batches of every size from 1 frame up: the
// sessions, and the counts, must be the same to the byte.
func TestThreadsSameOutput(t *testing.T) {
	for _, name := range pcaps.Names() {
		data, err := fs.ReadFile(pcaps.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		var keys []byte
		if k := pcaps.KeyLog(name); k != "" {
			if keys, err = fs.ReadFile(pcaps.FS(), k); err != nil {
				t.Fatal(err)
			}
		}
		for _, withKeys := range []bool{false, true} {
			if withKeys && keys == nil {
				continue
			}
			want := runThreads(t, data, keys, withKeys, 1, 0)
			for _, batch := range []int{1, 3, 64, 0} {
				if got := runThreads(t, data, keys, withKeys, 2, batch); got != want {
					t.Errorf("%s keys=%v batch=%d: --threads 2 differs from --threads 1: %s", name, withKeys, batch, firstLineDiff(got, want))
				}
			}
		}
	}
}

// runThreads runs the pipeline and renders every session as JSON, with the
// run's frame and flow counts.
func runThreads(t *testing.T, data, keyText []byte, withKeys bool, threads, batch int) string {
	t.Helper()
	src, err := capture.NewFile(bytes.NewReader(data), "threads", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Session: build.Options{AnyPort: true}, Threads: threads, BatchFrames: batch}
	if withKeys {
		if opts.Session.Keys, err = tlsdecrypt.ParseKeyLog(bytes.NewReader(keyText)); err != nil {
			t.Fatal(err)
		}
	}
	c := &collectAll{}
	st, err := Run(context.Background(), src, opts, c)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, s := range c.sessions {
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
	}
	st.Duration = 0
	if err := enc.Encode(st); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
