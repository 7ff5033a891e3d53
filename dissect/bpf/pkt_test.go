package bpf

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// pkt describes a test packet.
type pkt struct {
	v6       bool
	vlan     bool
	udp      bool
	src, dst string
	sp, dp   uint16
	fragOff  uint16 // IPv4 fragment offset (8-byte units)
	ipOpts   bool   // IPv4 header with options (IHL 6)
}

// build serialises p with gopacket.
func (p pkt) build(t testing.TB) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{0, 1, 2, 3, 4, 5}, DstMAC: net.HardwareAddr{6, 7, 8, 9, 10, 11}}
	ls := []gopacket.SerializableLayer{eth}
	et := layers.EthernetTypeIPv4
	if p.v6 {
		et = layers.EthernetTypeIPv6
	}
	if p.vlan {
		eth.EthernetType = layers.EthernetTypeDot1Q
		ls = append(ls, &layers.Dot1Q{VLANIdentifier: 42, Type: et})
	} else {
		eth.EthernetType = et
	}
	proto := layers.IPProtocolTCP
	if p.udp {
		proto = layers.IPProtocolUDP
	}
	var nl gopacket.NetworkLayer
	if p.v6 {
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: net.ParseIP(p.src), DstIP: net.ParseIP(p.dst)}
		nl = ip
		ls = append(ls, ip)
	} else {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: net.ParseIP(p.src).To4(),
			DstIP: net.ParseIP(p.dst).To4(), FragOffset: p.fragOff}
		if p.ipOpts {
			ip.Options = []layers.IPv4Option{{OptionType: 1}, {OptionType: 1}, {OptionType: 1}, {OptionType: 0}}
		}
		nl = ip
		ls = append(ls, ip)
	}
	if p.udp {
		u := &layers.UDP{SrcPort: layers.UDPPort(p.sp), DstPort: layers.UDPPort(p.dp)}
		u.SetNetworkLayerForChecksum(nl)
		ls = append(ls, u)
	} else {
		tc := &layers.TCP{SrcPort: layers.TCPPort(p.sp), DstPort: layers.TCPPort(p.dp), Seq: 1, Window: 1024, ACK: true}
		tc.SetNetworkLayerForChecksum(nl)
		ls = append(ls, tc)
	}
	ls = append(ls, gopacket.Payload("EHLO x\r\n"))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatalf("serialize %+v: %v", p, err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// runVM runs f's program on b in x/net/bpf's VM.
func runVM(t testing.TB, f *Filter, b []byte) bool {
	t.Helper()
	vm, err := bpf.NewVM(f.Instructions())
	if err != nil {
		t.Fatalf("NewVM(%q): %v", f, err)
	}
	n, err := vm.Run(b)
	if err != nil {
		t.Fatalf("vm.Run(%q): %v", f, err)
	}
	return n != 0
}
