package flow

import (
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// recorder renders everything a consumer sees as lines.
type recorder struct {
	log    []string
	ignore func(c *Conn) bool
}

type recConsumer struct {
	r *recorder
	c *Conn
}

func (r *recorder) Open(c *Conn) Consumer {
	r.log = append(r.log, fmt.Sprintf("open #%d %s>%s", c.Stream, c.A, c.B))
	if r.ignore != nil && r.ignore(c) {
		return nil
	}
	return &recConsumer{r, c}
}

func (rc *recConsumer) TCP(e Event) {
	s := fmt.Sprintf("#%d f%d %s %s", rc.c.Stream, e.Pos.Frame, e.Dir, e.Kind)
	if e.Bytes != 0 {
		s += fmt.Sprintf(" %d", e.Bytes)
	}
	rc.r.log = append(rc.r.log, s)
}

func (rc *recConsumer) Data(d wire.Dir, data []byte, pos wire.Pos) {
	rc.r.log = append(rc.r.log, fmt.Sprintf("#%d f%d %s %q", rc.c.Stream, pos.Frame, d, data))
}

func (rc *recConsumer) Close(pos wire.Pos) {
	rc.r.log = append(rc.r.log, fmt.Sprintf("#%d close f%d", rc.c.Stream, pos.Frame))
}

// seg describes one captured TCP segment of a test.
type seg struct {
	c2s   bool // from client 10.0.0.1:40000 to server 10.0.0.2:25, else reverse
	flags string
	seq   uint32
	data  string
	cport uint16 // client port (default 40000)
	ack   uint32
}

var (
	cli = net.IP{10, 0, 0, 1}
	srv = net.IP{10, 0, 0, 2}
)

func run(t *testing.T, r *recorder, opts Options, segs []seg) *Tracker {
	t.Helper()
	tr := NewTracker(opts, r)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, s := range segs {
		cport := s.cport
		if cport == 0 {
			cport = 40000
		}
		src, dst := cport, uint16(25)
		if !s.c2s {
			src, dst = dst, src
		}
		tcp := decodeTCP(t, src, dst, s.seq, s.ack, s.flags, s.data)
		nf := gopacket.NewFlow(layers.EndpointIPv4, cli, srv)
		if !s.c2s {
			nf = gopacket.NewFlow(layers.EndpointIPv4, srv, cli)
		}
		tr.Packet(nf, tcp, wire.Pos{Frame: int64(i + 1), Time: base.Add(time.Duration(i) * time.Millisecond)})
	}
	tr.Flush()
	return tr
}

func check(t *testing.T, got []string, want string) {
	t.Helper()
	w := strings.Split(strings.TrimSpace(want), "\n")
	for i := range w {
		w[i] = strings.TrimSpace(w[i])
	}
	if strings.Join(got, "\n") != strings.Join(w, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
	}
}

func TestHandshakeDataTeardown(t *testing.T) {
	r := &recorder{}
	run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 100},
		{flags: "SA", seq: 500},
		{c2s: true, flags: "A", seq: 101},
		{flags: "A", seq: 501, data: "220 hi\r\n"},
		{c2s: true, flags: "A", seq: 101, data: "QUIT\r\n"},
		{flags: "A", seq: 509, data: "221 bye\r\n"},
		{flags: "FA", seq: 518},
		{c2s: true, flags: "FA", seq: 107},
		{flags: "A", seq: 519},
	})
	check(t, r.log, `
		open #0 10.0.0.1:40000>10.0.0.2:25
		#0 f1 c2s SYN
		#0 f2 s2c SYN-ACK
		#0 f3 c2s ACK
		#0 f4 s2c "220 hi\r\n"
		#0 f5 c2s "QUIT\r\n"
		#0 f6 s2c "221 bye\r\n"
		#0 f7 s2c FIN
		#0 f8 c2s FIN
		#0 close f9`)
}

func TestOutOfOrderKeepsFramesOfEveryByte(t *testing.T) {
	r := &recorder{}
	run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 0},
		{flags: "SA", seq: 0},
		{c2s: true, flags: "A", seq: 1, data: "AAAA"},
		{c2s: true, flags: "A", seq: 9, data: "CCCC"}, // ahead of a hole
		{c2s: true, flags: "A", seq: 5, data: "BBBB"}, // fills it
		{c2s: true, flags: "A", seq: 5, data: "BBBB"}, // sent again
	})
	check(t, r.log, `
		open #0 10.0.0.1:40000>10.0.0.2:25
		#0 f1 c2s SYN
		#0 f2 s2c SYN-ACK
		#0 f3 c2s ACK
		#0 f3 c2s "AAAA"
		#0 f5 c2s out-of-order 4
		#0 f5 c2s "BBBB"
		#0 f4 c2s "CCCC"
		#0 f6 c2s retransmission 4
		#0 close f6`)
}

func TestGapIsReportedWithItsSize(t *testing.T) {
	r := &recorder{}
	run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 0},
		{flags: "SA", seq: 0},
		{c2s: true, flags: "A", seq: 1, data: "AAAA"},
		{c2s: true, flags: "A", seq: 105, data: "ZZ"}, // 100 bytes never captured
	})
	check(t, r.log, `
		open #0 10.0.0.1:40000>10.0.0.2:25
		#0 f1 c2s SYN
		#0 f2 s2c SYN-ACK
		#0 f3 c2s ACK
		#0 f3 c2s "AAAA"
		#0 f4 c2s gap 100
		#0 f4 c2s "ZZ"
		#0 close f4`)
}

func TestMidStreamStart(t *testing.T) {
	r := &recorder{}
	run(t, r, Options{}, []seg{
		{flags: "A", seq: 7000, data: "250 ok\r\n"},
		{c2s: true, flags: "A", seq: 9000, data: "QUIT\r\n"},
	})
	// The first packet's sender is A: the server here. The consumer (the
	// session builder) decides roles from ports and banners.
	check(t, r.log, `
		open #0 10.0.0.2:25>10.0.0.1:40000
		#0 f1 c2s mid-stream
		#0 f1 c2s "250 ok\r\n"
		#0 f2 s2c mid-stream
		#0 f2 s2c "QUIT\r\n"
		#0 close f2`)
}

func TestPortReuseStartsNewStream(t *testing.T) {
	r := &recorder{}
	tr := run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 100},
		{flags: "SA", seq: 500},
		{c2s: true, flags: "RA", seq: 101},
		{c2s: true, flags: "S", seq: 100}, // retransmitted SYN of the old connection: same stream
		{c2s: true, flags: "S", seq: 90000},
		{flags: "SA", seq: 7},
		{c2s: true, flags: "A", seq: 90001, data: "EHLO x\r\n"},
	})
	if got := tr.Stats().Streams; got != 2 {
		t.Errorf("Streams = %d, want 2", got)
	}
	check(t, r.log, `
		open #0 10.0.0.1:40000>10.0.0.2:25
		#0 f1 c2s SYN
		#0 f2 s2c SYN-ACK
		#0 f3 c2s RST
		#0 close f4
		open #1 10.0.0.1:40000>10.0.0.2:25
		#1 f5 c2s SYN
		#1 f6 s2c SYN-ACK
		#1 f7 c2s ACK
		#1 f7 c2s "EHLO x\r\n"
		#1 close f7`)
}

func TestSequenceWrapAround(t *testing.T) {
	r := &recorder{}
	run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 0xfffffffa},
		{flags: "SA", seq: 1},
		{c2s: true, flags: "A", seq: 0xfffffffb, data: "0123456789"},
		{c2s: true, flags: "A", seq: 10, data: "after"}, // 5 bytes missing across the wrap
	})
	check(t, r.log, `
		open #0 10.0.0.1:40000>10.0.0.2:25
		#0 f1 c2s SYN
		#0 f2 s2c SYN-ACK
		#0 f3 c2s ACK
		#0 f3 c2s "0123456789"
		#0 f4 c2s gap 5
		#0 f4 c2s "after"
		#0 close f4`)
}

func TestStreamsNumberedByFirstPacketEvenWhenIgnored(t *testing.T) {
	r := &recorder{ignore: func(c *Conn) bool { return c.A.Port() == 40001 }}
	tr := run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 1, cport: 40001},
		{c2s: true, flags: "S", seq: 1, cport: 40002},
		{c2s: true, flags: "A", seq: 2, data: "x", cport: 40001},
	})
	if got := tr.Stats().Streams; got != 2 {
		t.Errorf("Streams = %d, want 2", got)
	}
	check(t, r.log, `
		open #0 10.0.0.1:40001>10.0.0.2:25
		open #1 10.0.0.1:40002>10.0.0.2:25
		#1 f2 c2s SYN
		#1 close f2`)
}

func TestMaxFlowsEvictsLeastRecentlySeen(t *testing.T) {
	r := &recorder{}
	tr := run(t, r, Options{MaxFlows: 2}, []seg{
		{c2s: true, flags: "S", seq: 1, cport: 1},
		{c2s: true, flags: "S", seq: 1, cport: 2},
		{c2s: true, flags: "A", seq: 2, cport: 1},
		{c2s: true, flags: "S", seq: 1, cport: 3}, // evicts port 2
	})
	if got := tr.Stats().Evicted; got != 1 {
		t.Errorf("Evicted = %d, want 1", got)
	}
	check(t, r.log, `
		open #0 10.0.0.1:1>10.0.0.2:25
		#0 f1 c2s SYN
		open #1 10.0.0.1:2>10.0.0.2:25
		#1 f2 c2s SYN
		#1 close f2
		open #2 10.0.0.1:3>10.0.0.2:25
		#2 f4 c2s SYN`+"\n"+strings.Join(r.log[len(r.log)-2:], "\n"))
	if tail := strings.Join(r.log[len(r.log)-2:], " "); tail != "#0 close f3 #2 close f4" && tail != "#2 close f4 #0 close f3" {
		t.Errorf("last events %q, want both connections closed at the end", tail)
	}
}

func TestHoleAckedByPeerIsAGapAtOnce(t *testing.T) {
	r := &recorder{}
	run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 0},
		{flags: "SA", seq: 0},
		{c2s: true, flags: "A", seq: 1, data: "MAIL\r\n"},
		{c2s: true, flags: "A", seq: 107, data: "DATA\r\n"}, // 100 bytes before it never captured
		{flags: "A", seq: 1, ack: 113, data: "354 go\r\n"},  // the server got them all
	})
	check(t, r.log, `
		open #0 10.0.0.1:40000>10.0.0.2:25
		#0 f1 c2s SYN
		#0 f2 s2c SYN-ACK
		#0 f3 c2s ACK
		#0 f3 c2s "MAIL\r\n"
		#0 f4 c2s gap 100
		#0 f4 c2s "DATA\r\n"
		#0 f5 s2c "354 go\r\n"
		#0 close f5`)
}

// decodeTCP builds a segment as the capture decoder does: from header bytes
// (gopacket's TransportFlow needs the ports it decoded).
func decodeTCP(t testing.TB, src, dst uint16, seq, ack uint32, flags, data string) *layers.TCP {
	t.Helper()
	b := make([]byte, 20, 20+len(data))
	binary.BigEndian.PutUint16(b[0:], src)
	binary.BigEndian.PutUint16(b[2:], dst)
	binary.BigEndian.PutUint32(b[4:], seq)
	binary.BigEndian.PutUint32(b[8:], ack)
	b[12] = 5 << 4
	for _, f := range flags {
		switch f {
		case 'F':
			b[13] |= 0x01
		case 'S':
			b[13] |= 0x02
		case 'R':
			b[13] |= 0x04
		case 'A':
			b[13] |= 0x10
		}
	}
	b = append(b, data...)
	tcp := &layers.TCP{}
	if err := tcp.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		t.Fatal(err)
	}
	return tcp
}

func TestBufferLimitIsCountedNotSilent(t *testing.T) {
	r := &recorder{}
	segs := []seg{
		{c2s: true, flags: "S", seq: 0},
		{flags: "SA", seq: 0},
	}
	// A hole at 1, then 20 pages' worth of later bytes: more than a 2-page
	// buffer holds.
	for i := 0; i < 20; i++ {
		segs = append(segs, seg{c2s: true, flags: "A", seq: uint32(101 + 1000*i), data: strings.Repeat("x", 1000)})
	}
	tr := run(t, r, Options{MaxBufferedPerConn: 2 * pageSize}, segs)
	if tr.Stats().BufferLimitHits == 0 {
		t.Errorf("BufferLimitHits = 0: the buffer limit was hit silently")
	}
}

func TestOverlapWithOtherBytesIsReported(t *testing.T) {
	r := &recorder{}
	tr := run(t, r, Options{}, []seg{
		{c2s: true, flags: "S", seq: 0},
		{flags: "SA", seq: 0},
		{c2s: true, flags: "A", seq: 1, data: "RCPT TO:<a@b>\r\n"},
		{c2s: true, flags: "A", seq: 1, data: "RCPT TO:<a@b>\r\n"}, // an honest retransmission
		{c2s: true, flags: "A", seq: 1, data: "RCPT TO:<x@y>\r\n"}, // the same range, other bytes
	})
	if got := tr.Stats().OverlapConflicts; got != 1 {
		t.Errorf("OverlapConflicts = %d, want 1", got)
	}
	check(t, r.log, `
		open #0 10.0.0.1:40000>10.0.0.2:25
		#0 f1 c2s SYN
		#0 f2 s2c SYN-ACK
		#0 f3 c2s ACK
		#0 f3 c2s "RCPT TO:<a@b>\r\n"
		#0 f4 c2s retransmission 15
		#0 f5 c2s overlap-conflict 15
		#0 f5 c2s retransmission 15
		#0 close f5`)
}
