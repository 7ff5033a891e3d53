package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads every frame, copying the data, and returns the final error.
func readAll(r Reader) ([]wantFrame, error) {
	var got []wantFrame
	for {
		fr, err := r.Next()
		if err != nil {
			return got, err
		}
		got = append(got, wantFrame{Number: fr.Number, Time: fr.Time, LinkType: fr.LinkType,
			Data: bytes.Clone(fr.Data), OrigLen: fr.OrigLen, Offset: fr.Offset, Interface: fr.Interface})
	}
}

// sameFrames compares frames field by field.
func sameFrames(t *testing.T, name string, got, want []wantFrame) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d frames, want %d", name, len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Number != w.Number || !g.Time.Equal(w.Time) || g.LinkType != w.LinkType || !bytes.Equal(g.Data, w.Data) ||
			g.OrigLen != w.OrigLen || g.Offset != w.Offset || g.Interface != w.Interface {
			t.Errorf("%s: frame %d = {%d %v %v %q orig %d off %d if %d}, want {%d %v %v %q orig %d off %d if %d}", name, i,
				g.Number, g.Time, g.LinkType, g.Data, g.OrigLen, g.Offset, g.Interface,
				w.Number, w.Time, w.LinkType, w.Data, w.OrigLen, w.Offset, w.Interface)
		}
	}
}

// readers returns the ways a capture is fed to NewFile: whole, one byte
// at a time, half reads, and gzip-compressed (whole and byte by byte).
func readers(t *testing.T, b []byte) map[string]func() io.Reader {
	z := gz(t, b)
	return map[string]func() io.Reader{
		"whole":       func() io.Reader { return bytes.NewReader(b) },
		"1-byte":      func() io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
		"half":        func() io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
		"gzip":        func() io.Reader { return bytes.NewReader(z) },
		"gzip 1-byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(z)) },
	}
}

// checkCapture reads a written capture every way and compares.
func checkCapture(t *testing.T, w *capWriter) *File {
	t.Helper()
	var last *File
	for name, mk := range readers(t, w.b) {
		f, err := NewFile(mk(), "test", Options{})
		if err != nil {
			t.Fatalf("%s: NewFile: %v", name, err)
		}
		got, err := readAll(f)
		if err != io.EOF {
			t.Fatalf("%s: final error %v, want io.EOF", name, err)
		}
		sameFrames(t, name, got, w.frames)
		if _, err := f.Next(); err != io.EOF {
			t.Errorf("%s: Next after EOF = %v, want io.EOF again", name, err)
		}
		if !strings.HasPrefix(name, "gzip") && f.BytesRead() != int64(len(w.b)) {
			t.Errorf("%s: BytesRead() = %d, want %d", name, f.BytesRead(), len(w.b))
		}
		last = f
	}
	return last
}

func TestPcap(t *testing.T) {
	for _, big := range []bool{false, true} {
		for _, nanos := range []bool{false, true} {
			t.Run(map[bool]string{false: "le", true: "be"}[big]+map[bool]string{false: "-us", true: "-ns"}[nanos], func(t *testing.T) {
				checkCapture(t, testPcap(big, nanos))
			})
		}
	}
}

func TestPcapModified(t *testing.T) {
	// Kuznetzov's modified format: 8 more bytes per record header.
	w := newPcap(false, 0xa1b2cd34, 113)
	w.u32(1000)
	w.u32(5)
	w.u32(3)
	w.u32(3)
	w.b = append(w.b, 1, 2, 3, 4, 5, 6, 7, 8, 'a', 'b', 'c')
	f, err := NewFile(bytes.NewReader(w.b), "mod", Options{})
	if err != nil {
		t.Fatal(err)
	}
	fr, err := f.Next()
	if err != nil || string(fr.Data) != "abc" || fr.Time.UnixMicro() != 1000_000005 || fr.LinkType != 113 {
		t.Fatalf("Next() = %+v, %v; want abc at 1000.000005 on link 113", fr, err)
	}
}

func TestPcapng(t *testing.T) {
	w := testPcapng()
	f := checkCapture(t, w)
	want := []string{"CLIENT_RANDOM 00 11\n", "CLIENT_RANDOM 22 33\n"}
	got := f.Secrets()
	if len(got) != len(want) {
		t.Fatalf("Secrets() = %q, want %q", got, want)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("Secrets()[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	w := testPcapng()
	for _, c := range []struct {
		name string
		data []byte
	}{{"a.pcapng", w.b}, {"a.pcapng.gz", gz(t, w.b)}} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("Open(%q): %v", path, err)
		}
		if f.Size() != int64(len(c.data)) {
			t.Errorf("Open(%q).Size() = %d, want %d", path, f.Size(), len(c.data))
		}
		got, err := readAll(f)
		if err != io.EOF {
			t.Fatalf("Open(%q): final error %v", path, err)
		}
		sameFrames(t, c.name, got, w.frames)
		if f.BytesRead() != f.Size() {
			t.Errorf("Open(%q).BytesRead() = %d at EOF, want Size() = %d", path, f.BytesRead(), f.Size())
		}
		if err := f.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
		if _, err := f.Next(); err == nil {
			t.Errorf("Next after Close succeeded")
		}
	}
	missing := filepath.Join(dir, "missing.pcap")
	if _, err := Open(missing, Options{}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open(%q) = %v, want an error naming the file", missing, err)
	}
	bad := filepath.Join(dir, "bad.pcap")
	os.WriteFile(bad, []byte("not a capture at all"), 0o600)
	if _, err := Open(bad, Options{}); err == nil || !strings.HasPrefix(err.Error(), "capture: "+bad+": offset 0: unknown file format") {
		t.Errorf("Open(%q) = %v, want unknown file format naming the file", bad, err)
	}
}

func TestOpenStdin(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = saved; r.Close() })
	c := testPcap(false, false)
	go func() { w.Write(gz(t, c.b)); w.Close() }()
	f, err := Open("-", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(f)
	if err != io.EOF {
		t.Fatalf("stdin: final error %v", err)
	}
	sameFrames(t, "stdin", got, c.frames)
	if f.Size() != 0 {
		t.Errorf("stdin Size() = %d, want 0", f.Size())
	}
	f.Close()
}

func TestHeaderErrors(t *testing.T) {
	pcapV3 := newPcap(false, 0xa1b2c3d4, 1).b
	pcapV3[4] = 3
	ng := testPcapng().b
	badBOM := bytes.Clone(ng)
	copy(badBOM[8:], "ABCD")
	ngV2 := bytes.Clone(ng)
	ngV2[12] = 2
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "capture: x: offset 0: empty file"},
		{"short", []byte{0xd4, 0xc3}, "capture: x: offset 0: truncated file header"},
		{"short pcap", []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0}, "capture: x: offset 0: truncated file header"},
		{"unknown", []byte("GIF89a.."), `capture: x: offset 0: unknown file format (magic "GIF8")`},
		{"pcap v3", pcapV3, "capture: x: offset 0: unsupported pcap version 3.4"},
		{"bad BOM", badBOM, `capture: x: offset 0: bad byte-order magic "ABCD"`},
		{"pcapng v2", ngV2, "capture: x: offset 0: unsupported pcapng version 2.0"},
		{"short SHB", ng[:20], "capture: x: offset 0: truncated block"},
		{"bad gzip", []byte{0x1f, 0x8b, 0, 0}, "capture: x: offset 0: bad gzip header"},
	} {
		_, err := NewFile(bytes.NewReader(c.in), "x", Options{})
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("NewFile(%s %q) = %v, want *FormatError %q", c.name, c.in, err, c.want)
		}
	}
}

func TestIOError(t *testing.T) {
	w := testPcap(false, false)
	boom := errors.New("boom")
	r := io.MultiReader(bytes.NewReader(w.b[:100]), iotest.ErrReader(boom))
	f, err := NewFile(r, "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(f)
	if !errors.Is(err, boom) || len(got) != 1 {
		t.Fatalf("read with I/O error: %d frames, %v; want 1 frame then an error wrapping boom", len(got), err)
	}
	if _, err2 := f.Next(); err2 != err {
		t.Errorf("Next after error = %v, want the same error %v", err2, err)
	}
}
