// Package mutate makes hostile variants of real captures for the mutation
// campaign (issue 12, deliver 1; `go run ./cmd/mutate`): byte errors,
// truncations, lies in header fields (pcap snaplen and caplen, pcapng
// block lengths, IPv4 IHL and total length, TCP data offset, TLS record and
// handshake lengths) and duplicated, reordered or dropped packets, after
// Wireshark's `editcap -E` and fuzzshark.
package mutate

import "encoding/binary"

// record is one pcap record or pcapng block of a capture.
type record struct {
	off, end int // the record's bytes: file[off:end]
	// caplen is the offset of the captured-length field (-1: none),
	// origlen that of the original length; data the offset of the packet.
	caplen, origlen, data int
	dataLen               int
	link                  uint32 // link type of the packet
	isPacket              bool
	blockLen              []int // pcapng: offsets of the two Block Total Length fields
}

// layout is what mutate knows of a capture's structure.
type layout struct {
	ng       bool
	order    binary.ByteOrder
	snaplen  []int // offsets of snaplen fields (pcap header, pcapng IDBs)
	records  []record
	headerAt int // end of the pcap file header (0 for pcapng)
}

// parse reads the record structure of a pcap or pcapng file as far as it
// is sound; a damaged tail is left out.
func parse(b []byte) layout {
	var l layout
	if len(b) < 24 {
		return l
	}
	switch {
	case b[0] == 0xd4 && b[1] == 0xc3 && b[2] == 0xb2 && b[3] == 0xa1, b[0] == 0x4d && b[1] == 0x3c && b[2] == 0xb2 && b[3] == 0xa1:
		l.order = binary.LittleEndian
	case b[0] == 0xa1 && b[1] == 0xb2 && b[2] == 0xc3 && (b[3] == 0xd4 || b[3] == 0x4d):
		l.order = binary.BigEndian
	case b[0] == 0x0a && b[1] == 0x0d && b[2] == 0x0d && b[3] == 0x0a:
		l.ng = true
		return parseNG(b, l)
	default:
		return l
	}
	link := l.order.Uint32(b[20:])
	l.snaplen = []int{16}
	l.headerAt = 24
	for off := 24; off+16 <= len(b); {
		incl := int(l.order.Uint32(b[off+8:]))
		end := off + 16 + incl
		if incl < 0 || end > len(b) || end < off {
			break
		}
		l.records = append(l.records, record{off: off, end: end, caplen: off + 8, origlen: off + 12, data: off + 16,
			dataLen: incl, link: link, isPacket: true})
		off = end
	}
	return l
}

func parseNG(b []byte, l layout) layout {
	var links []uint32
	for off := 0; off+12 <= len(b); {
		typ := binary.LittleEndian.Uint32(b[off:])
		if typ == 0x0a0d0d0a {
			if binary.LittleEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				l.order = binary.LittleEndian
			} else {
				l.order = binary.BigEndian
			}
			links = links[:0]
		}
		if l.order == nil {
			break
		}
		typ = l.order.Uint32(b[off:])
		n := int(l.order.Uint32(b[off+4:]))
		end := off + n
		if n < 12 || n%4 != 0 || end > len(b) {
			break
		}
		r := record{off: off, end: end, caplen: -1, origlen: -1, data: -1, blockLen: []int{off + 4, end - 4}}
		switch typ {
		case 1: // Interface Description Block: LinkType, Reserved, SnapLen
			if n >= 20 {
				links = append(links, uint32(l.order.Uint16(b[off+8:])))
				l.snaplen = append(l.snaplen, off+12)
			}
		case 6: // Enhanced Packet Block
			if n >= 32 {
				iface := int(l.order.Uint32(b[off+8:]))
				r.caplen, r.origlen, r.data = off+20, off+24, off+28
				r.dataLen = int(l.order.Uint32(b[off+20:]))
				if iface < len(links) {
					r.link = links[iface]
				}
				r.isPacket = r.data+r.dataLen <= end-4 && r.dataLen >= 0
			}
		case 3: // Simple Packet Block
			if n >= 16 {
				r.origlen, r.data = off+8, off+12
				r.dataLen = n - 16
				if len(links) > 0 {
					r.link = links[0]
				}
				r.isPacket = true
			}
		}
		l.records = append(l.records, r)
		off = end
	}
	return l
}

// fields locates the protocol fields of one packet: offsets into the
// file, -1 when absent.
type fields struct {
	ihl, ipLen, dataOff int // IPv4 version/IHL byte, total length; TCP data offset byte
	ip6Len              int // IPv6 payload length
	tlsLen, hsLen       int // TLS record length (2 bytes), handshake length (3 bytes)
	payload, payloadEnd int
	tcpSeq              int
}

// packetFields finds IP, TCP and TLS fields in the packet of r.
func packetFields(b []byte, r record) fields {
	f := fields{ihl: -1, ipLen: -1, dataOff: -1, ip6Len: -1, tlsLen: -1, hsLen: -1, payload: -1, tcpSeq: -1}
	if !r.isPacket || r.data < 0 {
		return f
	}
	p := r.data
	end := min(r.data+r.dataLen, len(b))
	ip := -1
	switch r.link {
	case 1: // Ethernet
		if p+14 <= end {
			et := int(b[p+12])<<8 | int(b[p+13])
			if et == 0x8100 && p+18 <= end {
				et, p = int(b[p+16])<<8|int(b[p+17]), p+4
			}
			if et == 0x0800 || et == 0x86dd {
				ip = p + 14
			}
		}
	case 0, 108: // BSD loopback
		ip = p + 4
	case 101, 228, 229: // raw IP
		ip = p
	case 113: // Linux cooked
		ip = p + 16
	}
	if ip < 0 || ip+20 > end {
		return f
	}
	tcp := -1
	switch b[ip] >> 4 {
	case 4:
		f.ihl, f.ipLen = ip, ip+2
		if b[ip+9] == 6 {
			tcp = ip + int(b[ip]&0xf)*4
		}
	case 6:
		if ip+40 <= end {
			f.ip6Len = ip + 4
			if b[ip+6] == 6 {
				tcp = ip + 40
			}
		}
	}
	if tcp < 0 || tcp+20 > end {
		return f
	}
	f.dataOff, f.tcpSeq = tcp+12, tcp+4
	pl := tcp + int(b[tcp+12]>>4)*4
	if pl > end {
		return f
	}
	f.payload, f.payloadEnd = pl, end
	if pl+5 <= end && b[pl] >= 20 && b[pl] <= 24 && b[pl+1] == 3 {
		f.tlsLen = pl + 3
		if b[pl] == 22 && pl+9 <= end {
			f.hsLen = pl + 6
		}
	}
	return f
}
