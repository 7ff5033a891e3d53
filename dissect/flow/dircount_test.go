package flow

import (
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

type keepConn struct{ c *Conn }

func (k *keepConn) Open(c *Conn) Consumer { k.c = c; return nil }

// Frames and IP lengths are counted per direction, the initiator's first.
func TestPacketsAndIPBytesPerDirection(t *testing.T) {
	k := &keepConn{}
	tr := NewTracker(Options{}, k)
	at := wire.Pos{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c2s := gopacket.NewFlow(layers.EndpointIPv4, cli, srv)
	s2c := gopacket.NewFlow(layers.EndpointIPv4, srv, cli)
	tr.PacketIP(c2s, decodeTCP(t, 40000, 25, 100, 0, "S", ""), 60, at)
	tr.PacketIP(s2c, decodeTCP(t, 25, 40000, 500, 101, "SA", ""), 60, at)
	tr.PacketIP(c2s, decodeTCP(t, 40000, 25, 101, 501, "A", ""), 52, at)
	tr.PacketIP(s2c, decodeTCP(t, 25, 40000, 501, 101, "A", "220 hi\r\n"), 60, at)
	tr.PacketIP(s2c, decodeTCP(t, 25, 40000, 509, 101, "FA", ""), 52, at)
	if k.c == nil {
		t.Fatal("no connection opened")
	}
	if got := k.c.DirPackets; got != [2]int64{2, 3} {
		t.Errorf("DirPackets %v, want [2 3]", got)
	}
	if got := k.c.IPBytes; got != [2]int64{112, 172} {
		t.Errorf("IPBytes %v, want [112 172]", got)
	}
	if k.c.Packets != 5 {
		t.Errorf("Packets %d, want 5", k.c.Packets)
	}
}
