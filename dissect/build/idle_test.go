package build

import (
	"encoding/binary"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/flow"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// orderedSink announces candidates to a session.Ordered, as the report does.
type orderedSink struct{ o *session.Ordered }

func (s orderedSink) Candidate(stream int64)      { s.o.Expect(stream) }
func (s orderedSink) Started(*session.Session)    {}
func (s orderedSink) Finished(x *session.Session) { s.o.Done(x) }
func (s orderedSink) Dropped(stream int64)        { s.o.Drop(stream) }

// TestIdleFlowCostsAtMostOneKiB is issue 12's defect 1: a connection that
// sent only a SYN to port 25 used to own an SMTP parser and a session
// (~10 KB); its state now waits for payload, and it costs at most 1 KiB of
// heap (flow table, builder state, the report's ordering entry).
func TestIdleFlowCostsAtMostOneKiB(t *testing.T) {
	const n = 50_000
	o := session.NewOrdered(func(*session.Session) {})
	b := NewBuilder(Options{AnyPort: true}, orderedSink{o})
	tr := flow.NewTracker(flow.Options{MaxFlows: 2 * n}, b)
	raw := make([]byte, 20)
	binary.BigEndian.PutUint16(raw[2:], 25)
	raw[12], raw[13] = 5<<4, 0x02 // SYN
	var tcp layers.TCP
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	feed := func(from, to int) {
		for i := from; i < to; i++ {
			binary.BigEndian.PutUint16(raw[0:], uint16(1024+i%60000))
			binary.BigEndian.PutUint32(raw[4:], uint32(i)*2654435761)
			if err := tcp.DecodeFromBytes(raw, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
			nf := gopacket.NewFlow(layers.EndpointIPv4, []byte{10, byte(i >> 16), byte(i >> 8), byte(i)}, []byte{192, 0, 2, 25})
			tr.Packet(nf, &tcp, wire.Pos{Frame: int64(i + 1), Time: base.Add(time.Duration(i) * time.Microsecond)})
		}
	}
	feed(0, 1000) // tables past their first growth
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	feed(1000, n)
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / (n - 1000)
	t.Logf("%d bytes of heap per idle flow; tracker estimate %d bytes", per, tr.Stats().Memory/n)
	if per > 1024 {
		t.Errorf("an idle flow costs %d bytes of heap, want <= 1024", per)
	}
	if got := tr.Stats().Active; got != n {
		t.Fatalf("Active = %d, want %d", got, n)
	}
	tr.Flush()
	if got := tr.Stats().Memory; got != 0 {
		t.Errorf("Memory after Flush = %d, want 0", got)
	}
}
