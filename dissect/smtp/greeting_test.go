package smtp

import (
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// RFC 5321, Section 3.1: a server that refuses service greets with 554;
// that reply is the greeting even when the client spoke first.
func TestGreeting554AfterEarlyEHLO(t *testing.T) {
	var replies []Reply
	var anomalies []string
	c := NewConn(Options{}, SinkFunc(func(e *Event) {
		switch e.Kind {
		case EvReply:
			r := e.Reply
			r.Lines = append([]string(nil), r.Lines...)
			replies = append(replies, r)
		case EvAnomaly:
			anomalies = append(anomalies, e.Anomaly.Code)
		}
	}))
	pos := wire.Pos{Frame: 1}
	c.Feed(wire.ClientToServer, []byte("EHLO early\r\n"), pos)
	c.Feed(wire.ServerToClient, []byte("554 no service for you\r\n"), pos)
	c.Feed(wire.ServerToClient, []byte("100 not an SMTP reply\r\n"), pos)
	c.Feed(wire.ServerToClient, []byte("503 bad sequence\r\n"), pos)
	if len(replies) != 2 {
		t.Fatalf("replies %+v, want the 554 greeting and the 503", replies)
	}
	if !replies[0].Greeting || replies[0].CommandIndex != -1 || replies[0].Code != 554 {
		t.Errorf("first reply %+v, want the 554 greeting answering no command", replies[0])
	}
	if replies[1].Code != 503 || replies[1].CommandIndex != 0 {
		t.Errorf("second reply %+v, want 503 answering EHLO", replies[1])
	}
	if len(anomalies) != 1 || anomalies[0] != AnoBadReply {
		t.Errorf("anomalies %q, want one %s for the 1yz line (RFC 5321, Section 4.2.1)", anomalies, AnoBadReply)
	}
}
