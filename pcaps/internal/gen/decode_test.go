package main

import (
	"bytes"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// captured is one decoded frame of a generated pcap.
type captured struct {
	n        int // 1-based frame number
	t        time.Time
	data     []byte
	flow     string // "src>dst" of the TCP connection, by IP:port
	conn     string // the connection, direction-independent
	tcp      *layers.TCP
	payload  []byte
	mssOpt   bool
	fromPort uint16
}

// readCapture decodes every frame of a pcap written by writePcap, checking
// the file header, lengths and checksums on the way.
func readCapture(t *testing.T, path string) []captured {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if r.LinkType() != layers.LinkTypeEthernet || r.Snaplen() != snapLen {
		t.Errorf("%s: link type %v snaplen %d, want Ethernet %d", path, r.LinkType(), r.Snaplen(), snapLen)
	}
	var out []captured
	for n := 1; ; n++ {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if ci.CaptureLength != len(data) || ci.Length != len(data) {
			t.Errorf("%s frame %d: caplen %d len %d, data %d", path, n, ci.CaptureLength, ci.Length, len(data))
		}
		pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		tcp, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok || pkt.ErrorLayer() != nil {
			t.Fatalf("%s frame %d: not a clean TCP packet: %v", path, n, pkt.ErrorLayer())
		}
		c := captured{n: n, t: ci.Timestamp, data: data, tcp: tcp, payload: tcp.Payload, fromPort: uint16(tcp.SrcPort)}
		var ip gopacket.SerializableLayer
		var src, dst string
		switch l := pkt.NetworkLayer().(type) {
		case *layers.IPv4:
			ip, src, dst = l, l.SrcIP.String(), l.DstIP.String()
			tcp.SetNetworkLayerForChecksum(l)
		case *layers.IPv6:
			ip, src, dst = l, "["+l.SrcIP.String()+"]", "["+l.DstIP.String()+"]"
			tcp.SetNetworkLayerForChecksum(l)
		}
		srcEnd, dstEnd := src+":"+tcp.SrcPort.String(), dst+":"+tcp.DstPort.String()
		c.flow = srcEnd + ">" + dstEnd
		ends := []string{srcEnd, dstEnd}
		slices.Sort(ends)
		c.conn = ends[0] + "-" + ends[1]
		for _, o := range tcp.Options {
			c.mssOpt = c.mssOpt || o.OptionType == layers.TCPOptionKindMSS
		}
		// Re-serialising with fresh checksums must give the same bytes.
		eth := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		if err := gopacket.SerializeLayers(buf, opts, eth, ip, tcp, gopacket.Payload(tcp.Payload)); err != nil {
			t.Fatalf("%s frame %d: reserialize: %v", path, n, err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("%s frame %d: lengths or checksums differ from a fresh serialisation", path, n)
		}
		out = append(out, c)
	}
	return out
}

// stream is one direction of a connection rebuilt from captured segments.
type stream struct {
	isn      uint32
	data     []byte // bytes in sequence order; holes are left out
	holes    int    // ranges of bytes never captured
	missing  int    // bytes in those ranges
	reorders int    // segments whose sequence number is below one seen before
	retrans  int    // segments whose bytes were all seen before
	fin      bool
}

// reassemble rebuilds both directions of every connection, keyed by flow.
func reassemble(frames []captured) map[string]*stream {
	type seg struct {
		rel  uint32
		data []byte
	}
	isns := map[string]uint32{}
	segs := map[string][]seg{}
	out := map[string]*stream{}
	high := map[string]uint32{}
	seen := map[string]map[uint32]bool{}
	for _, f := range frames {
		s := out[f.flow]
		if s == nil {
			s = &stream{}
			out[f.flow] = s
		}
		if f.tcp.SYN {
			isns[f.flow] = f.tcp.Seq
			s.isn = f.tcp.Seq
			continue
		}
		rel := f.tcp.Seq - isns[f.flow] - 1
		if f.tcp.FIN {
			s.fin = true
		}
		if len(f.payload) == 0 {
			continue
		}
		end := rel + uint32(len(f.payload))
		if seen[f.flow] == nil {
			seen[f.flow] = map[uint32]bool{}
		}
		switch {
		case seen[f.flow][rel]:
			s.retrans++
		case rel < high[f.flow]:
			s.reorders++
		}
		seen[f.flow][rel] = true
		high[f.flow] = max(high[f.flow], end)
		segs[f.flow] = append(segs[f.flow], seg{rel, f.payload})
	}
	for flow, ss := range segs {
		slices.SortStableFunc(ss, func(a, b seg) int { return int(int64(a.rel) - int64(b.rel)) })
		s := out[flow]
		next := uint32(0)
		for _, sg := range ss {
			if sg.rel > next {
				s.holes++
				s.missing += int(sg.rel - next)
				next = sg.rel
			}
			if end := sg.rel + uint32(len(sg.data)); end > next {
				s.data = append(s.data, sg.data[next-sg.rel:]...)
				next = end
			}
		}
	}
	return out
}
