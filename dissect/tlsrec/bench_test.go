package tlsrec

import (
	"fmt"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// countSink counts records.
type countSink struct{ n, bytes int }

func (c *countSink) Record(r *Record) {
	c.n++
	c.bytes += len(r.Fragment)
}

// BenchmarkParser measures the bulk path: full-size TLS 1.3 application data
// records (2^14 + 17 bytes), fed in TCP-segment-sized and large chunks.
func BenchmarkParser(b *testing.B) {
	var stream []byte
	for range 64 {
		stream = append(stream, record(TypeApplicationData, VersionTLS12, make([]byte, 1<<14+17))...)
	}
	for _, chunk := range []int{1448, 64 << 10} {
		b.Run(fmt.Sprintf("chunk=%d", chunk), func(b *testing.B) {
			sink := &countSink{}
			p := NewParser(wire.ServerToClient, Options{}, sink)
			pos := posOf(0)
			b.SetBytes(int64(len(stream)))
			b.ReportAllocs()
			for b.Loop() {
				for off := 0; off < len(stream); off += chunk {
					p.Feed(stream[off:min(off+chunk, len(stream))], pos)
				}
			}
			if sink.n == 0 || p.Broken() {
				b.Fatal("no records")
			}
		})
	}
}
