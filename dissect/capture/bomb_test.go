package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// gzBomb returns a gzipped pcap: a file header, then a record holding a
// packet every `every` bytes of zeros (0: none), zeros bytes in all. Zeros
// read as empty pcap records (caplen 0, len 0): the gzip bomb of issue 12,
// defect 7, at a size a test can make.
func gzBomb(t *testing.T, zeros, every int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535)
	binary.LittleEndian.PutUint32(hdr[20:], 1)
	zw.Write(hdr)
	rec := make([]byte, 16+60)
	binary.LittleEndian.PutUint32(rec[8:], 60)
	binary.LittleEndian.PutUint32(rec[12:], 60)
	chunk := make([]byte, 64<<10)
	for n := 0; n < zeros; n += len(chunk) {
		if every > 0 && n%every == 0 {
			zw.Write(rec)
		}
		zw.Write(chunk)
	}
	zw.Close()
	return b.Bytes()
}

func TestGzipBombStopsEarly(t *testing.T) {
	bomb := gzBomb(t, 8<<20, 0)
	f, err := NewFile(bytes.NewReader(bomb), "bomb.pcap.gz", Options{MaxEmptyRun: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for {
		_, err = f.Next()
		if err != nil {
			break
		}
		n++
	}
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("after %d frames: err %v, want a *FormatError", n, err)
	}
	if !strings.Contains(err.Error(), "no capture records after 1 MiB of decompressed data") ||
		!strings.Contains(err.Error(), "of gzip") {
		t.Errorf("err %q", err)
	}
	if fe.Offset > 1<<20+64 || f.Decompressed() > 1<<20+64 {
		t.Errorf("stopped at offset %d (decompressed %d), want just past 1 MiB", fe.Offset, f.Decompressed())
	}
	if n != (1<<20)/16 {
		t.Errorf("%d empty records returned before the stop, want %d", n, (1<<20)/16)
	}
}

// Records with packets keep the run short: a capture with real records
// between stretches of empty ones under the bound reads to its end.
func TestEmptyRunBetweenRecordsReadsToEnd(t *testing.T) {
	bomb := gzBomb(t, 4<<20, 512<<10)
	f, err := NewFile(bytes.NewReader(bomb), "sparse.pcap.gz", Options{MaxEmptyRun: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	real := 0
	for {
		fr, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if fr.OrigLen > 0 {
			real++
		}
	}
	if real != 8 {
		t.Errorf("%d records with packets, want 8", real)
	}
	// The same without gzip says "of data", not "decompressed".
	plain := make([]byte, 24+(2<<20))
	copy(plain, []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0})
	f, err = NewFile(bytes.NewReader(plain), "zeros.pcap", Options{MaxEmptyRun: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = f.Next()
	}
	if !strings.Contains(err.Error(), "no capture records after 1 MiB of data") || f.Decompressed() != 0 {
		t.Errorf("plain zeros: %v", err)
	}
}
