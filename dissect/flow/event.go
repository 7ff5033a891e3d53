package flow

import "github.com/smtpscope/smtpscope/dissect/wire"

// EventKind is a TCP-level event.
type EventKind uint8

// TCP events, in the order they usually happen.
const (
	EvSYN            EventKind = iota + 1 // SYN without ACK
	EvSYNACK                              // SYN with ACK
	EvHandshakeACK                        // first ACK of the initiator after SYN-ACK
	EvMidStream                           // first packet of a direction was not a SYN: the capture joined late
	EvRetransmission                      // payload already seen
	EvOutOfOrder                          // payload that fills a hole, arriving after later bytes
	EvGap                                 // bytes missing from the capture (Bytes says how many)
	EvFIN
	EvRST
	EvOverlapConflict // a segment repeated a range of the stream with other bytes
	EvCut             // the snap length cut Bytes of a segment's payload (Snap: the bytes captured of its frame)
)

// String names the event as the timeline shows it.
func (k EventKind) String() string {
	switch k {
	case EvSYN:
		return "SYN"
	case EvSYNACK:
		return "SYN-ACK"
	case EvHandshakeACK:
		return "ACK"
	case EvMidStream:
		return "mid-stream"
	case EvRetransmission:
		return "retransmission"
	case EvOutOfOrder:
		return "out-of-order"
	case EvGap:
		return "gap"
	case EvFIN:
		return "FIN"
	case EvRST:
		return "RST"
	case EvOverlapConflict:
		return "overlap-conflict"
	case EvCut:
		return "cut"
	}
	return "unknown"
}

// Event is one TCP event of a connection.
type Event struct {
	Kind  EventKind
	Dir   wire.Dir
	Pos   wire.Pos
	Bytes int // payload length (retransmission, out-of-order) or missing bytes (gap, cut)
	Snap  int // EvCut: the bytes of the frame the capture kept (its snap length)
}

// Consumer receives what happens on one connection. Calls come in capture
// order; data is delivered in sequence order once contiguous.
type Consumer interface {
	// TCP reports a TCP event.
	TCP(e Event)
	// Data delivers reassembled bytes that arrived in the frame at pos.
	// data is only valid during the call.
	Data(dir wire.Dir, data []byte, pos wire.Pos)
	// Close ends the connection: FIN or RST seen both ways, idle timeout,
	// eviction, or the end of the capture.
	Close(pos wire.Pos)
}

// Handler is told about every new connection; it returns the consumer for
// its data, or nil to ignore the connection (it is still numbered).
type Handler interface {
	Open(c *Conn) Consumer
}
