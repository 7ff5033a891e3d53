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
	// RTT is the time between the SYN and the ACK completing the handshake.
	RTT time.Duration

	key         connKey
	aLow        bool // A is the key's low endpoint
	consumer    Consumer
	footprint   footprinter // the consumer, when it tells its size
	half        [2]halfState
	synAt       time.Time
	cost        int64 // bytes charged to the memory budget
	hsDone      bool
	done        bool // the consumer was closed
	ended       bool // both directions were reassembled to their end
	endingSet   bool // listed in Tracker.ending
	bufferedSet bool // listed in Tracker.buffered
	prev        *Conn
	next        *Conn
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
	started bool   // delivery started: nextSeq is meaningful
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
	// to tell a retransmission carrying other bytes (overlap.go); allocated
	// with the first payload.
	sigs *sigRing

	// The reassembler's state (reasm.go).
	asmStarted  bool   // asmNext is meaningful
	asmNext     uint32 // next sequence number to reassemble (a FIN counts one)
	closed      bool   // FIN or RST reassembled: nothing more is taken
	finSet      bool   // a FIN arrived ahead of the bytes before it
	finSeq      uint32 // where that FIN ends the stream
	first, last *page  // queued bytes, in sequence order
	pages       int
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

// footprinter is a consumer that tells how many bytes it holds, for the
// memory budget (Options.MaxMemory).
type footprinter interface {
	Footprint() int
}
