package smtp

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// streamBodies feeds a conversation (client and server halves interleaved
// as given), each piece in chunks of split bytes (0 = whole), and returns
// the EvBody bytes per message Seq.
func streamBodies(t *testing.T, steps []struct {
	dir  wire.Dir
	data string
}, split int) map[int][]byte {
	t.Helper()
	got := map[int][]byte{}
	c := NewConn(Options{StreamBody: true}, SinkFunc(func(e *Event) {
		if e.Kind == EvBody {
			got[e.Body.Seq] = append(got[e.Body.Seq], e.Body.Data...)
		}
	}))
	for i, s := range steps {
		b := []byte(s.data)
		for len(b) > 0 {
			n := len(b)
			if split > 0 && split < n {
				n = split
			}
			c.Feed(s.dir, b[:n], wire.Pos{Frame: int64(i + 1)})
			b = b[n:]
		}
	}
	c.Close(wire.Pos{Frame: int64(len(steps) + 1)})
	return got
}

func TestBodyStreamDATAEqualsBDAT(t *testing.T) {
	const msg = "Subject: s\r\n\r\n.leading dot\r\nline\r\n..two\r\n"
	stuffed := "Subject: s\r\n\r\n..leading dot\r\nline\r\n...two\r\n.\r\n"
	type step = struct {
		dir  wire.Dir
		data string
	}
	c2s, s2c := wire.ClientToServer, wire.ServerToClient
	data := []step{{s2c, "220 mx\r\n"}, {c2s, "MAIL FROM:<a@x>\r\n"}, {s2c, "250 ok\r\n"},
		{c2s, "RCPT TO:<b@y>\r\n"}, {s2c, "250 ok\r\n"}, {c2s, "DATA\r\n"}, {s2c, "354 go\r\n"},
		{c2s, stuffed}, {s2c, "250 ok\r\n"}}
	bdat := []step{{s2c, "220 mx\r\n"}, {c2s, "MAIL FROM:<a@x>\r\n"}, {s2c, "250 ok\r\n"},
		{c2s, "RCPT TO:<b@y>\r\n"}, {s2c, "250 ok\r\n"},
		{c2s, "BDAT 20\r\n" + msg[:20] + "BDAT " + strconv.Itoa(len(msg)-20) + " LAST\r\n" + msg[20:]},
		{s2c, "250 ok\r\n250 ok\r\n"}}
	for _, split := range []int{0, 1, 3, 7} {
		for name, steps := range map[string][]step{"DATA": data, "BDAT": bdat} {
			got := streamBodies(t, steps, split)
			if len(got) != 1 || !bytes.Equal(got[0], []byte(msg)) {
				t.Errorf("%s split %d: bodies %q, want one %q", name, split, got[0], msg)
			}
		}
	}
}
