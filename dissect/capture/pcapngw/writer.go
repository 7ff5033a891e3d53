// Package pcapngw writes pcapng captures (draft-ietf-opsawg-pcapng): one
// Section Header Block, one Interface Description Block naming the
// interface and the capture filter, and an Enhanced Packet Block per
// packet, with nanosecond timestamps. It is what `smtpscope -i IFACE -w
// FILE` writes; dissect/capture reads it back.
package pcapngw

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Block types and option codes (draft-ietf-opsawg-pcapng, Sections 4 and
// 10).
const (
	blockSHB = 0x0A0D0D0A // Section 4.1
	blockIDB = 0x00000001 // Section 4.2
	blockEPB = 0x00000006 // Section 4.3

	byteOrderMagic = 0x1A2B3C4D

	optEnd      = 0
	optShbApp   = 4  // shb_userappl
	optIfName   = 2  // if_name
	optIfTSRes  = 9  // if_tsresol
	optIfFilter = 11 // if_filter: one type byte (0 = libpcap string), then the filter
	tsResolNano = 9  // 10^-9 s

	// FlushInterval is the longest a written packet stays in the buffer
	// when packets keep coming.
	FlushInterval = time.Second
	// bufSize is the write buffer size.
	bufSize = 256 << 10
)

// Options describe the one interface of the capture.
type Options struct {
	Interface string          // if_name
	Filter    string          // if_filter, as a libpcap filter string
	LinkType  layers.LinkType // default Ethernet
	Snaplen   int             // default 262144
}

// Writer writes a pcapng capture. It is not safe for concurrent use.
type Writer struct {
	bw        *bufio.Writer
	snaplen   int
	lastFlush time.Time
	scratch   []byte
}

// New writes the section and interface headers to w and returns a Writer
// for the packets.
func New(w io.Writer, opts Options) (*Writer, error) {
	if opts.LinkType == 0 {
		opts.LinkType = layers.LinkTypeEthernet
	}
	if opts.Snaplen <= 0 {
		opts.Snaplen = 262144
	}
	pw := &Writer{bw: bufio.NewWriterSize(w, bufSize), snaplen: opts.Snaplen, lastFlush: time.Now()}
	// Section 4.1: byte-order magic, version 1.0, section length unknown.
	var shb []byte
	shb = binary.LittleEndian.AppendUint32(shb, byteOrderMagic)
	shb = binary.LittleEndian.AppendUint16(shb, 1)
	shb = binary.LittleEndian.AppendUint16(shb, 0)
	shb = binary.LittleEndian.AppendUint64(shb, ^uint64(0))
	shb = appendOpt(shb, optShbApp, []byte("smtpscope"))
	shb = appendOpt(shb, optEnd, nil)
	pw.block(blockSHB, shb)
	// Section 4.2: link type, reserved, snaplen, options.
	var idb []byte
	idb = binary.LittleEndian.AppendUint16(idb, uint16(opts.LinkType))
	idb = binary.LittleEndian.AppendUint16(idb, 0)
	idb = binary.LittleEndian.AppendUint32(idb, uint32(opts.Snaplen))
	if opts.Interface != "" {
		idb = appendOpt(idb, optIfName, []byte(opts.Interface))
	}
	idb = appendOpt(idb, optIfTSRes, []byte{tsResolNano})
	if opts.Filter != "" {
		idb = appendOpt(idb, optIfFilter, append([]byte{0}, opts.Filter...))
	}
	idb = appendOpt(idb, optEnd, nil)
	pw.block(blockIDB, idb)
	if err := pw.bw.Flush(); err != nil {
		return nil, fmt.Errorf("pcapngw: writing header: %w", err)
	}
	return pw, nil
}

// WritePacket writes one Enhanced Packet Block (Section 4.3) for interface
// 0. data longer than the snaplen is cut; origLen is the length on the
// wire (at least len(data)). The buffer is flushed when FlushInterval has
// passed since the last flush.
func (w *Writer) WritePacket(t time.Time, data []byte, origLen int) error {
	if origLen < len(data) {
		origLen = len(data)
	}
	if len(data) > w.snaplen {
		data = data[:w.snaplen]
	}
	ts := uint64(t.UnixNano())
	b := w.scratch[:0]
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, uint32(origLen))
	b = append(b, data...)
	b = pad(b)
	w.scratch = b
	w.block(blockEPB, b)
	if time.Since(w.lastFlush) >= FlushInterval {
		return w.Flush()
	}
	return nil
}

// Flush writes buffered packets to the underlying writer.
func (w *Writer) Flush() error {
	w.lastFlush = time.Now()
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("pcapngw: %w", err)
	}
	return nil
}

// block writes type, total length, body, total length (Section 3.1). Write
// errors stick in the bufio.Writer and surface at Flush.
func (w *Writer) block(typ uint32, body []byte) {
	var h [8]byte
	n := uint32(12 + len(body))
	binary.LittleEndian.PutUint32(h[0:], typ)
	binary.LittleEndian.PutUint32(h[4:], n)
	w.bw.Write(h[:])
	w.bw.Write(body)
	binary.LittleEndian.PutUint32(h[0:], n)
	w.bw.Write(h[:4])
}

// appendOpt appends one option: code, length, value padded to 32 bits
// (Section 3.5).
func appendOpt(b []byte, code uint16, v []byte) []byte {
	b = binary.LittleEndian.AppendUint16(b, code)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(v)))
	return pad(append(b, v...))
}

// pad pads b with zeros to a multiple of 4 bytes.
func pad(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
