package pcapngw

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/smtpscope/smtpscope/dissect/capture"
)

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := New(&buf, Options{Interface: "lo", Filter: "tcp port 25"})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
	pkts := [][]byte{[]byte("abc"), bytes.Repeat([]byte{7}, 61), {}, bytes.Repeat([]byte{1}, 1500)}
	for i, p := range pkts {
		if err := w.WritePacket(t0.Add(time.Duration(i)*time.Millisecond), p, len(p)+i); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	// Our reader.
	f, err := capture.NewFile(bytes.NewReader(buf.Bytes()), "mem", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		fr, err := f.Next()
		if err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		if fr.Number != int64(i+1) || !bytes.Equal(fr.Data, p) || fr.OrigLen != len(p)+i ||
			!fr.Time.Equal(t0.Add(time.Duration(i)*time.Millisecond)) || fr.LinkType != layers.LinkTypeEthernet {
			t.Errorf("frame %d = %d %x %d %v %v", i+1, fr.Number, fr.Data, fr.OrigLen, fr.Time, fr.LinkType)
		}
	}
	if _, err := f.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after last frame: %v, want EOF", err)
	}
	// gopacket's reader sees the interface options.
	r, err := pcapgo.NewNgReader(bytes.NewReader(buf.Bytes()), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	intf, err := r.Interface(0)
	if err != nil {
		t.Fatal(err)
	}
	if intf.Name != "lo" || intf.Filter != "tcp port 25" || intf.SnapLength != 262144 {
		t.Errorf("interface = %+v", intf)
	}
	n := 0
	for {
		_, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		n++
	}
	if n != len(pkts) {
		t.Errorf("pcapgo read %d packets, want %d", n, len(pkts))
	}
}

// TestSnaplen: packets longer than the snaplen are cut, keeping OrigLen.
func TestSnaplen(t *testing.T) {
	var buf bytes.Buffer
	w, err := New(&buf, Options{Snaplen: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(time.Unix(1, 0), bytes.Repeat([]byte{9}, 30), 0); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	f, err := capture.NewFile(&buf, "mem", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fr, err := f.Next()
	if err != nil || len(fr.Data) != 10 || fr.OrigLen != 30 {
		t.Fatalf("frame = %+v, %v", fr, err)
	}
}

// TestFlushOnNew: the headers reach the file before any packet, so a
// capture interrupted at once is still a valid (empty) pcapng file.
func TestFlushOnNew(t *testing.T) {
	var buf bytes.Buffer
	if _, err := New(&buf, Options{Interface: "eth0"}); err != nil {
		t.Fatal(err)
	}
	f, err := capture.NewFile(&buf, "mem", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next = %v, want EOF", err)
	}
}
