// Package flow reassembles TCP connections from decoded segments and numbers
// them exactly as tshark's tcp.stream does.
//
// It wraps gopacket's reassembly package (ARCHITECTURE.md, "gopacket facts"):
// one AssemblerContext per packet carries the frame number and capture time, so
// every reassembled byte knows the frame it arrived in; flushing is driven by
// capture time, never the wall clock; buffered pages are bounded per
// connection and in total. Connection identity is ours, not gopacket's: each
// TCP connection gets a stream number when its first packet is seen, and a
// SYN with a new initial sequence number on a finished 4-tuple starts a new
// stream (port reuse), as in Wireshark's packet-tcp.c.
//
// The consumer receives, per connection and in capture order, TCP events
// (SYN, SYN-ACK, the ACK completing the handshake, FIN, RST, retransmission,
// out-of-order, gap, mid-stream start) and data chunks, one chunk per frame
// that contributed bytes. The two directions are not ordered relative to
// each other beyond that: consumers order their timeline by frame.
//
// Implemented: RFC 9293 (TCP) sequence space, including wrap-around.
package flow
