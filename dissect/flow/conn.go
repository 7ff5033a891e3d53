package flow

import (
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/reassembly"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Conn is one TCP connection. Its fields are read-only for consumers.
type Conn struct {
	// Stream is the 0-based connection number in order of first packet,
	// equal to tshark's tcp.stream.
	Stream int64
	// A is the initiator (SYN sender), or the sender of the first packet
	// seen when the handshake was not captured; B is the other side.
	// wire.ClientToServer means A to B.
	A, B netip.AddrPort
	// SYNSeen says A is known to be the initiator.
	SYNSeen bool
	// First is the first frame of the connection; Last the latest.
	First, Last wire.Pos
	// Packets counts frames of this connection; Bytes the TCP payload per
	// direction as captured (retransmissions included).
	Packets int64
	Bytes   [2]int64
	// RTT is the time between the SYN and the ACK completing the handshake.
	RTT time.Duration

	key       connKey
	consumer  Consumer
	half      [2]halfState
	synAckAt  time.Time
	synAt     time.Time
	hsDone    bool
	done      bool // the consumer was closed
	ended     bool // gopacket reassembled both directions to their end
	endingSet bool // listed in Tracker.ending
	prev      *Conn
	next      *Conn
}

// halfState is what the tracker knows of one direction.
type halfState struct {
	baseSet bool   // base holds the first sequence number seen (tshark's base_seq)
	base    uint32 // ISN for a SYN, else the first sequence number seen
	syn     bool
	fin     bool
	rst     bool
	maxSet  bool
	maxEnd  uint32 // highest sequence number end seen
	started bool   // delivery started: delivered is meaningful
	nextSeq uint32 // next byte the consumer expects
	midOnce bool
	// aheadSet and minAhead: the lowest sequence number of a segment that
	// arrived beyond nextSeq (a hole waits before it).
	aheadSet bool
	minAhead uint32
	aheadPos wire.Pos // the frame of that segment: where the gap shows
	// ackSet and peerAck: the highest acknowledgment the peer sent for
	// this direction.
	ackSet  bool
	peerAck uint32
	// sigs remembers the last segments' sequence ranges and content hashes,
	// to tell a retransmission carrying other bytes (overlap.go).
	sigs    [sigRing]segSig
	sigNext int
}

// connKey identifies a 4-tuple in one orientation.
type connKey struct {
	net              gopacket.Flow
	srcPort, dstPort uint16
}

func (k connKey) reverse() connKey {
	return connKey{net: k.net.Reverse(), srcPort: k.dstPort, dstPort: k.srcPort}
}

// endpointType tags the synthetic network flows handed to gopacket: one per
// stream number, so that a reused 4-tuple is a new gopacket connection.
const endpointType = gopacket.EndpointType(0x5357)

// asmFlow returns the network flow handed to gopacket for direction dir of c.
func (c *Conn) asmFlow(dir wire.Dir) gopacket.Flow {
	var a, b [9]byte
	s := uint64(c.Stream)
	for i := 0; i < 8; i++ {
		a[i] = byte(s >> (8 * i))
		b[i] = a[i]
	}
	b[8] = 1
	if dir == wire.ServerToClient {
		return gopacket.NewFlow(endpointType, b[:], a[:])
	}
	return gopacket.NewFlow(endpointType, a[:], b[:])
}

// asmContext is the AssemblerContext of one packet: it carries the frame
// number in CaptureInfo.InterfaceIndex so that ScatterGather.CaptureInfo
// tells the frame of every byte. Contexts are handed out from slabs, as
// buffered pages keep a pointer to theirs.
type asmContext struct {
	ci gopacket.CaptureInfo
}

func (c *asmContext) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

var _ reassembly.AssemblerContext = (*asmContext)(nil)

// slabSize is how many contexts are allocated at once.
const slabSize = 1024

type contextSlab struct {
	buf []asmContext
}

func (s *contextSlab) next(pos wire.Pos) *asmContext {
	if len(s.buf) == 0 {
		s.buf = make([]asmContext, slabSize)
	}
	c := &s.buf[0]
	s.buf = s.buf[1:]
	c.ci = gopacket.CaptureInfo{Timestamp: pos.Time, InterfaceIndex: int(pos.Frame)}
	return c
}

func posOf(ci gopacket.CaptureInfo) wire.Pos {
	return wire.Pos{Frame: int64(ci.InterfaceIndex), Time: ci.Timestamp}
}
