package cmd

import (
	"bufio"
	"encoding/binary"
	"os"
	"testing"
)

// pcapBuilder writes a classic Ethernet pcap of IPv4 TCP conversations for
// the hostile-input tests (issue 12): floods, gaps and escapes on real bytes
// read back through the whole report path.
type pcapBuilder struct {
	t  testing.TB
	f  *os.File
	w  *bufio.Writer
	us int64 // capture time of the next packet, microseconds
}

func newPcapBuilder(t testing.TB, path string) *pcapBuilder {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	p := &pcapBuilder{t: t, f: f, w: bufio.NewWriterSize(f, 1<<16), us: 1_700_000_000_000_000}
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 262144)
	binary.LittleEndian.PutUint32(hdr[20:], 1) // LINKTYPE_ETHERNET
	p.w.Write(hdr)
	return p
}

// packet writes one Ethernet/IPv4/TCP frame.
func (p *pcapBuilder) packet(src, dst [4]byte, sport, dport uint16, seq, ack uint32, flags byte, payload []byte) {
	n := 14 + 20 + 20 + len(payload)
	rec := make([]byte, 16+n)
	binary.LittleEndian.PutUint32(rec[0:], uint32(p.us/1e6))
	binary.LittleEndian.PutUint32(rec[4:], uint32(p.us%1e6))
	binary.LittleEndian.PutUint32(rec[8:], uint32(n))
	binary.LittleEndian.PutUint32(rec[12:], uint32(n))
	p.us += 100
	pkt := rec[16:]
	pkt[12], pkt[13] = 0x08, 0x00
	ip := pkt[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+20+len(payload)))
	ip[8], ip[9] = 64, 6
	copy(ip[12:], src[:])
	copy(ip[16:], dst[:])
	tcp := ip[20:]
	binary.BigEndian.PutUint16(tcp[0:], sport)
	binary.BigEndian.PutUint16(tcp[2:], dport)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	binary.BigEndian.PutUint32(tcp[8:], ack)
	tcp[12], tcp[13] = 5<<4, flags
	binary.BigEndian.PutUint16(tcp[14:], 65535)
	copy(tcp[20:], payload)
	p.w.Write(rec)
}

func (p *pcapBuilder) close() {
	p.t.Helper()
	if err := p.w.Flush(); err != nil {
		p.t.Fatal(err)
	}
	if err := p.f.Close(); err != nil {
		p.t.Fatal(err)
	}
}

// tcpConv is one connection in a pcapBuilder, after its handshake.
type tcpConv struct {
	p            *pcapBuilder
	cip, sip     [4]byte
	cport, sport uint16
	cseq, sseq   uint32
}

const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpPSH = 0x08
	tcpACK = 0x10
)

// conv opens connection i (its own client address) to port on 192.0.2.25.
func (p *pcapBuilder) conv(i int, port uint16) *tcpConv {
	c := &tcpConv{p: p, cip: [4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}, sip: [4]byte{192, 0, 2, 25},
		cport: uint16(1024 + i%60000), sport: port, cseq: 1000, sseq: 5000}
	p.packet(c.cip, c.sip, c.cport, c.sport, c.cseq, 0, tcpSYN, nil)
	p.packet(c.sip, c.cip, c.sport, c.cport, c.sseq, c.cseq+1, tcpSYN|tcpACK, nil)
	c.cseq++
	c.sseq++
	p.packet(c.cip, c.sip, c.cport, c.sport, c.cseq, c.sseq, tcpACK, nil)
	return c
}

// send writes data in segments of at most mss bytes (1400 when mss is 0).
func (c *tcpConv) send(fromClient bool, data []byte, mss int) {
	if mss <= 0 {
		mss = 1400
	}
	for len(data) > 0 {
		n := min(mss, len(data))
		if fromClient {
			c.p.packet(c.cip, c.sip, c.cport, c.sport, c.cseq, c.sseq, tcpACK|tcpPSH, data[:n])
			c.cseq += uint32(n)
		} else {
			c.p.packet(c.sip, c.cip, c.sport, c.cport, c.sseq, c.cseq, tcpACK|tcpPSH, data[:n])
			c.sseq += uint32(n)
		}
		data = data[n:]
	}
}

func (c *tcpConv) client(s string) { c.send(true, []byte(s), 0) }
func (c *tcpConv) server(s string) { c.send(false, []byte(s), 0) }

// gap skips n bytes of the client's stream (never captured).
func (c *tcpConv) gap(n uint32) { c.cseq += n }

// fin closes both directions.
func (c *tcpConv) fin() {
	c.p.packet(c.cip, c.sip, c.cport, c.sport, c.cseq, c.sseq, tcpFIN|tcpACK, nil)
	c.p.packet(c.sip, c.cip, c.sport, c.cport, c.sseq, c.cseq+1, tcpFIN|tcpACK, nil)
	c.cseq++
	c.sseq++
	c.p.packet(c.cip, c.sip, c.cport, c.sport, c.cseq, c.sseq, tcpACK, nil)
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustWrite(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
