// Package bpf compiles the small subset of the pcap-filter language that
// smtpscope needs for live capture into classic BPF (for the kernel's
// SO_ATTACH_FILTER) and into the same predicate as a Go function, used to
// re-check every packet in user space.
//
// The language (pcap-filter(7)):
//
//	expr      = and { ("or" | "||") and }
//	and       = unary { ("and" | "&&") unary }
//	unary     = ("not" | "!") unary | "(" expr ")" | primitive
//	primitive = "tcp" [ qualified-port ] | [ "tcp" ] [ dir ] ( "port" N | "portrange" A-B )
//	          | [ dir ] ( "host" ADDR | "net" CIDR )
//	dir       = "src" | "dst" | "src or dst" | "src and dst"
//
// Packets are Ethernet frames (DLT_EN10MB; Linux's lo is Ethernet-framed),
// optionally with one IEEE 802.1Q VLAN tag. "tcp" is IPv4 protocol 6 or an
// IPv6 next header of 6 directly after the fixed header (RFC 8200, Section
// 4: extension headers are not walked, so such packets do not match).
// "port" alone means a TCP, UDP or SCTP port, as in pcap-filter; "tcp port"
// only TCP. IPv4 port tests skip non-first fragments (RFC 791, Section 3.1:
// only the fragment at offset 0 carries the transport header). "host" and
// "net" match IPv4 or IPv6 addresses by the family of the literal; host
// names are not resolved, and ARP/RARP are never matched.
//
// Anything outside this subset is an error naming the word and its 1-based
// position; nothing is silently widened.
//
// Both forms have classic BPF's semantics for short packets: a load past
// the end of the frame rejects the packet, whatever the rest of the
// expression says.
package bpf
