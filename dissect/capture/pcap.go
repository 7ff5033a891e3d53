package capture

import (
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
	order   byteOrder
	fracMul int64 // nanoseconds per unit of the fractional timestamp
	recLen  int   // record header length
	link    layers.LinkType
}

// pcapMagic recognises the pcap magic numbers (draft-ietf-opsawg-pcap,
// Section 4: 0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds, written in
// the writer's byte order) and the modified format's 0xA1B2CD34.
func pcapMagic(m []byte) (pcapReader, bool) {
	p := pcapReader{fracMul: 1000, recLen: pcapRecordLen}
	// Read big-endian first: a big-endian file's magic starts 0xA1B2.
	var v uint32
	for _, big := range []bool{true, false} {
		if r := (byteOrder{big: big}).fields(m); !r.u32(&v) {
			return p, false
		}
		if v&0xffff0000 == 0xa1b20000 {
			p.order.big = big
			break
		}
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

// pcapHeader reads the 24-byte file header (draft-ietf-opsawg-pcap,
// Section 4): magic, major and minor version, two reserved words, snap
// length, link type.
func (f *File) pcapHeader() error {
	h, err := f.peek(pcapFileHeaderLen, 0, "file header")
	if err != nil {
		return err
	}
	p := &f.pcap
	r := p.order.fields(h)
	var major, minor uint16
	var snaplen, link uint32
	if !r.skip(4) || !r.u16(&major) || !r.u16(&minor) || !r.skip(8) || !r.u32(&snaplen) || !r.u32(&link) {
		return f.errorf(0, "file header too short")
	}
	// Section 4: version 2.4; libpcap rejects other major versions.
	if major != 2 {
		return f.errorf(0, "unsupported pcap version %d.%d", major, minor)
	}
	// Section 4: LinkType is the low 16 bits; the top bits may carry the
	// FCS length.
	p.link = layers.LinkType(link & 0xffff)
	f.skip(pcapFileHeaderLen)
	return nil
}

// nextPcap reads one packet record (draft-ietf-opsawg-pcap, Section 5):
// seconds, fraction, captured and original length (and, in the modified
// format, 8 more bytes), then the captured bytes.
func (f *File) nextPcap() error {
	p := &f.pcap
	hdr, err := f.br.Peek(p.recLen)
	if len(hdr) < p.recLen {
		if len(hdr) == 0 && err == io.EOF {
			return err
		}
		return f.shortRead(f.off, "record header", err)
	}
	r := p.order.fields(hdr)
	var incl uint32
	r.skip(8)
	r.u32(&incl)
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
	r = p.order.fields(rec)
	var sec, frac, orig uint32
	var data []byte
	if !r.u32(&sec) || !r.u32(&frac) || !r.u32(&incl) || !r.u32(&orig) || !r.skip(p.recLen-pcapRecordLen) ||
		!r.bytes(int(incl), &data) {
		return f.errorf(f.off, "record shorter than its header says")
	}
	f.number++
	f.frame = Frame{
		Number:   f.number,
		Time:     time.Unix(int64(sec), int64(frac)*p.fracMul).UTC(),
		LinkType: p.link,
		Data:     data,
		OrigLen:  int(orig),
		Offset:   f.off,
	}
	f.skip(n)
	return nil
}
