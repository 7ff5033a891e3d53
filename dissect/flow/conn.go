package flow

import (
	"net/netip"
	"time"

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
	// DirPackets counts frames per direction; IPBytes their IP lengths
	// (headers included, as the IP header gives them) per direction.
	DirPackets [2]int64
	IPBytes    [2]int64
	// RTT is the time between the SYN and the ACK completing the handshake.
	RTT time.Duration

	consumer  Consumer
	half      [2]halfState
	synAt     time.Duration // when the SYN came, after First
	prev      *Conn
	next      *Conn
	cost      int64 // bytes charged to the memory budget
	aLow      bool  // A is the key's low endpoint
	v6        bool  // the key holds IPv6 addresses
	hsDone    bool
	done      bool // the consumer was closed
	ended     bool // both directions were reassembled to their end
	endingSet bool // listed in Tracker.ending
	// bufferedSet says the connection is listed in Tracker.buffered.
	bufferedSet bool
}

// halfState is what the tracker knows of one direction.
type halfState struct {
	// aheadPos is the frame of the lowest segment that arrived beyond
	// nextSeq (a hole waits before it): where the gap shows.
	aheadPos wire.Pos
	// sigs remembers the last segments' sequence ranges and content hashes,
	// to tell a retransmission carrying other bytes (overlap.go); allocated
	// with the first payload.
	sigs *sigRing
	// first and last are the reassembler's queued bytes, in sequence order
	// (reasm.go), pages how many pages they take.
	first, last *page
	pages       int32

	base     uint32 // ISN for a SYN, else the first sequence number seen
	maxEnd   uint32 // highest sequence number end seen
	nextSeq  uint32 // next byte the consumer expects
	minAhead uint32 // the lowest sequence number of a segment beyond nextSeq
	peerAck  uint32 // the highest acknowledgment the peer sent for this direction
	asmNext  uint32 // next sequence number to reassemble (a FIN counts one)
	finSeq   uint32 // where a FIN that arrived ahead of its bytes ends the stream

	baseSet    bool // base holds the first sequence number seen (tshark's base_seq)
	syn        bool
	fin        bool
	rst        bool
	maxSet     bool
	started    bool // delivery started: nextSeq is meaningful
	midOnce    bool
	aheadSet   bool // minAhead and aheadPos are meaningful
	ackSet     bool // peerAck is meaningful
	asmStarted bool // asmNext is meaningful
	closed     bool // FIN or RST reassembled: nothing more is taken
	finSet     bool // finSeq is meaningful
}

// connKey identifies a 4-tuple whatever the direction: the endpoints in a
// fixed order (the lower address and port first).
type connKey struct {
	lo, hi   [16]byte
	loP, hiP uint16
	v6       bool
}

// makeKey returns the key of a segment from src to dst and whether src is
// the key's low endpoint.
func makeKey(src, dst []byte, sp, dp uint16) (connKey, bool) {
	var k connKey
	k.v6 = len(src) == 16
	var a, b [16]byte
	copy(a[:], src)
	copy(b[:], dst)
	low := true
	if c := compare16(a, b); c > 0 || (c == 0 && sp > dp) {
		low = false
	}
	if low {
		k.lo, k.hi, k.loP, k.hiP = a, b, sp, dp
	} else {
		k.lo, k.hi, k.loP, k.hiP = b, a, dp, sp
	}
	return k, low
}

// compare16 compares two addresses bytewise.
func compare16(a, b [16]byte) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// keyOf returns the key c is tracked under.
func keyOf(c *Conn) connKey {
	a, b := c.A.Addr(), c.B.Addr()
	var k connKey
	var sa, sb [16]byte
	if c.v6 {
		sa, sb = a.As16(), b.As16()
	} else {
		a4, b4 := a.As4(), b.As4()
		copy(sa[:], a4[:])
		copy(sb[:], b4[:])
	}
	k.v6 = c.v6
	if c.aLow {
		k.lo, k.hi, k.loP, k.hiP = sa, sb, c.A.Port(), c.B.Port()
	} else {
		k.lo, k.hi, k.loP, k.hiP = sb, sa, c.B.Port(), c.A.Port()
	}
	return k
}

// footprinter is a consumer that tells how many bytes it holds, for the
// memory budget (Options.MaxMemory).
type footprinter interface {
	Footprint() int
}
