package capture

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ser serializes layers with lengths fixed (checksums are not needed).
func ser(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(buf.Bytes())
}

// tcpSeg returns a TCP header (with options when opts) and payload.
func tcpSeg(t testing.TB, payload []byte, opts bool) []byte {
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 25, Seq: 1000, Ack: 7, PSH: true, ACK: true, Window: 512}
	if opts {
		tcp.Options = []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{5, 0xb4}},
			{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2}, {OptionType: layers.TCPOptionKindNop}, {OptionType: layers.TCPOptionKindNop},
			{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: make([]byte, 8)}}
	}
	return ser(t, tcp, gopacket.Payload(payload))
}

// ip4 wraps payload in an IPv4 header from 10.0.0.1 to 10.0.0.2.
func ip4(t testing.TB, proto layers.IPProtocol, id uint16, flags layers.IPv4Flag, frag uint16, payload []byte) []byte {
	return ser(t, &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, Id: id, Flags: flags, FragOffset: frag,
		SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}, gopacket.Payload(payload))
}

// ip6 wraps payload (extension headers included) in an IPv6 header.
func ip6(t testing.TB, next layers.IPProtocol, payload []byte) []byte {
	return ser(t, &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next,
		SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8::2")}, gopacket.Payload(payload))
}

// eth wraps payload in an Ethernet header of the given type.
func eth(t testing.TB, et layers.EthernetType, payload []byte, tags ...layers.EthernetType) []byte {
	ls := []gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1},
		DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: et}}
	for i, tag := range tags {
		ls = append(ls, &layers.Dot1Q{VLANIdentifier: uint16(10 + i), Type: tag})
	}
	return ser(t, append(ls, gopacket.Payload(payload))...)
}

// sll returns a Linux cooked (v1) header for protocol et and payload.
func sll(et layers.EthernetType, payload []byte) []byte {
	h := []byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}
	h = binary.BigEndian.AppendUint16(h, uint16(et))
	return append(h, payload...)
}

// sll2 returns a Linux cooked v2 header (as `tcpdump -i any` writes).
func sll2(et layers.EthernetType, payload []byte) []byte {
	h := binary.BigEndian.AppendUint16(nil, uint16(et))
	h = append(h, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0)
	return append(h, payload...)
}

// family returns a BSD loopback header in the given byte order.
func family(bo binary.ByteOrder, fam uint32, payload []byte) []byte {
	h := make([]byte, 4)
	bo.PutUint32(h, fam)
	return append(h, payload...)
}

func TestDecode(t *testing.T) {
	payload := []byte("EHLO client.example\r\n")
	seg := tcpSeg(t, payload, false)
	v4 := ip4(t, layers.IPProtocolTCP, 1, layers.IPv4DontFragment, 0, seg)
	v6 := ip6(t, layers.IPProtocolTCP, seg)
	// RFC 8200, Section 4: hop-by-hop, then destination options, then TCP.
	ext := append([]byte{60, 0, 1, 4, 0, 0, 0, 0}, append([]byte{6, 0, 1, 4, 0, 0, 0, 0}, seg...)...)
	v6ext := ip6(t, layers.IPProtocolIPv6HopByHop, ext)
	// An atomic fragment (offset 0, M clear) is a whole packet (RFC 8200, Section 4.5).
	v6atomic := ip6(t, layers.IPProtocolIPv6Fragment, append([]byte{6, 0, 0, 0, 0, 0, 0, 9}, seg...))
	// Ethernet padding after a short segment must not become payload.
	short := ip4(t, layers.IPProtocolTCP, 2, 0, 0, tcpSeg(t, []byte("hi"), false))
	padded := append(eth(t, layers.EthernetTypeIPv4, short), 0xee, 0xee, 0xee, 0xee)
	// Snap length cuts.
	long := bytes.Repeat([]byte("x"), 100)
	cut := eth(t, layers.EthernetTypeIPv4, ip4(t, layers.IPProtocolTCP, 3, 0, 0, tcpSeg(t, long, false)))[:14+20+20+30]
	hdrCut := eth(t, layers.EthernetTypeIPv4, ip4(t, layers.IPProtocolTCP, 4, 0, 0, tcpSeg(t, long, true)))[:14+20+24]
	v6cut := eth(t, layers.EthernetTypeIPv6, ip6(t, layers.IPProtocolTCP, tcpSeg(t, long, false)))[:14+40+20+10]
	for _, c := range []struct {
		name    string
		link    layers.LinkType
		data    []byte
		payload []byte
		v6      bool
		missing int
	}{
		{"ethernet", layers.LinkTypeEthernet, eth(t, layers.EthernetTypeIPv4, v4), payload, false, 0},
		{"ethernet ipv6", layers.LinkTypeEthernet, eth(t, layers.EthernetTypeIPv6, v6), payload, true, 0},
		{"ethernet padding", layers.LinkTypeEthernet, padded, []byte("hi"), false, 0},
		{"802.1Q", layers.LinkTypeEthernet, eth(t, layers.EthernetTypeDot1Q, v4, layers.EthernetTypeIPv4), payload, false, 0},
		{"802.1ad QinQ", layers.LinkTypeEthernet, eth(t, layers.EthernetTypeQinQ, v4, layers.EthernetTypeDot1Q, layers.EthernetTypeIPv4), payload, false, 0},
		{"QinQ 0x9100", layers.LinkTypeEthernet, eth(t, 0x9100, v6, layers.EthernetTypeDot1Q, layers.EthernetTypeIPv6), payload, true, 0},
		{"SLL", layers.LinkTypeLinuxSLL, sll(layers.EthernetTypeIPv4, v4), payload, false, 0},
		{"SLL2", layers.LinkTypeLinuxSLL2, sll2(layers.EthernetTypeIPv6, v6), payload, true, 0},
		{"SLL2 VLAN", layers.LinkTypeLinuxSLL2, sll2(layers.EthernetTypeDot1Q, ser(t, &layers.Dot1Q{Type: layers.EthernetTypeIPv4}, gopacket.Payload(v4))), payload, false, 0},
		{"NULL ipv4", layers.LinkTypeNull, family(binary.LittleEndian, 2, v4), payload, false, 0},
		{"NULL ipv6 BSD", layers.LinkTypeNull, family(binary.LittleEndian, 24, v6), payload, true, 0},
		{"NULL ipv6 FreeBSD big-endian", layers.LinkTypeNull, family(binary.BigEndian, 28, v6), payload, true, 0},
		{"LOOP ipv6 Darwin", layers.LinkTypeLoop, family(binary.BigEndian, 30, v6), payload, true, 0},
		{"raw ipv4", layers.LinkTypeRaw, v4, payload, false, 0},
		{"raw ipv6", layers.LinkTypeRaw, v6, payload, true, 0},
		{"DLT 12", 12, v4, payload, false, 0},
		{"DLT 14", 14, v6, payload, true, 0},
		{"LINKTYPE_IPV4", layers.LinkTypeIPv4, v4, payload, false, 0},
		{"LINKTYPE_IPV6", layers.LinkTypeIPv6, v6, payload, true, 0},
		{"ipv6 extension headers", layers.LinkTypeRaw, v6ext, payload, true, 0},
		{"ipv6 atomic fragment", layers.LinkTypeRaw, v6atomic, payload, true, 0},
		{"snap length cut", layers.LinkTypeEthernet, cut, long[:30], false, 70},
		{"snap length cut ipv6", layers.LinkTypeEthernet, v6cut, long[:10], true, 90},
		{"header cut", layers.LinkTypeEthernet, hdrCut, nil, false, 100},
	} {
		d := NewDecoder(DecoderOptions{})
		f := &Frame{Number: 1, LinkType: c.link, Data: c.data}
		s, ok := d.Decode(f)
		if !ok {
			t.Errorf("Decode(%s %x) = false, want a segment (stats %+v)", c.name, c.data, d.Stats())
			continue
		}
		src, dst := "10.0.0.1", "10.0.0.2"
		if c.v6 {
			src, dst = "2001:db8::1", "2001:db8::2"
		}
		if !bytes.Equal(s.TCP.Payload, c.payload) || s.IPv6 != c.v6 || s.Missing != c.missing || s.Frame != f ||
			s.TCP.SrcPort != 40000 || s.TCP.DstPort != 25 || s.TCP.Seq != 1000 ||
			s.Net.Src().String() != src || s.Net.Dst().String() != dst {
			t.Errorf("Decode(%s) = {%v %d>%d seq %d %q ipv6 %v missing %d}, want {%s>%s 40000>25 seq 1000 %q ipv6 %v missing %d}", c.name,
				s.Net, s.TCP.SrcPort, s.TCP.DstPort, s.TCP.Seq, s.TCP.Payload, s.IPv6, s.Missing, src, dst, c.payload, c.v6, c.missing)
		}
		st := d.Stats()
		if st.Frames != 1 || st.TCP != 1 || (st.Truncated != 0) != (c.missing != 0) {
			t.Errorf("Decode(%s): stats %+v", c.name, st)
		}
	}
}

func TestDecodeNotTCP(t *testing.T) {
	seg := tcpSeg(t, []byte("x"), false)
	udp := ip4(t, layers.IPProtocolUDP, 1, 0, 0, []byte{0, 53, 0, 53, 0, 9, 0, 0, 'q'})
	badIHL := ip4(t, layers.IPProtocolTCP, 1, 0, 0, seg)
	badIHL[0] = 0x43
	wrongVersion := ip4(t, layers.IPProtocolTCP, 1, 0, 0, seg)
	wrongVersion[0] = 0x55
	v6frag := ip6(t, layers.IPProtocolIPv6Fragment, append([]byte{6, 0, 0, 1, 0, 0, 0, 9}, seg...))
	for _, c := range []struct {
		name  string
		link  layers.LinkType
		data  []byte
		stats DecodeStats
	}{
		{"udp", layers.LinkTypeEthernet, eth(t, layers.EthernetTypeIPv4, udp), DecodeStats{Frames: 1, NonTCP: 1}},
		{"arp", layers.LinkTypeEthernet, eth(t, layers.EthernetTypeARP, make([]byte, 28)), DecodeStats{Frames: 1, NonTCP: 1}},
		{"ipv6 fragment", layers.LinkTypeRaw, v6frag, DecodeStats{Frames: 1, NonTCP: 1, IPv6Fragments: 1}},
		{"unknown link type", 147, ip4(t, layers.IPProtocolTCP, 1, 0, 0, seg), DecodeStats{Frames: 1, Undecodable: 1, LinkSkipped: 1, LinkType: 147}},
		{"raw garbage", layers.LinkTypeRaw, []byte{0x12, 0x34}, DecodeStats{Frames: 1, Undecodable: 1}},
		{"empty", layers.LinkTypeEthernet, nil, DecodeStats{Frames: 1, Undecodable: 1}},
		{"short ethernet", layers.LinkTypeEthernet, make([]byte, 10), DecodeStats{Frames: 1, Undecodable: 1}},
		{"bad IHL", layers.LinkTypeRaw, badIHL, DecodeStats{Frames: 1, Undecodable: 1}},
		{"wrong version", layers.LinkTypeEthernet, eth(t, layers.EthernetTypeIPv4, wrongVersion), DecodeStats{Frames: 1, Undecodable: 1}},
		{"tcp header missing", layers.LinkTypeRaw, ip4(t, layers.IPProtocolTCP, 1, 0, 0, seg)[:20+10], DecodeStats{Frames: 1, Undecodable: 1, Truncated: 1}},
		{"NULL unknown family", layers.LinkTypeNull, family(binary.LittleEndian, 7, seg), DecodeStats{Frames: 1, NonTCP: 1}},
	} {
		d := NewDecoder(DecoderOptions{})
		if s, ok := d.Decode(&Frame{LinkType: c.link, Data: c.data}); ok {
			t.Errorf("Decode(%s %x) = %+v, want no segment", c.name, c.data, s)
		}
		if got := d.Stats(); got != c.stats {
			t.Errorf("Decode(%s): stats %+v, want %+v", c.name, got, c.stats)
		}
	}
}

// TestDecodeTruncatedHeaderCorpus decodes zeek's truncated-header.pcap
// (snap length 68): every frame is TCP; the first one's header is cut.
func TestDecodeTruncatedHeaderCorpus(t *testing.T) {
	f, err := Open(corpusDir(t)+"/zeek__truncated-header.pcap", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := NewDecoder(DecoderOptions{})
	missing := 0
	for {
		fr, err := f.Next()
		if err != nil {
			break
		}
		s, ok := d.Decode(fr)
		if !ok {
			t.Fatalf("frame %d: not TCP", fr.Number)
		}
		if fr.Number == 1 && (!s.TCP.SYN || s.TCP.Payload != nil) {
			t.Errorf("frame 1 = SYN %v payload %q, want a SYN with its header cut", s.TCP.SYN, s.TCP.Payload)
		}
		missing += s.Missing + len(s.TCP.Payload)
	}
	// tshark: the sum of tcp.len over the file is 605.
	if st := d.Stats(); st.TCP != 24 || missing != 605 || st.Truncated != 12 {
		t.Errorf("stats %+v, payload+missing %d; want 24 TCP, 605 bytes, 12 truncated", st, missing)
	}
}

// TestDecodeNoAllocs checks that decoding a plain segment allocates nothing.
func TestDecodeNoAllocs(t *testing.T) {
	data := eth(t, layers.EthernetTypeDot1Q, ip4(t, layers.IPProtocolTCP, 1, 0, 0, tcpSeg(t, []byte("DATA\r\n"), true)), layers.EthernetTypeIPv4)
	d := NewDecoder(DecoderOptions{})
	f := &Frame{LinkType: layers.LinkTypeEthernet, Data: data, Time: time.Unix(1, 0)}
	if n := testing.AllocsPerRun(100, func() {
		if _, ok := d.Decode(f); !ok {
			t.Fatal("not decoded")
		}
	}); n != 0 {
		t.Errorf("Decode allocates %v times per frame, want 0", n)
	}
}
