package flow

import (
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// maxFill is the largest piece of a hole filled at once.
const maxFill = 64 << 10

// fillAckedHoles declares holes that can never be filled. When the peer
// acknowledged bytes that the capture lacks (Wireshark's "ACKed unseen
// segment"), the receiver got them and no retransmission will come
// (RFC 9293, Section 3.4): the capture lost them. Waiting for GapTimeout
// would hold this direction's later bytes back while the other direction
// goes on, and SMTP replies would be read before the commands they answer.
// The hole is filled with synthetic bytes whose context is marked (a
// negative frame number: that of the first segment after the hole), and
// deliver reports them as a gap there.
func (t *Tracker) fillAckedHoles(c *Conn) {
	for d := wire.ClientToServer; d <= wire.ServerToClient; d++ {
		h := &c.half[d]
		for !c.done && c.consumer != nil && h.started && h.aheadSet && h.ackSet &&
			seqDiff(h.minAhead, h.nextSeq) > 0 && seqDiff(h.peerAck, h.minAhead) >= 0 {
			n := int(seqDiff(h.minAhead, h.nextSeq))
			if n > maxFill {
				n = maxFill
			}
			if t.zeros == nil {
				t.zeros = make([]byte, maxFill)
			}
			t.fill = layers.TCP{Seq: h.nextSeq}
			t.fill.Payload = t.zeros[:n]
			before := h.nextSeq
			t.assemble(c, d, &t.fill, wire.Pos{Frame: -h.aheadPos.Frame, Time: h.aheadPos.Time})
			if h.nextSeq == before {
				break // not taken: leave it to the gap timeout
			}
		}
	}
}
