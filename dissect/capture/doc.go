// Package capture reads packet capture files and decodes each frame down to
// TCP, fast and safely.
//
// A File reads pcap and pcapng (optionally gzip-compressed, or from stdin)
// and returns one Frame per packet record, numbered as tshark numbers them.
// Frame data is zero-copy: it points into the reader's buffer and is valid
// only until the next call to Next. A Decoder turns a Frame into a TCP
// Segment (link layer, IPv4 with fragment reassembly, IPv6 with extension
// headers, TCP), reusing preallocated layers so that no allocation happens
// per packet on the common path.
//
// Implemented specifications:
//   - pcap: draft-ietf-opsawg-pcap (the libpcap file format), all four magic
//     numbers (microsecond and nanosecond, both byte orders).
//   - pcapng: draft-ietf-opsawg-pcapng (SHB, IDB, EPB, SPB, the obsolete
//     Packet Block, Decryption Secrets Block; other blocks are skipped).
//   - link types: LINKTYPE registry (tcpdump.org/linktypes.html): Ethernet,
//     IEEE 802.1Q and 802.1ad tags, Linux SLL and SLL2, BSD NULL and LOOP,
//     raw IPv4/IPv6.
//   - RFC 791 (IPv4, fragment reassembly), RFC 8200 (IPv6, extension
//     headers), RFC 9293 (TCP).
//   - RFC 1952 (gzip) through compress/gzip.
//
// Every limit (record size, pending fragments) is enforced before memory is
// allocated and every hit is counted or reported, never silent.
package capture
