package engine

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/pcaps"
)

// Fuzz inputs are kept small so that every exec does real work quickly
// (issue 12, deliver 2: this target used to run ~25 inputs in 90 s, its
// time going to 16 KiB seeds, their minimization and a 1 MiB read buffer
// per input): seeds are the samples' first fuzzSeedBytes, inputs past
// fuzzMaxInput are skipped.
const (
	fuzzSeedBytes = 4 << 10
	fuzzMaxInput  = 64 << 10
)

// fuzzCaptureOptions read a fuzz input with small buffers (no per-input
// setup worth the name).
var fuzzCaptureOptions = capture.Options{MaxRecord: 16 << 10, ReadBuffer: 4 << 10, MaxEmptyRun: 1 << 20}

// FuzzEngine runs the whole pipeline on arbitrary capture bytes: it must
// never panic (the recover boundary is off: build.Options.Panic), and any
// error must be the reader's FormatError.
func FuzzEngine(f *testing.F) {
	for _, name := range pcaps.Names() {
		data, err := fs.ReadFile(pcaps.FS(), name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), fuzzSeedBytes)])
	}
	opts := Options{Threads: 1, Session: build.Options{AnyPort: true, Panic: true}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			return
		}
		src, err := capture.NewFile(bytes.NewReader(data), "fuzz", fuzzCaptureOptions)
		if err != nil {
			return
		}
		d := &discard{}
		if _, err := Run(context.Background(), src, opts, d); err != nil {
			var fe *capture.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Run: unexpected error type %T: %v", err, err)
			}
		}
	})
}

// BenchmarkFuzzEngineInput is the cost of one FuzzEngine exec on a seed.
func BenchmarkFuzzEngineInput(b *testing.B) {
	data, err := fs.ReadFile(pcaps.FS(), "plain25.pcap")
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Threads: 1, Session: build.Options{AnyPort: true, Panic: true}}
	b.ReportAllocs()
	for b.Loop() {
		src, _ := capture.NewFile(bytes.NewReader(data), "fuzz", fuzzCaptureOptions)
		Run(context.Background(), src, opts, &discard{})
	}
}

// TestTruncatedCaptureKeepsWhatCameBefore cuts a sample in the middle of a
// record: the sessions before the cut are still built and the error names
// the offset.
func TestTruncatedCaptureKeepsWhatCameBefore(t *testing.T) {
	data, err := fs.ReadFile(pcaps.FS(), "plain25.pcap")
	if err != nil {
		t.Fatal(err)
	}
	cut := data[:len(data)*2/3]
	src, err := capture.NewFile(bytes.NewReader(cut), "cut.pcap", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := &discard{}
	_, err = Run(context.Background(), src, Options{}, d)
	var fe *capture.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("Run on a cut file: error %v, want a *capture.FormatError", err)
	}
	if fe.File != "cut.pcap" || fe.Offset <= 0 || fe.Offset >= int64(len(cut)) {
		t.Errorf("FormatError %+v: want the file name and an offset inside the file", fe)
	}
	if d.sessions != 1 || d.commands < 3 {
		t.Errorf("sessions=%d commands=%d before the cut, want 1 session with its first commands", d.sessions, d.commands)
	}
	if !d.Progress.Done || len(d.Progress.Errors) != 1 {
		t.Errorf("progress Done=%v Errors=%q: the error must be shown", d.Progress.Done, d.Progress.Errors)
	}
}
