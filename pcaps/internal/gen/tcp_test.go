package main

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// testLink is a link with round numbers: ISNs 1000 and 5000, MSS 4, RTT 10 ms.
func testLink() link {
	return link{
		client: host{addr: netip.MustParseAddrPort("192.0.2.1:40000"), isn: 1000, ttl: 52},
		server: host{addr: netip.MustParseAddrPort("198.51.100.1:25"), isn: 5000, ttl: 64},
		mss:    4,
		start:  time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC),
		rtt:    10 * time.Millisecond,
	}
}

// describe renders packets one per line: µs offset, direction, flags,
// relative seq and ack, payload.
func describe(l link, pkts []packet) string {
	var b strings.Builder
	for _, p := range pkts {
		flags := ""
		for _, f := range []struct {
			on   bool
			name string
		}{{p.syn, "S"}, {p.fin, "F"}, {p.psh, "P"}, {p.ack, "."}} {
			if f.on {
				flags += f.name
			}
		}
		isn, peer := l.client.isn, l.server.isn
		if p.dir == s2c {
			isn, peer = peer, isn
		}
		ack := int64(0)
		if p.ack {
			ack = int64(p.ackNum - peer)
		}
		re := ""
		if p.retrans {
			re = " retrans"
		}
		fmt.Fprintf(&b, "%d %s %s seq=%d ack=%d %q%s\n", p.t.Sub(l.start).Microseconds(), p.dir, flags,
			int64(p.seq-isn), ack, p.payload, re)
	}
	return b.String()
}

func TestPacketize(t *testing.T) {
	evs := []event{
		{dir: s2c, data: []byte("220 x\r\n")}, // 7 bytes: 2 segments
		{dir: c2s, data: []byte("QUIT\r\n")},  // 6 bytes: 2 segments
		{dir: s2c, data: []byte("221\r\n")},   // 5 bytes, then the server writes again: client ACKs
		{dir: s2c, data: []byte("!")},         // same side again: back to back
		{dir: c2s, fin: true},                 // client closes; the server's FIN carries the ACK
		{dir: s2c, fin: true},                 // last event: the client ACKs it
	}
	want := `0 c2s S seq=0 ack=0 ""
40 s2c S. seq=0 ack=1 ""
10040 c2s . seq=1 ack=1 ""
10290 s2c . seq=1 ack=1 "220 "
10302 s2c P. seq=5 ack=1 "x\r\n"
20702 c2s . seq=1 ack=8 "QUIT"
20714 c2s P. seq=5 ack=8 "\r\n"
20964 s2c . seq=8 ack=7 "221\r"
20976 s2c P. seq=12 ack=7 "\n"
21006 s2c P. seq=13 ack=7 "!"
30976 c2s . seq=7 ack=13 ""
31406 c2s F. seq=7 ack=14 ""
31656 s2c F. seq=14 ack=8 ""
41656 c2s . seq=8 ack=15 ""
`
	l := testLink()
	if got := describe(l, packetize(l, evs)); got != want {
		t.Errorf("packetize =\n%s\nwant\n%s", got, want)
	}
}

func TestPacketizeLostServerWrite(t *testing.T) {
	evs := []event{
		{dir: s2c, data: []byte("250 ok\r\n")},
		{dir: c2s, data: []byte("QUIT\r\n")},
	}
	l := testLink()
	l.mss = 1460
	l.lose = func(evs []event, i int) bool { return i == 0 }
	want := `0 c2s S seq=0 ack=0 ""
40 s2c S. seq=0 ack=1 ""
10040 c2s . seq=1 ack=1 ""
10290 s2c P. seq=1 ack=1 "250 ok\r\n"
210290 s2c P. seq=1 ack=1 "250 ok\r\n" retrans
220690 c2s P. seq=1 ack=9 "QUIT\r\n"
220700 s2c . seq=9 ack=7 ""
`
	if got := describe(l, packetize(l, evs)); got != want {
		t.Errorf("packetize =\n%s\nwant\n%s", got, want)
	}
}

func TestPacketizeSequenceWrap(t *testing.T) {
	l := testLink()
	l.client.isn = 0xfffffffe
	pkts := packetize(l, []event{{dir: c2s, data: []byte("abcdef")}})
	var seqs []uint32
	for _, p := range pkts {
		if p.dir == c2s && len(p.payload) > 0 {
			seqs = append(seqs, p.seq)
		}
	}
	// RFC 9293, Section 3.4: sequence numbers are modulo 2^32.
	if len(seqs) != 2 || seqs[0] != 0xffffffff || seqs[1] != 3 {
		t.Errorf("data segment seqs = %#x, want [0xffffffff 0x3]", seqs)
	}
}

func BenchmarkPacketize(b *testing.B) {
	data := []byte(strings.Repeat("x", 64<<10))
	evs := []event{{dir: c2s, data: data}, {dir: s2c, data: []byte("250 ok\r\n")}}
	l := testLink()
	l.mss = 1460
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		packetize(l, evs)
	}
}
