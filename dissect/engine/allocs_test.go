package engine

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// bodyCapture writes a pcap of one plain SMTP session (port 25) whose
// message body is segments full-size in-order segments of base64 lines,
// each acknowledged; with tlsRecords, the same bytes as TLS application
// data records after the banner (encrypted, as without keys).
func bodyCapture(t testing.TB, segments int, tls bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	cli, srv := net.IPv4(10, 0, 0, 1).To4(), net.IPv4(192, 0, 2, 25).To4()
	seq := [2]uint32{1000, 5000} // client, server
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	send := func(fromClient bool, flags string, payload []byte) {
		d := 0
		src, dst, sp, dp := cli, srv, layers.TCPPort(40000), layers.TCPPort(25)
		if !fromClient {
			d, src, dst, sp, dp = 1, srv, cli, 25, 40000
		}
		tcp := &layers.TCP{SrcPort: sp, DstPort: dp, Seq: seq[d], Ack: seq[1-d], Window: 65535,
			SYN: strings.Contains(flags, "S"), ACK: strings.Contains(flags, "A"), FIN: strings.Contains(flags, "F"), PSH: len(payload) > 0}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: src, DstIP: dst}
		if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		sb := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(sb, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
			t.Fatal(err)
		}
		now = now.Add(100 * time.Microsecond)
		data := sb.Bytes()
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: now, CaptureLength: len(data), Length: len(data)}, data); err != nil {
			t.Fatal(err)
		}
		seq[d] += uint32(len(payload))
		if tcp.SYN || tcp.FIN {
			seq[d]++
		}
	}
	send(true, "S", nil)
	seq[1]-- // the SYN-ACK's own sequence number
	seq[1]++
	send(false, "SA", nil)
	send(true, "A", nil)
	talk := func(fromClient bool, s string) { send(fromClient, "A", []byte(s)) }
	line := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 3)[:76] + "\r\n"
	body := []byte(strings.Repeat(line, 19)) // 1482 bytes: lines cross segments
	body = body[:1448]
	if tls {
		talk(false, "220 mx ESMTP\r\n")
		talk(true, "EHLO c\r\n")
		talk(false, "250-mx\r\n250 STARTTLS\r\n")
		talk(true, "STARTTLS\r\n")
		talk(false, "220 go ahead\r\n")
		// A TLS 1.2 handshake in its plainest form (RFC 5246, Section
		// 7.4.1): ClientHello, ServerHello, ChangeCipherSpec both ways.
		record := func(typ byte, body []byte) string {
			return string(append([]byte{typ, 3, 3, byte(len(body) >> 8), byte(len(body))}, body...))
		}
		hello := func(typ byte, suites []byte) []byte {
			b := append([]byte{3, 3}, make([]byte, 32)...) // version, random
			b = append(b, 0)                               // session id
			b = append(b, suites...)
			if typ == 1 {
				b = append(b, 1, 0) // compression methods: null
			} else {
				b = append(b, 0) // compression method: null
			}
			return append([]byte{typ, 0, byte(len(b) >> 8), byte(len(b))}, b...)
		}
		talk(true, record(22, hello(1, []byte{0, 2, 0xc0, 0x2f})))
		talk(false, record(22, hello(2, []byte{0xc0, 0x2f})))
		talk(false, record(20, []byte{1}))
		talk(true, record(20, []byte{1}))
		talk(true, record(22, make([]byte, 40)))  // encrypted Finished
		talk(false, record(22, make([]byte, 40))) // both encrypt: the handshake is over
		rec := make([]byte, 5+1443)
		rec[0], rec[1], rec[2], rec[3], rec[4] = 23, 3, 3, byte(1443>>8), byte(1443&0xff)
		for i := 0; i < segments; i++ {
			talk(true, string(rec))
			if i%2 == 1 {
				send(false, "A", nil)
			}
		}
	} else {
		talk(false, "220 mx ESMTP\r\n")
		talk(true, "EHLO c\r\n")
		talk(false, "250-mx\r\n250 8BITMIME\r\n")
		talk(true, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")
		talk(false, "250 ok\r\n250 ok\r\n354 go\r\n")
		talk(true, "Subject: x\r\n\r\n")
		for i := 0; i < segments; i++ {
			talk(true, string(body))
			if i%2 == 1 {
				send(false, "A", nil)
			}
		}
		talk(true, "\r\n.\r\n")
		talk(false, "250 queued\r\n")
		talk(true, "QUIT\r\n")
		talk(false, "221 bye\r\n")
	}
	send(false, "FA", nil)
	send(true, "FA", nil)
	send(false, "A", nil)
	return buf.Bytes()
}

// onlySession keeps the one session of a run.
type onlySession struct {
	discard
	s *session.Session
}

func (o *onlySession) Finished(s *session.Session) { o.discard.Finished(s); o.s = s }

// checkBodyCapture checks that the capture is what the allocation test
// means: every segment's bytes in the message, or every record seen.
func checkBodyCapture(t *testing.T, data []byte, segments int, tls bool) {
	f, err := capture.NewFile(bytes.NewReader(data), "allocs", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := &onlySession{}
	if _, err := Run(context.Background(), f, Options{Session: build.Options{AnyPort: true}}, o); err != nil || o.s == nil {
		t.Fatalf("run: %v, session %v", err, o.s)
	}
	if tls {
		if n := len(o.s.TLSRecords); n != segments+6 {
			t.Fatalf("%d TLS records, want %d", n, segments+6)
		}
	} else if len(o.s.Messages) != 1 || o.s.Messages[0].Size != int64(segments*1448+len("Subject: x\r\n\r\n\r\n")) {
		t.Fatalf("messages %+v, want one of %d segments", o.s.Messages, segments)
	}
}

// runAllocs is the allocations of one run of the pipeline over data.
func runAllocs(t *testing.T, data []byte, threads int) float64 {
	return testing.AllocsPerRun(5, func() {
		f, err := capture.NewFile(bytes.NewReader(data), "allocs", capture.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := &discard{}
		if _, err := Run(context.Background(), f, Options{Session: build.Options{AnyPort: true}, Threads: threads}, d); err != nil {
			t.Fatal(err)
		}
		if d.sessions != 1 {
			t.Fatalf("%d sessions, want 1", d.sessions)
		}
	})
}

// TestInOrderPacketsDoNotAllocate is issue 14's allocation-free hot path,
// end to end (read, decode, track, reassemble, SMTP or TLS, session): a
// capture with 1,000 more in-order body segments (and their ACKs) than
// another costs no more allocations, with one thread and pipelined.
func TestInOrderPacketsDoNotAllocate(t *testing.T) {
	for _, tls := range []bool{false, true} {
		small, large := bodyCapture(t, 200, tls), bodyCapture(t, 1200, tls)
		checkBodyCapture(t, large, 1200, tls)
		for _, threads := range []int{1, 2} {
			a, b := runAllocs(t, small, threads), runAllocs(t, large, threads)
			// growing slices (the frame list of a run of encrypted
			// records, kept up to maxRunFrames) cost a few, not one per packet
			t.Logf("tls=%v threads=%d: %.0f allocations (200 segments), %.0f (1,200)", tls, threads, a, b)
			if per := (b - a) / 1500; per > 0.02 {
				t.Errorf("tls=%v threads=%d: %.0f allocations for 200 body segments, %.0f for 1,200: %.3f per extra packet, want 0",
					tls, threads, a, b, per)
			}
		}
	}
}

// BenchmarkBodySegments is the per-packet cost of the hot path: a message
// body in 1448-byte in-order segments, through the whole pipeline.
func BenchmarkBodySegments(b *testing.B) {
	for _, tls := range []bool{false, true} {
		name := "plain"
		if tls {
			name = "tls-encrypted"
		}
		data := bodyCapture(b, 20000, tls)
		for _, threads := range []int{1, 2} {
			b.Run(name+"/threads="+string(rune('0'+threads)), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					f, _ := capture.NewFile(bytes.NewReader(data), "bench", capture.Options{})
					if _, err := Run(context.Background(), f, Options{Session: build.Options{AnyPort: true}, Threads: threads}, &discard{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// watchRuns checks, after every batch, that each run of encrypted records
// of the sessions being built says how many records and bytes it has so far.
type watchRuns struct {
	discard
	t       *testing.T
	live    []*session.Session
	batches int
}

func (w *watchRuns) Started(s *session.Session) { w.live = append(w.live, s) }
func (w *watchRuns) Batch(fn func(p *session.Progress)) {
	fn(&w.Progress)
	w.batches++
	for _, s := range w.live {
		for _, e := range s.Timeline {
			if e.Kind != session.KindTLSBulk {
				continue
			}
			want := fmt.Sprintf("%d encrypted records, %d bytes", e.Count, e.Bytes)
			if e.Count == 1 {
				want = fmt.Sprintf("1 encrypted record, %d bytes", e.Bytes)
			}
			if e.Summary != want {
				w.t.Fatalf("after batch %d: run summary %q, want %q", w.batches, e.Summary, want)
			}
		}
	}
}

// TestRunSummaryAfterEveryBatch: the summary of a run of encrypted records
// is written once per batch, not per record (Builder.Settle), and is right
// whenever a viewer can read it, with one thread and pipelined.
func TestRunSummaryAfterEveryBatch(t *testing.T) {
	data := bodyCapture(t, 300, true)
	for _, threads := range []int{1, 2} {
		for _, batch := range []int{1, 7, 64} {
			f, err := capture.NewFile(bytes.NewReader(data), "runs", capture.Options{})
			if err != nil {
				t.Fatal(err)
			}
			w := &watchRuns{t: t}
			if _, err := Run(context.Background(), f, Options{Session: build.Options{AnyPort: true}, Threads: threads, BatchFrames: batch}, w); err != nil {
				t.Fatal(err)
			}
			if w.sessions != 1 || w.batches < 5 {
				t.Fatalf("%d sessions, %d batches", w.sessions, w.batches)
			}
		}
	}
}

// TestItemHasNoPointer keeps the pipeline's per-packet context out of the
// garbage collector's sight: no field of item may hold a pointer.
func TestItemHasNoPointer(t *testing.T) {
	var walk func(tp reflect.Type, path string)
	walk = func(tp reflect.Type, path string) {
		switch tp.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.String, reflect.Map, reflect.Chan, reflect.Func, reflect.Interface, reflect.UnsafePointer:
			t.Errorf("%s is a %s", path, tp.Kind())
		case reflect.Struct:
			for i := range tp.NumField() {
				walk(tp.Field(i).Type, path+"."+tp.Field(i).Name)
			}
		case reflect.Array:
			walk(tp.Elem(), path+"[]")
		}
	}
	walk(reflect.TypeFor[item](), "item")
}
