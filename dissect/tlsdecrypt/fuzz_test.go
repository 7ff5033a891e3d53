package tlsdecrypt

import (
	"encoding/binary"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// encodeChunks serialises chunks as dir(1) length(2) data, the FuzzConn input.
func encodeChunks(chunks []chunk) []byte {
	var out []byte
	for _, c := range chunks {
		out = append(out, byte(c.dir))
		out = binary.BigEndian.AppendUint16(out, uint16(len(c.data)))
		out = append(out, c.data...)
	}
	return out
}

// decodeChunks is the inverse of encodeChunks, tolerant of any input.
func decodeChunks(b []byte) []chunk {
	var out []chunk
	for len(b) >= 3 {
		d := wire.Dir(b[0] & 1)
		n := min(int(binary.BigEndian.Uint16(b[1:])), len(b)-3)
		out = append(out, chunk{dir: d, data: b[3 : 3+n]})
		b = b[3+n:]
	}
	return out
}

// FuzzConn feeds arbitrary byte streams of both directions through tlsrec
// into a Conn that holds the keys of the seeds (valid synthetic TLS 1.3
// and 1.2 connections), so mutations reach every decryption path: the Conn
// must not panic and must return no more plaintext than the record held.
func FuzzConn(f *testing.F) {
	var keyLog []byte
	for _, suite := range []uint16{tlsAES128GCMSHA256, tlsAES256GCMSHA384, tlsCHACHA20POLY1305SHA256} {
		c := newConn13(f, suite)
		c.app(wire.ClientToServer, "EHLO a\r\n", 3)
		c.keyUpdate(f, wire.ServerToClient)
		c.app(wire.ServerToClient, "250 b\r\n", 0)
		f.Add(encodeChunks(c.chunks))
		if suite == tlsAES128GCMSHA256 {
			keyLog = append(keyLog, c.keyLog...)
		}
	}
	for _, etm := range []bool{true, false} {
		chunks, kl := conn12(f, etm)
		f.Add(encodeChunks(chunks))
		keyLog = append(keyLog, kl...)
	}
	f.Add([]byte{})
	f.Add([]byte{1, 0, 5, 23, 3, 3, 0, 0})
	keys := mustKeyLog(f, keyLog)
	f.Fuzz(func(t *testing.T, data []byte) {
		fd := newFeeder(keys)
		for i, c := range decodeChunks(data) {
			if i%7 == 6 {
				fd.conn.Gap(c.dir)
			}
			fd.feed(c, int64(i+1), nil)
		}
		res := fd.close()
		for d := range 2 {
			for _, p := range res.plain[d] {
				if len(p.Data) > 1<<14+2048 {
					t.Fatalf("%d bytes of plaintext", len(p.Data))
				}
			}
		}
		st := res.status
		if st.Decrypted < 0 || st.Failed < 0 || st.Decrypting && st.Problem != ProblemNone && st.Problem != ProblemGap {
			t.Fatalf("status %+v", st)
		}
	})
}
