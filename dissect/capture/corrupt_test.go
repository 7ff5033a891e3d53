package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestTruncatedEverywhere cuts valid captures at every offset: every frame
// before the cut is returned, then io.EOF (cut at a boundary) or a
// *FormatError at the offset of the damaged record or block.
func TestTruncatedEverywhere(t *testing.T) {
	for name, w := range map[string]*capWriter{"pcap": testPcap(true, true), "pcapng": testPcapng()} {
		hdrEnd := pcapFileHeaderLen
		if name == "pcapng" {
			hdrEnd = w.blocks[0].end
		}
		for cut := 0; cut < len(w.b); cut++ {
			f, err := NewFile(bytes.NewReader(w.b[:cut]), "cut", Options{})
			if cut < hdrEnd {
				var fe *FormatError
				if !errors.As(err, &fe) || fe.Offset != 0 {
					t.Fatalf("%s cut at %d: NewFile = %v, want *FormatError at offset 0", name, cut, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s cut at %d: NewFile: %v", name, cut, err)
			}
			got, err := readAll(f)
			var want []wantFrame
			for _, fr := range w.frames {
				if end := blockEnd(w, fr.Offset); end <= cut {
					want = append(want, fr)
				}
			}
			sameFrames(t, name, got, want)
			wantOff := int64(-1) // -1: io.EOF
			for _, b := range w.blocks {
				if b.off < cut && cut < b.end {
					wantOff = int64(b.off)
				}
			}
			var fe *FormatError
			switch {
			case wantOff < 0 && err != io.EOF:
				t.Fatalf("%s cut at %d (a boundary): error %v, want io.EOF", name, cut, err)
			case wantOff >= 0 && (!errors.As(err, &fe) || fe.Offset != wantOff || !strings.Contains(fe.Msg, "truncated")):
				t.Fatalf("%s cut at %d: error %v, want truncated at offset %d", name, cut, err, wantOff)
			}
		}
	}
}

// blockEnd returns the end of the block starting at off.
func blockEnd(w *capWriter, off int64) int {
	for _, b := range w.blocks {
		if int64(b.off) == off {
			return b.end
		}
	}
	panic("no block")
}

// allocated returns the bytes allocated by fn.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHugeRecord(t *testing.T) {
	// A 40-byte pcap whose only record claims 4 GiB.
	w := newPcap(false, 0xa1b2c3d4, layers.LinkTypeEthernet)
	w.u32(1)
	w.u32(2)
	w.u32(0xffffffff)
	w.u32(0xffffffff)
	if len(w.b) != 40 {
		t.Fatalf("test file is %d bytes", len(w.b))
	}
	var err error
	n := allocated(func() {
		for range 10 {
			f, ferr := NewFile(bytes.NewReader(w.b), "huge", Options{})
			if ferr != nil {
				t.Fatal(ferr)
			}
			_, err = f.Next()
		}
	})
	want := "capture: huge: offset 24: record claims 4294967295 bytes, limit 262144"
	if err == nil || err.Error() != want {
		t.Fatalf("Next() = %v, want %q", err, want)
	}
	// Each NewFile allocates its 1 MiB read buffer and 64 KiB sniff
	// buffer; nothing may depend on the 4 GiB claim.
	if per := n / 10; per > 2<<20 {
		t.Errorf("open and Next allocated %d bytes each, want < 2 MiB", per)
	}
}

// minimalNG returns a pcapng with a section and an Ethernet interface.
func minimalNG() *capWriter {
	w := &capWriter{}
	w.shb(false)
	w.idb(layers.LinkTypeEthernet, 0, -1, 0)
	return w
}

// rawBlock appends a block with the given header length, body and
// trailer length, all unchecked.
func rawBlock(b []byte, typ, length uint32, body []byte, trailer uint32) []byte {
	b = binary.LittleEndian.AppendUint32(b, typ)
	b = binary.LittleEndian.AppendUint32(b, length)
	b = append(b, body...)
	return binary.LittleEndian.AppendUint32(b, trailer)
}

// epbBody returns an EPB body: interface, zero time, lengths, data.
func epbBody(iface, caplen uint32, data []byte) []byte {
	var b []byte
	for _, v := range []uint32{iface, 0, 0, caplen, caplen} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return append(b, data...)
}

func TestPcapngLies(t *testing.T) {
	good := epbBody(0, 4, []byte("abcd"))
	for _, c := range []struct {
		name string
		add  func([]byte) []byte
		want string
		big  bool // the damaged block is big: check allocation
	}{
		{"length not multiple of 4", func(b []byte) []byte { return rawBlock(b, blockEPB, 13, good, 13) }, "block length 13 invalid", false},
		{"length below 12", func(b []byte) []byte { return rawBlock(b, blockEPB, 8, good, 8) }, "block length 8 invalid", false},
		{"trailer differs", func(b []byte) []byte { return rawBlock(b, blockEPB, 36, good, 40) }, "block trailer length 40, header says 36", false},
		{"packet block claims 4 GiB", func(b []byte) []byte { return rawBlock(b, blockEPB, 0xfffffff0, good, 36) }, "block claims 4294967280 bytes, limit 1048576", true},
		{"record claims 4 GiB", func(b []byte) []byte { return rawBlock(b, blockEPB, 36, epbBody(0, 0xffffffff, []byte("abcd")), 36) }, "record claims 4294967295 bytes, limit 262144", false},
		{"captured length overruns", func(b []byte) []byte { return rawBlock(b, blockEPB, 36, epbBody(0, 8, []byte("abcd")), 36) }, "captured length 8 overruns block of 36 bytes", false},
		{"undefined interface", func(b []byte) []byte { return rawBlock(b, blockEPB, 36, epbBody(5, 4, []byte("abcd")), 36) }, "packet for undefined interface 5", false},
		{"unknown block claims 4 GiB", func(b []byte) []byte { return rawBlock(b, 0x7777, 0xfffffff0, good, 36) }, "truncated block", true},
		{"secrets claim 2 GiB", func(b []byte) []byte { return rawBlock(b, blockDSB, 0x7ffffff0, good, 36) }, "decryption secrets block claims 2147483632 bytes, limit 16777216", true},
		{"secrets overrun", func(b []byte) []byte {
			return rawBlock(b, blockDSB, 20, []byte{0x4b, 0x53, 0x4c, 0x54, 0xff, 0, 0, 0}, 20)
		}, "secrets length 255 overruns block of 20 bytes", false},
		{"tsresol too fine", func(b []byte) []byte {
			body := []byte{1, 0, 0, 0, 0, 0, 0, 0, optTSResol, 0, 1, 0, 30, 0, 0, 0}
			return rawBlock(b, blockIDB, 28, body, 28)
		}, "if_tsresol 10^-30 unsupported", false},
		{"option overruns", func(b []byte) []byte {
			body := []byte{1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 200, 0, 'e', 't', 'h', '0'}
			return rawBlock(b, blockIDB, 28, body, 28)
		}, "interface option 2 of 200 bytes overruns block", false},
	} {
		w := minimalNG()
		w.epb(blockEPB, 0, 0, w0(), []byte("first"), 5)
		off := int64(len(w.b))
		in := c.add(bytes.Clone(w.b))
		var got []wantFrame
		var err error
		n := allocated(func() {
			f, ferr := NewFile(bytes.NewReader(in), "lie", Options{})
			if ferr != nil {
				t.Fatalf("%s: NewFile: %v", c.name, ferr)
			}
			got, err = readAll(f)
		})
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Offset != off || !strings.Contains(fe.Msg, c.want) {
			t.Errorf("%s: error %v, want %q at offset %d", c.name, err, c.want, off)
		}
		if len(got) != 1 || string(got[0].Data) != "first" {
			t.Errorf("%s: got %d frames before the error, want the 1 good one", c.name, len(got))
		}
		if c.big && n > 2<<20 {
			t.Errorf("%s: allocated %d bytes, want < 2 MiB", c.name, n)
		}
	}
}
