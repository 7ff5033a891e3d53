package main

import (
	"net/netip"
	"sort"
	"time"
)

// Timing of the simulated path, as seen at the capture point (the server).
const (
	synAckDelay    = 40 * time.Microsecond   // SYN in, SYN-ACK out
	serverAckDelay = 10 * time.Microsecond   // data in, pure ACK out
	backToBack     = 30 * time.Microsecond   // two writes of one side in a row
	perSegment     = 12 * time.Microsecond   // serialisation of one full segment
	serverThink    = 250 * time.Microsecond  // SMTP reply after a command
	serverTLSThink = 1200 * time.Microsecond // TLS flight after a TLS flight
	clientThink    = 400 * time.Microsecond  // next command after a reply
	clientTLSThink = 1500 * time.Microsecond // TLS flight after a TLS flight
	rto            = 200 * time.Millisecond  // retransmission timeout (RFC 6298, Section 2.4 minimum is 1 s; Linux uses 200 ms)
	tcpWindow      = 65535                   // no window scaling option is sent
)

// host is one end of a connection as the capture sees it.
type host struct {
	mac  [6]byte
	addr netip.AddrPort
	isn  uint32 // initial sequence number
	ttl  uint8  // IPv4 TTL or IPv6 hop limit as captured at the server
	ipID uint16 // IPv4 identification of the first packet
}

// link is the network path of one connection.
type link struct {
	client, server host
	mss            int           // MSS announced by both sides and used to segment
	start          time.Time     // time of the SYN at the capture point
	rtt            time.Duration // round-trip time between capture point and client
	// lose says whether server write i (an index into the events) is lost
	// past the capture point: it is captured twice, the second time as a
	// retransmission after rto, and the client answers only after that.
	lose func(evs []event, i int) bool
}

// packet is one TCP segment before serialisation.
type packet struct {
	t                  time.Time
	dir                dir
	syn, ack, fin, psh bool
	seq, ackNum        uint32
	mss                uint16 // MSS option when non-zero (SYN, SYN-ACK)
	ipID               uint16
	payload            []byte
	ev                 int // index of the event carrying payload or FIN; -1 otherwise
	seg                int // index of the segment within the event
	retrans            bool
}

// think returns the delay between receiving the other side's last write and
// sending ev: TLS handshake flights take longer than SMTP lines.
func think(ev event) time.Duration {
	tlsFlight := len(ev.data) > 0 && ev.data[0] == 0x16 // RFC 8446, Section 5.1: ContentType handshake(22)
	switch {
	case ev.dir == c2s && tlsFlight:
		return clientTLSThink
	case ev.dir == c2s:
		return clientThink
	case tlsFlight:
		return serverTLSThink
	}
	return serverThink
}

// packetize turns a recorded conversation into TCP segments with
// deterministic times, sequence numbers and acknowledgements, sorted by
// capture time: three-way handshake with MSS (RFC 9293, Section 3.5), data
// at MSS with PSH on each write's last segment, pure ACKs where no data
// carries them, FIN from each side (RFC 9293, Section 3.6).
func packetize(l link, evs []event) []packet {
	var out []packet
	seq := [2]uint32{l.client.isn, l.server.isn} // next sequence number per sender
	ipID := [2]uint16{l.client.ipID, l.server.ipID}
	emit := func(p packet) {
		p.ipID = ipID[p.dir]
		ipID[p.dir]++
		out = append(out, p)
	}
	t := l.start
	emit(packet{t: t, dir: c2s, syn: true, seq: seq[c2s], mss: uint16(l.mss), ev: -1})
	seq[c2s]++
	t = t.Add(synAckDelay)
	emit(packet{t: t, dir: s2c, syn: true, ack: true, seq: seq[s2c], ackNum: seq[c2s], mss: uint16(l.mss), ev: -1})
	seq[s2c]++
	t = t.Add(l.rtt)
	emit(packet{t: t, dir: c2s, ack: true, seq: seq[c2s], ackNum: seq[s2c], ev: -1})

	prevDir, prevT := c2s, t
	for i, ev := range evs {
		peer := ev.dir ^ 1
		switch {
		case ev.dir == prevDir:
			t = prevT.Add(backToBack)
		case ev.dir == c2s:
			t = prevT.Add(l.rtt + think(ev)) // the reply reaches the client, which answers
		default:
			t = prevT.Add(think(ev))
		}
		first := seq[ev.dir]
		send := func(at time.Time, retrans bool) time.Time {
			s := first
			if ev.fin {
				emit(packet{t: at, dir: ev.dir, fin: true, ack: true, seq: s, ackNum: seq[peer], ev: i, retrans: retrans})
				return at
			}
			for k, off := 0, 0; off < len(ev.data); k, off = k+1, off+l.mss {
				n := min(l.mss, len(ev.data)-off)
				if k > 0 {
					at = at.Add(perSegment)
				}
				emit(packet{t: at, dir: ev.dir, ack: true, psh: off+n == len(ev.data), seq: s, ackNum: seq[peer],
					payload: ev.data[off : off+n], ev: i, seg: k, retrans: retrans})
				s += uint32(n)
			}
			return at
		}
		last := send(t, false)
		if ev.dir == s2c && l.lose != nil && l.lose(evs, i) {
			last = send(last.Add(rto), true) // RFC 6298, Section 5.4: retransmit the earliest unacknowledged segment
		}
		if ev.fin {
			seq[ev.dir]++ // RFC 9293, Section 3.4: FIN occupies one sequence number
		} else {
			seq[ev.dir] += uint32(len(ev.data))
		}
		prevDir, prevT = ev.dir, last
		if i+1 < len(evs) && evs[i+1].dir != ev.dir {
			continue // the peer's next write carries the ACK
		}
		at := last.Add(serverAckDelay)
		if peer == c2s {
			at = last.Add(l.rtt)
		}
		emit(packet{t: at, dir: peer, ack: true, seq: seq[peer], ackNum: seq[ev.dir], ev: -1})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].t.Before(out[b].t) })
	return out
}
