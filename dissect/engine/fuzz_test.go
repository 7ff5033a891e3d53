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

// FuzzEngine runs the whole pipeline on arbitrary capture bytes: it must
// never panic, and any error must be the reader's FormatError.
func FuzzEngine(f *testing.F) {
	for _, name := range pcaps.Names() {
		data, err := fs.ReadFile(pcaps.FS(), name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 16<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := capture.NewFile(bytes.NewReader(data), "fuzz", capture.Options{})
		if err != nil {
			return
		}
		d := &discard{}
		if _, err := Run(context.Background(), src, Options{Session: build.Options{AnyPort: true, Panic: true}}, d); err != nil {
			var fe *capture.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Run: unexpected error type %T: %v", err, err)
			}
		}
	})
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
