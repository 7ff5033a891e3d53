package flow

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
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
// ReassembledSG reports them as a gap there.
func (t *Tracker) fillAckedHoles(c *Conn) {
	for d := wire.ClientToServer; d <= wire.ServerToClient; d++ {
		h := &c.half[d]
		for !c.done && c.consumer != nil && h.started && h.aheadSet && h.ackSet &&
			seqDiff(h.minAhead, h.nextSeq) > 0 && seqDiff(h.peerAck, h.minAhead) >= 0 {
			n := int(seqDiff(h.minAhead, h.nextSeq))
			if n > maxFill {
				n = maxFill
			}
			src, dst := c.A.Port(), c.B.Port()
			if d == wire.ServerToClient {
				src, dst = dst, src
			}
			tcp, ok := t.fillSegment(src, dst, h.nextSeq, n)
			if !ok {
				break
			}
			ctx := t.slab.next(wire.Pos{Frame: -h.aheadPos.Frame, Time: h.aheadPos.Time})
			before := h.nextSeq
			t.asm.AssembleWithContext(c.asmFlow(d), tcp, ctx)
			if h.nextSeq == before {
				break // not taken: leave it to the gap timeout
			}
		}
	}
}

// fillSegment builds the synthetic segment: a real 20-byte TCP header
// decoded by gopacket (its flow needs the ports it decoded) and n zero bytes.
func (t *Tracker) fillSegment(src, dst uint16, seq uint32, n int) (*layers.TCP, bool) {
	if t.zeros == nil {
		t.zeros = make([]byte, tcpHeaderLen+maxFill)
	}
	h := t.zeros[:tcpHeaderLen]
	binary.BigEndian.PutUint16(h[0:], src)
	binary.BigEndian.PutUint16(h[2:], dst)
	binary.BigEndian.PutUint32(h[4:], seq)
	binary.BigEndian.PutUint32(h[8:], 0)
	h[12] = 5 << 4 // data offset: 5 words, RFC 9293, Section 3.1
	h[13] = 0      // no flags: not even ACK, so nothing is acknowledged
	if err := t.fill.DecodeFromBytes(t.zeros[:tcpHeaderLen+n], gopacket.NilDecodeFeedback); err != nil {
		return nil, false
	}
	return &t.fill, true
}

// tcpHeaderLen is the length of a TCP header without options.
const tcpHeaderLen = 20
