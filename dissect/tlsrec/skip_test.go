package tlsrec

import (
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// With SkipAppData an application-data record that spans Feed calls is
// framed exactly as without it (length, frames), only its bytes are not kept;
// handshake records keep theirs.
func TestSkipAppData(t *testing.T) {
	hs := record(TypeHandshake, VersionTLS12, message(HandshakeClientHello, make([]byte, 40)))
	app := record(TypeApplicationData, VersionTLS12, make([]byte, 3000))
	stream := append(append([]byte(nil), hs...), app...)
	for _, skip := range []bool{false, true} {
		var got []Record
		p := NewParser(wire.ClientToServer, Options{SkipAppData: skip}, sinkFunc(func(r *Record) {
			c := *r
			c.Fragment = append([]byte(nil), r.Fragment...)
			got = append(got, c)
		}))
		for i := 0; i < len(stream); i += 1000 {
			p.Feed(stream[i:min(i+1000, len(stream))], wire.Pos{Frame: int64(i/1000 + 1)})
		}
		if len(got) != 2 || got[1].Length != 3000 || got[1].Pos.Frame != 4 || got[1].FirstPos.Frame != 1 {
			t.Fatalf("skip=%v: records %+v", skip, got)
		}
		if n := len(got[1].Fragment); (skip && n != 0) || (!skip && n != 3000) {
			t.Errorf("skip=%v: application data fragment of %d bytes", skip, n)
		}
		if len(got[0].Fragment) != len(hs)-5 {
			t.Errorf("skip=%v: handshake fragment of %d bytes, want %d", skip, len(got[0].Fragment), len(hs)-5)
		}
	}
}

// sinkFunc adapts a function to Sink.
type sinkFunc func(r *Record)

func (f sinkFunc) Record(r *Record) { f(r) }
