package capture

import (
	"encoding/binary"
	"io"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// pcap file layout (draft-ietf-opsawg-pcap, Sections 4 and 5).
const (
	pcapFileHeaderLen = 24
	pcapRecordLen     = 16
	// pcapModifiedRecordLen is the record header of Alexey Kuznetzov's
	// "modified" libpcap format (magic 0xa1b2cd34): 8 more bytes (ifindex,
	// protocol, packet type, padding), as read by libpcap and tshark.
	pcapModifiedRecordLen = 24
)

// pcapReader is the state of a pcap file: byte order, timestamp unit and
// the single link type.
type pcapReader struct {
	big     bool  // big-endian header fields
	fracMul int64 // nanoseconds per unit of the fractional timestamp
	recLen  int   // record header length
	link    layers.LinkType
}

// u32 reads a header field in the file's byte order.
func (p *pcapReader) u32(b []byte) uint32 {
	if p.big {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// u16 reads a header field in the file's byte order.
func (p *pcapReader) u16(b []byte) uint16 {
	if p.big {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

// pcapMagic recognises the pcap magic numbers (draft-ietf-opsawg-pcap,
// Section 4: 0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds, written in
// the writer's byte order) and the modified format's 0xA1B2CD34.
func pcapMagic(m []byte) (pcapReader, bool) {
	p := pcapReader{fracMul: 1000, recLen: pcapRecordLen}
	v := binary.BigEndian.Uint32(m)
	if v&0xffff0000 != 0xa1b20000 {
		p.big = false
		v = binary.LittleEndian.Uint32(m)
	} else {
		p.big = true
	}
	switch v {
	case 0xa1b2c3d4:
	case 0xa1b23c4d:
		p.fracMul = 1
	case 0xa1b2cd34:
		p.recLen = pcapModifiedRecordLen
	default:
		return p, false
	}
	return p, true
}

// pcapHeader reads the 24-byte file header.
func (f *File) pcapHeader() error {
	h, err := f.peek(pcapFileHeaderLen, 0, "file header")
	if err != nil {
		return err
	}
	p := &f.pcap
	// draft-ietf-opsawg-pcap, Section 4: version 2.4; libpcap rejects other
	// major versions.
	if major := p.u16(h[4:]); major != 2 {
		return f.errorf(0, "unsupported pcap version %d.%d", major, p.u16(h[6:]))
	}
	// draft-ietf-opsawg-pcap, Section 4: LinkType is the low 16 bits; the
	// top bits may carry the FCS length.
	p.link = layers.LinkType(p.u32(h[20:]) & 0xffff)
	f.skip(pcapFileHeaderLen)
	return nil
}

// nextPcap reads one packet record (draft-ietf-opsawg-pcap, Section 5).
func (f *File) nextPcap() error {
	p := &f.pcap
	hdr, err := f.br.Peek(p.recLen)
	if len(hdr) < p.recLen {
		if len(hdr) == 0 && err == io.EOF {
			return err
		}
		return f.shortRead(f.off, "record header", err)
	}
	incl, orig := p.u32(hdr[8:]), p.u32(hdr[12:])
	if uint64(incl) > uint64(f.maxRec) {
		return f.errorf(f.off, "record claims %d bytes, limit %d", incl, f.maxRec)
	}
	n := p.recLen + int(incl)
	rec, err := f.peek(n, f.off, "record data")
	if err != nil {
		return err
	}
	// The second Peek may have moved the buffer: read the header again
	// from rec, never from hdr.
	sec, frac := p.u32(rec[0:]), p.u32(rec[4:])
	f.number++
	f.frame = Frame{
		Number:   f.number,
		Time:     time.Unix(int64(sec), int64(frac)*p.fracMul).UTC(),
		LinkType: p.link,
		Data:     rec[p.recLen:n:n],
		OrigLen:  int(orig),
		Offset:   f.off,
	}
	f.skip(n)
	return nil
}
