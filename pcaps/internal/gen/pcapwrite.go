package main

import (
	"fmt"
	"io"
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// snapLen is the snapshot length written in the pcap header.
const snapLen = 262144

// frame is one serialised packet with its capture time.
type frame struct {
	p    packet
	data []byte
}

// serialize builds the Ethernet/IP/TCP bytes of p on link l, with lengths
// and checksums computed by gopacket.
func serialize(l link, p packet) ([]byte, error) {
	src, dst := l.client, l.server
	if p.dir == s2c {
		src, dst = dst, src
	}
	tcp := &layers.TCP{
		SrcPort: layers.TCPPort(src.addr.Port()),
		DstPort: layers.TCPPort(dst.addr.Port()),
		Seq:     p.seq,
		Ack:     p.ackNum,
		SYN:     p.syn,
		ACK:     p.ack,
		FIN:     p.fin,
		PSH:     p.psh,
		Window:  tcpWindow,
	}
	if p.mss != 0 {
		// RFC 9293, Section 3.7.1: the MSS option is sent only with SYN.
		tcp.Options = []layers.TCPOption{{
			OptionType: layers.TCPOptionKindMSS,
			OptionData: []byte{byte(p.mss >> 8), byte(p.mss)},
		}}
	}
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr(src.mac[:]), DstMAC: net.HardwareAddr(dst.mac[:])}
	var ip gopacket.SerializableLayer
	if src.addr.Addr().Is4() {
		eth.EthernetType = layers.EthernetTypeIPv4
		v4 := &layers.IPv4{
			Version:  4,
			TTL:      src.ttl,
			Id:       p.ipID,
			Flags:    layers.IPv4DontFragment,
			Protocol: layers.IPProtocolTCP,
			SrcIP:    src.addr.Addr().AsSlice(),
			DstIP:    dst.addr.Addr().AsSlice(),
		}
		if err := tcp.SetNetworkLayerForChecksum(v4); err != nil {
			return nil, fmt.Errorf("gen: checksum layer: %w", err)
		}
		ip = v4
	} else {
		eth.EthernetType = layers.EthernetTypeIPv6
		v6 := &layers.IPv6{
			Version:    6,
			HopLimit:   src.ttl,
			NextHeader: layers.IPProtocolTCP,
			SrcIP:      src.addr.Addr().AsSlice(),
			DstIP:      dst.addr.Addr().AsSlice(),
		}
		if err := tcp.SetNetworkLayerForChecksum(v6); err != nil {
			return nil, fmt.Errorf("gen: checksum layer: %w", err)
		}
		ip = v6
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, tcp, gopacket.Payload(p.payload)); err != nil {
		return nil, fmt.Errorf("gen: serialize frame: %w", err)
	}
	return append([]byte(nil), buf.Bytes()...), nil
}

// writePcap writes frames as a classic pcap (microsecond timestamps,
// Ethernet link type).
func writePcap(w io.Writer, frames []frame) error {
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(snapLen, layers.LinkTypeEthernet); err != nil {
		return fmt.Errorf("gen: pcap header: %w", err)
	}
	for i, f := range frames {
		ci := gopacket.CaptureInfo{Timestamp: f.p.t, CaptureLength: len(f.data), Length: len(f.data)}
		if err := pw.WritePacket(ci, f.data); err != nil {
			return fmt.Errorf("gen: pcap frame %d: %w", i+1, err)
		}
	}
	return nil
}
