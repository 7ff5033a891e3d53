package engine

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
)

// discard is a Target that drops sessions, as a report that writes nothing.
type discard struct {
	Nop
	sessions, commands int
}

func (d *discard) Finished(s *session.Session) {
	d.sessions++
	d.commands += len(s.Commands)
}

// BenchmarkPipeline runs the whole pipeline (read, decode, reassemble,
// dissect, build sessions) on an in-memory capture: by default every
// sample in pcaps/ replayed with new client ports until it is about 32 MB;
// SMTPSCOPE_BENCH_PCAP names a real file instead (e.g. shared/bench's
// bench-small.pcap), and SMTPSCOPE_BENCH_KEYLOG its key log to measure with
// decryption.
func BenchmarkPipeline(b *testing.B) {
	data := benchCapture(b)
	var keyText []byte
	if p := os.Getenv("SMTPSCOPE_BENCH_KEYLOG"); p != "" {
		var err error
		if keyText, err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := capture.NewFile(bytes.NewReader(data), "bench", capture.Options{})
		if err != nil {
			b.Fatal(err)
		}
		d := &discard{}
		opts := Options{Session: build.Options{AnyPort: true}}
		if keyText != nil {
			keys, err := tlsdecrypt.ParseKeyLog(bytes.NewReader(keyText))
			if err != nil {
				b.Fatal(err)
			}
			opts.Session.Keys = keys
		}
		if _, err := Run(context.Background(), f, opts, d); err != nil {
			b.Fatal(err)
		}
		if d.sessions == 0 {
			b.Fatal("no session")
		}
	}
}

func benchCapture(b *testing.B) []byte {
	if p := os.Getenv("SMTPSCOPE_BENCH_PCAP"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	var buf bytes.Buffer
	if err := replaySamples(&buf, 32<<20); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

var _ = io.EOF
