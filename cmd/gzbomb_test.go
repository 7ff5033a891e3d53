package cmd

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// Issue 12, defect 7: a gzip bomb (a pcap header, then zeros: empty
// records) is stopped after 64 MiB of decompressed data with a plain
// message and exit 1; it used to be read to its end (10 GiB: minutes).
// The bomb is made here (96 MiB of zeros, ~100 KB gzipped), not committed.
func TestGzipBombReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.pcap.gz")
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535)
	binary.LittleEndian.PutUint32(hdr[20:], 1)
	zw.Write(hdr)
	zero := make([]byte, 1<<20)
	for i := 0; i < 96; i++ {
		zw.Write(zero)
	}
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	st := Main([]string{"report", path}, nil, &out, &errOut)
	if st != exitInput || !strings.Contains(errOut.String(), "no capture records after 64 MiB of decompressed data") {
		t.Errorf("exit %d, stderr %q; want 1 and the bomb said", st, errOut.String())
	}
}

// Decompression progress goes to stderr every 256 MiB of decompressed
// data, once per step however the batches fall.
func TestGzProgressLines(t *testing.T) {
	var w bytes.Buffer
	g := newGzProgress(&w, "x.pcap.gz")
	for _, d := range []int64{0, 100 << 20, 255 << 20, 256 << 20, 300 << 20, 900 << 20, 901 << 20} {
		g.see(&session.Progress{Decompressed: d, Bytes: d >> 10, Packets: d >> 4})
	}
	lines := strings.Split(strings.TrimSpace(w.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "x.pcap.gz: 256 MiB decompressed from 256 KiB of gzip, 16777216 packets so far") ||
		!strings.Contains(lines[1], "900 MiB decompressed") {
		t.Errorf("progress lines %q", lines)
	}
	var none bytes.Buffer
	newGzProgress(&none, "plain.pcap").see(&session.Progress{Bytes: 1 << 30})
	if none.Len() != 0 {
		t.Errorf("a capture that is not gzipped got %q", none.String())
	}
}
