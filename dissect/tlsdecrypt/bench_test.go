package tlsdecrypt

import (
	"testing"

	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// BenchmarkDecryptAESGCM measures TLS 1.3 AES-128-GCM decryption of
// full-size application data records, handed to the Conn as tlsrec
// reports them.
func BenchmarkDecryptAESGCM(b *testing.B) {
	c := newConn13(b, tlsAES128GCMSHA256)
	data := make([]byte, 1<<14)
	const records = 64
	conn := NewConn(mustKeyLog(b, c.keyLog))
	// The handshake, through tlsrec as in real use.
	f := newFeeder(nil)
	f.conn = conn
	for i, ch := range c.chunks {
		f.feed(ch, int64(i+1), nil)
	}
	var recs []tlsrec.Record
	for range records {
		raw := c.seal[wire.ServerToClient].seal(tlsrec.TypeApplicationData, data, 0)
		recs = append(recs, tlsrec.Record{Type: raw[0], Version: 0x0303, Length: len(raw) - 5, Fragment: raw[5:], Encrypted: true})
	}
	b.SetBytes(records << 14)
	b.ReportAllocs()
	for b.Loop() {
		// Replay the same records: rewind the sequence number.
		conn.half[wire.ServerToClient].seq = 0
		for i := range recs {
			if _, ok := conn.Record(wire.ServerToClient, &recs[i]); !ok {
				b.Fatalf("record %d: %+v", i, conn.Status())
			}
		}
	}
}
