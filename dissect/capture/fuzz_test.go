package capture

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"testing"
	"testing/iotest"

	"github.com/gopacket/gopacket/layers"
)

// fuzzMaxRecord keeps fuzzed records small.
const fuzzMaxRecord = 1 << 12

// summary reads a capture and describes everything it returned; it fails
// t on a broken invariant.
func summary(t *testing.T, r io.Reader) string {
	var sb bytes.Buffer
	f, err := NewFile(r, "fuzz", Options{MaxRecord: fuzzMaxRecord})
	if err != nil {
		return "open: " + err.Error()
	}
	for range 10000 {
		fr, err := f.Next()
		if err != nil {
			if _, again := f.Next(); again != err {
				t.Fatalf("Next after %v returned %v", err, again)
			}
			fmt.Fprintf(&sb, "end: %v", err)
			return sb.String()
		}
		if len(fr.Data) > fuzzMaxRecord {
			t.Fatalf("frame %d has %d bytes, limit %d", fr.Number, len(fr.Data), fuzzMaxRecord)
		}
		fmt.Fprintf(&sb, "%d %d %d %d %x %d %d\n", fr.Number, fr.Time.UnixNano(), fr.LinkType, fr.Offset,
			crc32.ChecksumIEEE(fr.Data), fr.OrigLen, fr.Interface)
	}
	return sb.String()
}

// FuzzFile reads arbitrary bytes as a capture: no panic, bounded records,
// sticky errors, and the same result whether read whole or byte by byte.
func FuzzFile(f *testing.F) {
	for _, w := range []*capWriter{testPcap(false, false), testPcap(true, true), testPcapng(), minimalNG()} {
		f.Add(w.b)
		f.Add(gz(f, w.b))
		f.Add(w.b[:len(w.b)-3])
	}
	huge := newPcap(false, 0xa1b2c3d4, 1)
	huge.u32(0)
	huge.u32(0)
	huge.u32(0xffffffff)
	huge.u32(0)
	f.Add(huge.b)
	f.Add(rawBlock(bytes.Clone(minimalNG().b), blockDSB, 28, epbBody(0, 0, nil)[:16], 28))
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := summary(t, bytes.NewReader(data))
		split := summary(t, iotest.OneByteReader(bytes.NewReader(data)))
		if whole != split {
			t.Fatalf("read whole:\n%s\nread byte by byte:\n%s", whole, split)
		}
	})
}

// FuzzDecode decodes arbitrary bytes as a frame of any link type, twice
// (so that a fragment may meet itself): no panic, consistent counts.
func FuzzDecode(f *testing.F) {
	seg := tcpSeg(f, []byte("MAIL FROM:<a@b>\r\n"), true)
	v4 := ip4(f, layers.IPProtocolTCP, 1, 0, 0, seg)
	v6 := ip6(f, layers.IPProtocolIPv6HopByHop, append([]byte{6, 0, 1, 4, 0, 0, 0, 0}, seg...))
	frag := ip4(f, layers.IPProtocolTCP, 1, layers.IPv4MoreFragments, 0, seg[:16])
	for _, c := range []struct {
		link layers.LinkType
		data []byte
	}{
		{layers.LinkTypeEthernet, eth(f, layers.EthernetTypeIPv4, v4)},
		{layers.LinkTypeEthernet, eth(f, layers.EthernetTypeQinQ, v6, layers.EthernetTypeDot1Q, layers.EthernetTypeIPv6)},
		{layers.LinkTypeEthernet, eth(f, 0x9100, v4, layers.EthernetTypeIPv4)},
		{layers.LinkTypeLinuxSLL, sll(layers.EthernetTypeIPv4, v4)},
		{layers.LinkTypeLinuxSLL2, sll2(layers.EthernetTypeIPv6, v6)},
		{layers.LinkTypeNull, append([]byte{2, 0, 0, 0}, v4...)},
		{layers.LinkTypeLoop, append([]byte{0, 0, 0, 30}, v6...)},
		{layers.LinkTypeRaw, v4},
		{layers.LinkTypeRaw, frag},
		{layers.LinkTypeIPv6, v6[:50]},
	} {
		f.Add(uint16(c.link), c.data)
	}
	f.Fuzz(func(t *testing.T, link uint16, data []byte) {
		d := NewDecoder(DecoderOptions{MaxFragments: 2, MaxFragmentBytes: 1 << 12})
		for i := range 2 {
			fr := &Frame{Number: int64(i + 1), LinkType: layers.LinkType(link), Data: data}
			if s, ok := d.Decode(fr); ok && (s.TCP == nil || s.Missing < 0 || s.Frame != fr) {
				t.Fatalf("Decode = %+v", s)
			}
		}
		st := d.Stats()
		if st.Frames != 2 || st.TCP+st.NonTCP+st.Undecodable+st.Fragments != st.Frames {
			t.Fatalf("stats %+v do not add up", st)
		}
	})
}
