package flow

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// factory creates the gopacket stream of the connection being assembled.
type factory struct{ t *Tracker }

func (f factory) New(_, _ gopacket.Flow, _ *layers.TCP, _ reassembly.AssemblerContext) reassembly.Stream {
	c := f.t.opening
	if c == nil || c.done || c.ended {
		return nil // packets after the end are counted, not reassembled again
	}
	return &stream{t: f.t, c: c, first: f.t.openingDir}
}

// stream adapts gopacket's reassembly.Stream to a Consumer.
type stream struct {
	t     *Tracker
	c     *Conn
	first wire.Dir // direction of the packet that created the gopacket connection
}

// dirOf maps gopacket's direction (the first packet's sender is its
// "client") to ours: the first packet of a gopacket connection is always
// the one that created it, whose direction relative to A is known.
func (s *stream) dirOf(d reassembly.TCPFlowDirection) wire.Dir {
	if d == reassembly.TCPDirClientToServer {
		return s.first
	}
	return s.first.Reverse()
}

func (s *stream) Accept(tcp *layers.TCP, ci gopacket.CaptureInfo, dir reassembly.TCPFlowDirection, nextSeq reassembly.Sequence, start *bool, _ reassembly.AssemblerContext) bool {
	if s.c.done {
		return false
	}
	d := s.dirOf(dir)
	h := &s.c.half[d]
	if nextSeq == invalidSequence && !h.started {
		if tcp.SYN {
			h.started, h.nextSeq = true, tcp.Seq+1
			return true
		}
		if len(tcp.Payload) == 0 && !tcp.FIN && !tcp.RST {
			return true
		}
		// Data without a SYN first: the capture joined an established
		// connection (or lost the SYN). Start here.
		*start = true
		h.started, h.nextSeq = true, tcp.Seq
		if !h.midOnce {
			h.midOnce = true
			s.c.consumer.TCP(Event{Kind: EvMidStream, Dir: d, Pos: posOf(ci)})
		}
	}
	return true
}

func (s *stream) ReassembledSG(sg reassembly.ScatterGather, _ reassembly.AssemblerContext) {
	if s.c.done {
		return
	}
	gd, _, _, skip := sg.Info()
	d := s.dirOf(gd)
	h := &s.c.half[d]
	length, _ := sg.Lengths()
	if skip > 0 {
		if !s.t.flushing {
			// gopacket skipped a hole outside a flush: its page limits
			// (MaxBufferedPerConn/Total) forced the oldest bytes out.
			s.t.stats.BufferLimitHits++
		}
		s.t.stats.GapBytes += int64(skip)
		h.nextSeq += uint32(skip)
		s.c.consumer.TCP(Event{Kind: EvGap, Dir: d, Pos: posOf(sg.CaptureInfo(0)), Bytes: skip})
	}
	if length == 0 {
		return
	}
	data := sg.Fetch(length)
	h.nextSeq += uint32(length)
	if h.aheadSet && seqDiff(h.nextSeq, h.minAhead) >= 0 {
		h.aheadSet = false
	}
	// Deliver one chunk per frame: the bytes of one packet (possibly cut
	// into several pages) are contiguous in the scatter-gather. Bytes of a
	// filled hole (fill.go) carry a negative frame and are a gap.
	for off := 0; off < length && !s.c.done; {
		ci := sg.CaptureInfo(off)
		end := runEnd(sg, off, length, ci.InterfaceIndex)
		if ci.InterfaceIndex < 0 {
			s.t.stats.GapBytes += int64(end - off)
			pos := posOf(ci)
			pos.Frame = -pos.Frame
			s.c.consumer.TCP(Event{Kind: EvGap, Dir: d, Pos: pos, Bytes: end - off})
		} else {
			s.c.consumer.Data(d, data[off:end], posOf(ci))
		}
		off = end
	}
}

// runEnd returns the end of the run of bytes starting at off that came from
// the same frame, by binary search (runs are contiguous).
func runEnd(sg reassembly.ScatterGather, off, length, frame int) int {
	if sg.CaptureInfo(length-1).InterfaceIndex == frame {
		return length
	}
	lo, hi := off+1, length-1 // answer in [lo, hi]
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if sg.CaptureInfo(mid).InterfaceIndex == frame {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// ReassemblyComplete is told that both directions ended. The consumer is
// not closed yet: the last ACK and any late segment still belong to the
// connection (tshark counts them in its frames), so the tracker closes it
// GapTimeout after its last packet, or at the end of the capture.
func (s *stream) ReassemblyComplete(_ reassembly.AssemblerContext) bool {
	s.c.ended = true
	if !s.c.endingSet {
		s.c.endingSet = true
		s.t.ending = append(s.t.ending, s.c)
	}
	return true
}

// invalidSequence is gopacket's "no sequence number yet".
const invalidSequence = reassembly.Sequence(-1)
