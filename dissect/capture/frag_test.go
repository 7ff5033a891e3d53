package capture

import (
	"bytes"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// frag is one fragment: payload range [off, off+len(data)) of datagram id.
type frag struct {
	id   uint16
	off  int
	data []byte
	more bool
}

// split cuts a TCP segment into fragments at the given boundaries
// (multiples of 8, RFC 791, Section 3.2).
func split(id uint16, seg []byte, cuts ...int) []frag {
	var fs []frag
	prev := 0
	for _, c := range append(cuts, len(seg)) {
		fs = append(fs, frag{id: id, off: prev, data: seg[prev:c], more: c < len(seg)})
		prev = c
	}
	return fs
}

// frame returns the Ethernet frame of a fragment.
func (fr frag) frame(t testing.TB, proto layers.IPProtocol) []byte {
	var flags layers.IPv4Flag
	if fr.more {
		flags = layers.IPv4MoreFragments
	}
	return eth(t, layers.EthernetTypeIPv4, ip4(t, proto, fr.id, flags, uint16(fr.off/8), fr.data))
}

// feed decodes fragments one second apart and returns the segments
// produced, with the frame numbers that produced them.
func feed(t *testing.T, d *Decoder, fs []frag, step time.Duration) (payloads [][]byte, frames []int64) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, fr := range fs {
		f := &Frame{Number: int64(i + 1), Time: t0.Add(time.Duration(i) * step), LinkType: layers.LinkTypeEthernet, Data: fr.frame(t, layers.IPProtocolTCP)}
		if s, ok := d.Decode(f); ok {
			payloads = append(payloads, bytes.Clone(s.TCP.Payload))
			frames = append(frames, s.Frame.Number)
		}
	}
	return payloads, frames
}

func TestFragments(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 10)
	seg := tcpSeg(t, body, false) // 20 + 160 bytes
	in := split(1, seg, 24, 64, 128)
	reversed := []frag{in[3], in[2], in[1], in[0]}
	dup := append(append([]frag{}, in...), in[1]) // a duplicate after completion starts a new datagram
	for _, c := range []struct {
		name   string
		fs     []frag
		frames []int64
	}{
		{"in order", in, []int64{4}},
		{"reversed", reversed, []int64{4}},
		{"middle last", []frag{in[0], in[3], in[2], in[1]}, []int64{4}},
		{"duplicate after completion", dup, []int64{4}},
	} {
		d := NewDecoder(DecoderOptions{})
		got, frames := feed(t, d, c.fs, time.Second)
		if len(got) != 1 || !bytes.Equal(got[0], body) || frames[0] != c.frames[0] {
			t.Errorf("%s: segments %q in frames %v, want one with the body in frame %d", c.name, got, frames, c.frames[0])
		}
		st := d.Stats()
		if st.Reassembled != 1 || st.TCP != 1 || st.Fragments != int64(len(c.fs)-1) {
			t.Errorf("%s: stats %+v", c.name, st)
		}
	}
}

func TestFragmentsOverlap(t *testing.T) {
	body := bytes.Repeat([]byte("A"), 60)
	seg := tcpSeg(t, body, false) // 80 bytes
	other := bytes.Repeat([]byte("B"), 80)
	// The first fragment holds [0, 40); a later one claims [32, 80) with
	// different bytes: the first arrival wins on [32, 40).
	fs := []frag{
		{id: 9, off: 0, data: seg[:40], more: true},
		{id: 9, off: 32, data: append(bytes.Clone(other[32:40]), seg[40:]...)},
	}
	d := NewDecoder(DecoderOptions{})
	got, _ := feed(t, d, fs, time.Millisecond)
	if len(got) != 1 || !bytes.Equal(got[0], body) {
		t.Fatalf("overlap: segments %q, want the original body", got)
	}
	if st := d.Stats(); st.FragmentOverlaps != 1 {
		t.Errorf("overlap: stats %+v, want 1 overlap", st)
	}
	// Reversed: now the B bytes came first and win inside the TCP payload.
	d = NewDecoder(DecoderOptions{})
	got, _ = feed(t, d, []frag{fs[1], fs[0]}, time.Millisecond)
	want := append(bytes.Repeat([]byte("A"), 12), append(bytes.Repeat([]byte("B"), 8), bytes.Repeat([]byte("A"), 40)...)...)
	if len(got) != 1 || !bytes.Equal(got[0], want) {
		t.Fatalf("overlap reversed: segments %q, want %q", got, want)
	}
}

func TestFragmentsLimits(t *testing.T) {
	seg := tcpSeg(t, bytes.Repeat([]byte("z"), 60), false)
	a, b, c := split(1, seg, 40), split(2, seg, 40), split(3, seg, 40)
	// Three datagrams pending with room for two: the oldest is dropped.
	d := NewDecoder(DecoderOptions{MaxFragments: 2})
	got, frames := feed(t, d, []frag{a[0], b[0], c[0], b[1], c[1], a[1]}, time.Millisecond)
	if len(got) != 2 || frames[0] != 4 || frames[1] != 5 {
		t.Errorf("limit: segments in frames %v, want 4 and 5", frames)
	}
	if st := d.Stats(); st.FragmentLimitHits != 1 || st.Reassembled != 2 || st.Fragments != 4 {
		t.Errorf("limit: stats %+v, want 1 limit hit, 2 reassembled, 4 fragments held", st)
	}
	// Byte limit: the second datagram does not fit beside the first.
	d = NewDecoder(DecoderOptions{MaxFragmentBytes: 50})
	feed(t, d, []frag{a[0], b[0]}, time.Millisecond)
	if st := d.Stats(); st.FragmentLimitHits != 1 {
		t.Errorf("byte limit: stats %+v, want 1 limit hit", st)
	}
	// Timeout by capture time.
	d = NewDecoder(DecoderOptions{FragmentTimeout: 10 * time.Second})
	got, _ = feed(t, d, []frag{a[0], a[1]}, 11*time.Second)
	if st := d.Stats(); len(got) != 0 || st.FragmentTimeouts != 1 || len(d.frags.pending) != 1 {
		t.Errorf("timeout: %d segments, stats %+v, %d pending; want none, 1 timeout, 1 pending", len(got), st, len(d.frags.pending))
	}
	// Fragments of something else than TCP are not held.
	d = NewDecoder(DecoderOptions{})
	if _, ok := d.Decode(&Frame{LinkType: layers.LinkTypeEthernet, Data: a[0].frame(t, layers.IPProtocolUDP)}); ok || d.Stats().NonTCP != 1 || len(d.frags.pending) != 0 {
		t.Errorf("udp fragment: stats %+v, %d pending", d.Stats(), len(d.frags.pending))
	}
	// A fragment past 65535 bytes (RFC 791, Section 3.1) is dropped.
	d = NewDecoder(DecoderOptions{})
	big := frag{id: 4, off: 8191 * 8, data: make([]byte, 64)}
	if _, ok := d.Decode(&Frame{LinkType: layers.LinkTypeEthernet, Data: big.frame(t, layers.IPProtocolTCP)}); ok || len(d.frags.pending) != 0 {
		t.Errorf("oversized fragment kept: stats %+v", d.Stats())
	}
}

func TestFragmentsPiecesLimit(t *testing.T) {
	// 8-byte fragments with gaps between them never complete; the pieces
	// limit drops the datagram instead of growing without bound.
	d := NewDecoder(DecoderOptions{})
	var fs []frag
	for i := range maxPieces + 1 {
		fs = append(fs, frag{id: 5, off: 16 * i, data: make([]byte, 8), more: true})
	}
	feed(t, d, fs, time.Millisecond)
	if st := d.Stats(); st.FragmentLimitHits != 1 || len(d.frags.pending) != 0 {
		t.Errorf("pieces: stats %+v, %d pending", st, len(d.frags.pending))
	}
}

func TestFragmentsSnapLength(t *testing.T) {
	body := bytes.Repeat([]byte("s"), 100)
	seg := tcpSeg(t, body, false) // 120 bytes
	fs := split(6, seg, 64)
	d := NewDecoder(DecoderOptions{})
	f1 := &Frame{Number: 1, LinkType: layers.LinkTypeEthernet, Data: fs[0].frame(t, layers.IPProtocolTCP)}
	d.Decode(f1)
	// The last fragment is cut after 20 of its 56 bytes.
	data := fs[1].frame(t, layers.IPProtocolTCP)
	s, ok := d.Decode(&Frame{Number: 2, LinkType: layers.LinkTypeEthernet, Data: data[:14+20+20]})
	if !ok || !bytes.Equal(s.TCP.Payload, body[:64]) || s.Missing != 36 {
		t.Fatalf("cut fragment: ok %v, %d bytes, missing %d; want 64 bytes and 36 missing", ok, len(s.TCP.Payload), s.Missing)
	}
}
