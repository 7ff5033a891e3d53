package flow

import (
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// nullHandler takes every connection and drops its bytes.
type nullHandler struct{ bytes int }

func (h *nullHandler) Open(*Conn) Consumer                   { return h }
func (h *nullHandler) TCP(Event)                             {}
func (h *nullHandler) Data(_ wire.Dir, d []byte, _ wire.Pos) { h.bytes += len(d) }
func (h *nullHandler) Close(wire.Pos)                        {}

// BenchmarkInOrder feeds one connection's in-order 1448-byte segments, an
// ACK for every two, to the tracker: the fast path, which must not allocate.
func BenchmarkInOrder(b *testing.B) {
	h := &nullHandler{}
	tr := NewTracker(Options{}, h)
	data := decodeTCP(b, 40000, 25, 0, 0, "A", strings.Repeat("x", 1448))
	ack := decodeTCP(b, 25, 40000, 0, 0, "A", "")
	c2s := gopacket.NewFlow(layers.EndpointIPv4, cli, srv)
	s2c := gopacket.NewFlow(layers.EndpointIPv4, srv, cli)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.SetBytes(1448)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pos := wire.Pos{Frame: int64(i + 1), Time: base.Add(time.Duration(i) * time.Microsecond)}
		data.Seq = uint32(i) * 1448
		tr.Packet(c2s, data, pos)
		if i%2 == 1 {
			ack.Ack = data.Seq + 1448
			tr.Packet(s2c, ack, pos)
		}
	}
	if h.bytes == 0 {
		b.Fatal("no bytes delivered")
	}
}

// TestInOrderDoesNotAllocate keeps the fast path allocation-free.
func TestInOrderDoesNotAllocate(t *testing.T) {
	h := &nullHandler{}
	tr := NewTracker(Options{}, h)
	data := decodeTCP(t, 40000, 25, 0, 0, "A", strings.Repeat("x", 1448))
	c2s := gopacket.NewFlow(layers.EndpointIPv4, cli, srv)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	step := func() {
		data.Seq = uint32(i) * 1448
		tr.Packet(c2s, data, wire.Pos{Frame: int64(i + 1), Time: base.Add(time.Duration(i) * time.Microsecond)})
		i++
	}
	step() // the connection is opened
	if n := testing.AllocsPerRun(1000, step); n != 0 {
		t.Errorf("an in-order segment costs %v allocations, want 0", n)
	}
}
