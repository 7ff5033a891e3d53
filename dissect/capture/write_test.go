package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// This file writes captures for the tests: small helpers that produce
// pcap and pcapng bytes exactly as the specifications lay them out, and
// record what a reader must return.

// wantFrame is a frame a reader must return.
type wantFrame struct {
	Number    int64
	Time      time.Time
	LinkType  layers.LinkType
	Data      []byte
	OrigLen   int
	Offset    int64
	Interface int
}

// block is a record or block of a written capture: where it starts and
// ends, and whether it is a packet.
type block struct {
	off, end int
	packet   bool
}

// capWriter accumulates a capture and what reading it must give.
type capWriter struct {
	big    bool
	b      []byte
	frames []wantFrame
	blocks []block
	ifaces []layers.LinkType // pcapng: global interface link types
	local  []int             // pcapng: global index of each interface of the section
	num    int64             // frame numbers used
}

func (w *capWriter) order() binary.AppendByteOrder {
	if w.big {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

func (w *capWriter) u16(v uint16) { w.b = w.order().AppendUint16(w.b, v) }
func (w *capWriter) u32(v uint32) { w.b = w.order().AppendUint32(w.b, v) }

// pcapHeader starts a pcap file with the given magic.
func newPcap(big bool, magic uint32, link layers.LinkType) *capWriter {
	w := &capWriter{big: big}
	w.u32(magic)
	w.u16(2)
	w.u16(4)
	w.u32(0)
	w.u32(0)
	w.u32(262144)
	w.u32(uint32(link))
	w.ifaces = []layers.LinkType{link}
	return w
}

// record appends a pcap record; frac is in the file's unit.
func (w *capWriter) record(sec, frac uint32, t time.Time, data []byte, orig int) {
	off := len(w.b)
	w.u32(sec)
	w.u32(frac)
	w.u32(uint32(len(data)))
	w.u32(uint32(orig))
	w.b = append(w.b, data...)
	w.frames = append(w.frames, wantFrame{Number: w.next(), Time: t, LinkType: w.ifaces[0], Data: data, OrigLen: orig, Offset: int64(off)})
	w.blocks = append(w.blocks, block{off: off, end: len(w.b), packet: true})
}

// ngBlock appends a pcapng block with body padded to 32 bits.
func (w *capWriter) ngBlock(typ uint32, body []byte, packet bool) {
	off := len(w.b)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n := uint32(12 + len(body))
	w.u32(typ)
	w.u32(n)
	w.b = append(w.b, body...)
	w.u32(n)
	w.blocks = append(w.blocks, block{off: off, end: len(w.b), packet: packet})
}

// field helpers building a block body in the section's byte order.
func (w *capWriter) f16(b []byte, v uint16) []byte { return w.order().AppendUint16(b, v) }
func (w *capWriter) f32(b []byte, v uint32) []byte { return w.order().AppendUint32(b, v) }
func (w *capWriter) f64(b []byte, v uint64) []byte { return w.order().AppendUint64(b, v) }

// shb starts a section.
func (w *capWriter) shb(big bool) {
	w.big = big
	var body []byte
	body = w.f32(body, 0x1a2b3c4d)
	body = w.f16(body, 1)
	body = w.f16(body, 0)
	body = w.f64(body, ^uint64(0))
	body = w.opt(body, 4, []byte("smtpscope test")) // shb_userappl
	body = w.f32(body, 0)                           // opt_endofopt
	w.ngBlock(blockSHB, body, false)
	w.local = nil
}

// opt appends an option, padded.
func (w *capWriter) opt(b []byte, code uint16, val []byte) []byte {
	b = w.f16(b, code)
	b = w.f16(b, uint16(len(val)))
	b = append(b, val...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// idb adds an interface; tsresol < 0 means no option, tsoffset 0 none.
func (w *capWriter) idb(link layers.LinkType, snaplen uint32, tsresol int, tsoffset int64) {
	var body []byte
	body = w.f16(body, uint16(link))
	body = w.f16(body, 0)
	body = w.f32(body, snaplen)
	body = w.opt(body, 2, []byte("eth0")) // if_name
	if tsresol >= 0 {
		body = w.opt(body, optTSResol, []byte{byte(tsresol)})
	}
	if tsoffset != 0 {
		body = w.opt(body, optTSOffset, w.f64(nil, uint64(tsoffset)))
	}
	body = w.f32(body, 0)
	w.ngBlock(blockIDB, body, false)
	w.local = append(w.local, len(w.ifaces))
	w.ifaces = append(w.ifaces, link)
}

// epb adds an Enhanced Packet Block (typ blockEPB) or obsolete Packet
// Block (blockOPB) with a comment option.
func (w *capWriter) epb(typ uint32, iface int, ts uint64, t time.Time, data []byte, orig int) {
	off := len(w.b)
	var body []byte
	if typ == blockOPB {
		body = w.f16(body, uint16(iface))
		body = w.f16(body, 0)
	} else {
		body = w.f32(body, uint32(iface))
	}
	body = w.f32(body, uint32(ts>>32))
	body = w.f32(body, uint32(ts))
	body = w.f32(body, uint32(len(data)))
	body = w.f32(body, uint32(orig))
	body = append(body, data...)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	body = w.opt(body, 1, []byte("a comment")) // opt_comment
	body = w.f32(body, 0)
	w.ngBlock(typ, body, true)
	g := w.local[iface]
	w.frames = append(w.frames, wantFrame{Number: w.next(), Time: t, LinkType: w.ifaces[g], Data: data, OrigLen: orig, Offset: int64(off), Interface: g})
}

// spb adds a Simple Packet Block on interface 0 (captured = data).
func (w *capWriter) spb(data []byte, orig int) {
	off := len(w.b)
	body := w.f32(nil, uint32(orig))
	body = append(body, data...)
	w.ngBlock(blockSPB, body, true)
	g := w.local[0]
	w.frames = append(w.frames, wantFrame{Number: w.next(), LinkType: w.ifaces[g], Data: data, OrigLen: orig, Offset: int64(off), Interface: g})
}

// dsb adds a Decryption Secrets Block.
func (w *capWriter) dsb(kind uint32, secret []byte) {
	body := w.f32(nil, kind)
	body = w.f32(body, uint32(len(secret)))
	body = append(body, secret...)
	w.ngBlock(blockDSB, body, false)
}

// next returns the next frame number.
func (w *capWriter) next() int64 {
	w.num++
	return w.num
}

// gz compresses b.
func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pkt returns n bytes of recognisable content.
func pkt(seed byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
	return b
}

// testPcapng writes a two-section pcapng: little-endian section with three
// interfaces of different link types and resolutions (µs default, ns,
// 2^-20 with an offset), an unknown block, two DSBs, SPB and OPB; then a
// big-endian section with one interface.
func testPcapng() *capWriter {
	w := &capWriter{}
	w.shb(false)
	w.idb(layers.LinkTypeEthernet, 0, -1, 0)
	w.idb(layers.LinkTypeRaw, 65535, 9, 0)
	w.idb(layers.LinkTypeLinuxSLL2, 262144, 0x80|20, 100)
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	us := uint64(t0.Unix())*1e6 + 123456
	w.epb(blockEPB, 0, us, t0.Add(123456*time.Microsecond), pkt(1, 60), 60)
	ns := uint64(t0.Unix())*1e9 + 987654321
	w.epb(blockEPB, 1, ns, t0.Add(987654321*time.Nanosecond), pkt(2, 41), 1500)
	w.ngBlock(0x0bad, []byte("a custom block: skipped, numbered"), false)
	w.next()
	w.ngBlock(0x7fff1234, []byte("an unknown block, skipped"), false)
	w.ngBlock(5, make([]byte, 12), false) // an Interface Statistics Block
	w.dsb(secretsTLSKeyLog, []byte("CLIENT_RANDOM 00 11\n"))
	w.dsb(0x57474b4c, []byte("a WireGuard key, not kept"))
	p2 := uint64(t0.Unix()-100)<<20 | 1<<19 // 2^-20 units; 100 s offset
	w.epb(blockEPB, 2, p2, t0.Add(500*time.Millisecond), pkt(3, 77), 77)
	w.spb(pkt(4, 50), 50)
	w.epb(blockOPB, 1, ns+1, t0.Add(987654322*time.Nanosecond), pkt(5, 33), 33)
	w.epb(blockEPB, 0, us, t0.Add(123456*time.Microsecond), nil, 0)
	w.dsb(secretsTLSKeyLog, []byte("CLIENT_RANDOM 22 33\n"))
	w.shb(true)
	w.idb(layers.LinkTypeNull, 0, 6, 0)
	w.epb(blockEPB, 0, us+1, t0.Add(123457*time.Microsecond), pkt(6, 64), 64)
	return w
}

// testPcap writes a pcap with a few records in the given byte order and
// resolution (nanos: magic 0xa1b23c4d).
func testPcap(big, nanos bool) *capWriter {
	magic := uint32(0xa1b2c3d4)
	unit := time.Microsecond
	if nanos {
		magic, unit = 0xa1b23c4d, time.Nanosecond
	}
	w := newPcap(big, magic, layers.LinkTypeEthernet)
	t0 := time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, n := range []int{60, 1514, 0, 54, 3} {
		frac := uint32(i*100003 + 7)
		w.record(uint32(t0.Unix())+uint32(i), frac, t0.Add(time.Duration(i)*time.Second+time.Duration(frac)*unit), pkt(byte(i), n), n+i)
	}
	return w
}

// w0 is the zero time a writer's frames carry when their timestamp is 0.
func w0() time.Time { return time.Unix(0, 0).UTC() }
