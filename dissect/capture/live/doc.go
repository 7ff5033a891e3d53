// Package live captures packets from a network interface without libpcap:
// a Linux AF_PACKET socket (packet(7)) opened with golang.org/x/sys/unix,
// with the capture filter compiled by dissect/bpf attached in the kernel
// (SO_ATTACH_FILTER) and re-checked in Go on every packet.
//
// A Source implements the engine's source interface (Next, BytesRead,
// Size) and returns Ethernet frames numbered from 1. On a loopback
// interface the kernel hands every packet to packet sockets twice, once
// outgoing and once incoming; the outgoing copy (sll_pkttype
// PACKET_OUTGOING) is skipped, so each packet is seen exactly once.
//
// Opening needs CAP_NET_RAW; once the socket is open, DropPrivileges gives
// up root (or the capability) before anything captured is parsed.
package live
