package capture

import (
	"io"

	"github.com/gopacket/gopacket/layers"
)

// pcapng block types and constants (draft-ietf-opsawg-pcapng, Sections 3,
// 4 and 11).
const (
	blockSHB = 0x0a0d0d0a // Section Header Block, Section 4.1
	blockIDB = 0x00000001 // Interface Description Block, Section 4.2
	blockOPB = 0x00000002 // obsolete Packet Block, Appendix A
	blockSPB = 0x00000003 // Simple Packet Block, Section 4.4
	blockEPB = 0x00000006 // Enhanced Packet Block, Section 4.3
	blockDSB = 0x0000000a // Decryption Secrets Block, Section 4.7

	byteOrderMagic   = 0x1a2b3c4d
	secretsTLSKeyLog = 0x544c534b // Section 4.7: TLS Key Log, NSS format

	blockMinLen = 12 // type, length, trailing length (Section 3.1)
	shbMinLen   = 28
	epbFixedLen = 20 // interface, timestamp (2), captured and original length
	opbFixedLen = 20
	spbFixedLen = 4

	optEndOfOpt = 0
	optTSResol  = 9  // if_tsresol, Section 4.2
	optTSOffset = 14 // if_tsoffset, Section 4.2

	// maxInterfaces bounds the interfaces of a file (each costs memory).
	maxInterfaces = 1 << 16
	// maxSecretsBlock bounds one Decryption Secrets Block; maxSecrets bounds
	// all of them together.
	maxSecretsBlock = 16 << 20
	maxSecrets      = 64 << 20
)

// pcapngReader is the state of a pcapng file: the current section's byte
// order and interfaces, and the secrets seen.
type pcapngReader struct {
	order       byteOrder
	ifaces      []ngInterface // interfaces of the current section
	total       int           // interfaces in the file so far
	secrets     [][]byte
	secretBytes int
}

// ngStart reads the first Section Header Block.
func (f *File) ngStart() error {
	_, err := f.ngBlock()
	return err
}

// nextPcapng reads blocks until a packet block.
func (f *File) nextPcapng() error {
	for {
		packet, err := f.ngBlock()
		if err != nil || packet {
			return err
		}
		if err := f.checkEmptyRun(); err != nil {
			return err
		}
	}
}

// ngBlock reads one block; it reports whether the block was a packet (in
// which case f.frame holds it).
func (f *File) ngBlock() (bool, error) {
	off := f.off
	h, err := f.br.Peek(8)
	if len(h) < 8 {
		if len(h) == 0 && err == io.EOF {
			return false, io.EOF
		}
		return false, f.shortRead(off, "block header", err)
	}
	ng := &f.ng
	if typ, _ := ng.order.u32At(h, 0); typ == blockSHB { // a palindrome: the same in either order
		// Section 4.1: the byte-order magic says how to read this section,
		// the SHB's own length included.
		h, err = f.peek(12, off, "section header")
		if err != nil {
			return false, err
		}
		switch {
		case sectionMagic(h, true):
			ng.order.big = true
		case sectionMagic(h, false):
			ng.order.big = false
		default:
			return false, f.errorf(off, "bad byte-order magic %q", h[8:12])
		}
	}
	var typ, length uint32
	r := ng.order.fields(h)
	if !r.u32(&typ) || !r.u32(&length) {
		return false, f.shortRead(off, "block header", nil)
	}
	// Section 3.1: Block Total Length is a multiple of 4 and covers the
	// 12 bytes of type and both lengths.
	if length < blockMinLen || length%4 != 0 {
		return false, f.errorf(off, "block length %d invalid", length)
	}
	limit := uint32(f.br.Size())
	switch typ {
	case blockSHB, blockIDB, blockEPB, blockSPB, blockOPB:
		if length > limit {
			return false, f.errorf(off, "block claims %d bytes, limit %d", length, limit)
		}
	case blockDSB:
		return false, f.ngSecrets(off, length)
	default:
		if numberedBlock(typ) {
			f.number++
		}
		// Section 3.1: a reader skips blocks it does not understand.
		return false, f.ngSkip(off, length)
	}
	b, err := f.peek(int(length), off, "block")
	if err != nil {
		return false, err
	}
	body, err := f.ngTrailer(off, b, length)
	if err != nil {
		return false, err
	}
	packet := false
	switch typ {
	case blockSHB:
		err = f.ngSection(off, body)
	case blockIDB:
		err = f.ngInterface(off, body)
	case blockEPB:
		err = f.ngPacket(off, body, typ)
		packet = true
	case blockOPB:
		err = f.ngPacket(off, body, typ)
		packet = true
	case blockSPB:
		err = f.ngSimplePacket(off, body)
		packet = true
	}
	if err != nil {
		return false, err
	}
	f.skip(int(length))
	return packet, nil
}

// sectionMagic reports whether the Section Header Block that starts h
// (type, length, byte-order magic) is written in the given byte order.
func sectionMagic(h []byte, big bool) bool {
	v, ok := byteOrder{big: big}.u32At(h, 8)
	return ok && v == byteOrderMagic
}

// ngTrailer checks a whole block b (Section 3.1: type, length, body,
// length again) and returns its body.
func (f *File) ngTrailer(off int64, b []byte, length uint32) ([]byte, error) {
	r := f.ng.order.fields(b)
	var body []byte
	var t uint32
	if !r.skip(8) || !r.bytes(int(length)-blockMinLen, &body) || !r.u32(&t) {
		return nil, f.errorf(off, "block length %d invalid", length)
	}
	if t != length {
		return nil, f.errorf(off, "block trailer length %d, header says %d", t, length)
	}
	return body, nil
}

// numberedBlock reports whether tshark gives a block of type typ a frame
// number although it is no packet: custom blocks (Section 4.8, 0x00000BAD
// and 0x40000BAD), systemd Journal Export Blocks (0x9) and Sysdig event
// blocks (0x204, 0x216, 0x221), as tshark 4.0 does. They are skipped, but
// counted so that frame numbers stay equal to tshark's.
func numberedBlock(typ uint32) bool {
	switch typ {
	case 0x00000bad, 0x40000bad, 0x00000009, 0x00000204, 0x00000216, 0x00000221:
		return true
	}
	return false
}

// ngSection starts a new section (Section 4.1): interfaces are per section.
func (f *File) ngSection(off int64, body []byte) error {
	if len(body)+12 < shbMinLen {
		return f.errorf(off, "section header block too short (%d bytes)", len(body)+12)
	}
	// Section 4.1: byte-order magic, major and minor version, section
	// length, options. Readers support major version 1 (minor 0, and 2 as
	// written by some old tools).
	r := f.ng.order.fields(body)
	var major, minor uint16
	if !r.skip(4) || !r.u16(&major) || !r.u16(&minor) {
		return f.errorf(off, "section header block too short (%d bytes)", len(body)+12)
	}
	if major != 1 {
		return f.errorf(off, "unsupported pcapng version %d.%d", major, minor)
	}
	f.ng.ifaces = f.ng.ifaces[:0]
	return nil
}

// ngSkip skips a block of a type this reader does not interpret, streaming
// so that even a 4 GiB block costs no memory.
func (f *File) ngSkip(off int64, length uint32) error {
	if n := int64(length) - 4; n > 0 {
		for n > 0 {
			chunk := int(min(n, int64(readBufSize)))
			d, err := f.br.Discard(chunk)
			f.off += int64(d)
			if d < chunk {
				return f.shortRead(off, "block", err)
			}
			n -= int64(chunk)
		}
	}
	t, err := f.peek(4, off, "block")
	if err != nil {
		return err
	}
	if v, _ := f.ng.order.u32At(t, 0); v != length {
		return f.errorf(off, "block trailer length %d, header says %d", v, length)
	}
	f.skip(4)
	return nil
}

// ngInterface adds an interface to the current section (Section 4.2).
func (f *File) ngInterface(off int64, body []byte) error {
	ng := &f.ng
	if len(body) < 8 {
		return f.errorf(off, "interface description block too short (%d bytes)", len(body)+12)
	}
	if ng.total >= maxInterfaces {
		return f.errorf(off, "more than %d interfaces", maxInterfaces)
	}
	// Section 4.2: link type, reserved, snap length, options.
	r := ng.order.fields(body)
	var link uint16
	var snaplen uint32
	r.u16(&link)
	r.skip(2)
	r.u32(&snaplen)
	ifc := ngInterface{
		link:    layers.LinkType(link),
		snaplen: snaplen,
		units:   1e6, // Section 4.2: if_tsresol defaults to 6 (microseconds)
		nsMul:   1000,
		global:  ng.total,
	}
	for r.len() >= 4 {
		var code, n uint16
		r.u16(&code)
		r.u16(&n)
		if code == optEndOfOpt {
			break
		}
		// Section 3.5: values are padded to 32 bits.
		var val []byte
		if !r.bytes(int(n), &val) || !r.skip(padding(int(n))) {
			return f.errorf(off, "interface option %d of %d bytes overruns block", code, n)
		}
		switch {
		case code == optTSResol && n == 1:
			if err := ifc.setResolution(val[0]); err != nil {
				return f.errorf(off, "%v", err)
			}
		case code == optTSOffset && n == 8:
			var v uint64
			vr := ng.order.fields(val)
			vr.u64(&v)
			ifc.offset = int64(v)
		}
	}
	ng.ifaces = append(ng.ifaces, ifc)
	ng.total++
	return nil
}

// ngPacket reads an Enhanced Packet Block (Section 4.3) or an obsolete
// Packet Block (Appendix A; 16-bit interface and drop count).
func (f *File) ngPacket(off int64, body []byte, typ uint32) error {
	ng := &f.ng
	if len(body) < epbFixedLen {
		return f.errorf(off, "packet block too short (%d bytes)", len(body)+12)
	}
	// Section 4.3: interface, timestamp (high, low), captured length,
	// original length, data; Appendix A: a 16-bit interface and a 16-bit
	// drop count instead.
	r := ng.order.fields(body)
	var id, tsHigh, tsLow, caplen, orig uint32
	if typ == blockOPB {
		var id16 uint16
		r.u16(&id16)
		r.skip(2)
		id = uint32(id16)
	} else {
		r.u32(&id)
	}
	r.u32(&tsHigh)
	r.u32(&tsLow)
	r.u32(&caplen)
	r.u32(&orig)
	ts := uint64(tsHigh)<<32 | uint64(tsLow)
	if uint64(caplen) > uint64(f.maxRec) {
		return f.errorf(off, "record claims %d bytes, limit %d", caplen, f.maxRec)
	}
	var data []byte
	if !r.bytes(int(caplen), &data) {
		return f.errorf(off, "captured length %d overruns block of %d bytes", caplen, len(body)+12)
	}
	if uint64(id) >= uint64(len(ng.ifaces)) {
		return f.errorf(off, "packet for undefined interface %d", id)
	}
	ifc := &ng.ifaces[id]
	f.number++
	f.frame = Frame{
		Number:    f.number,
		Time:      ifc.time(ts),
		LinkType:  ifc.link,
		Data:      data,
		OrigLen:   int(orig),
		Offset:    off,
		Interface: ifc.global,
	}
	return nil
}

// ngSimplePacket reads a Simple Packet Block (Section 4.4): interface 0,
// no timestamp, captured length min(original length, snap length).
func (f *File) ngSimplePacket(off int64, body []byte) error {
	ng := &f.ng
	if len(body) < spbFixedLen {
		return f.errorf(off, "simple packet block too short (%d bytes)", len(body)+12)
	}
	if len(ng.ifaces) == 0 {
		return f.errorf(off, "packet for undefined interface 0")
	}
	ifc := &ng.ifaces[0]
	r := ng.order.fields(body)
	var orig uint32
	r.u32(&orig)
	caplen := uint64(orig)
	if ifc.snaplen != 0 && uint64(ifc.snaplen) < caplen {
		caplen = uint64(ifc.snaplen)
	}
	caplen = min(caplen, uint64(r.len()))
	if caplen > uint64(f.maxRec) {
		return f.errorf(off, "record claims %d bytes, limit %d", caplen, f.maxRec)
	}
	var data []byte
	r.bytes(int(caplen), &data)
	f.number++
	f.frame = Frame{
		Number:    f.number,
		LinkType:  ifc.link,
		Data:      data,
		OrigLen:   int(orig),
		Offset:    off,
		Interface: ifc.global,
	}
	return nil
}

// ngSecrets reads a Decryption Secrets Block (Section 4.7) and keeps TLS
// key logs. Its size is bounded; the bytes are copied as they arrive.
func (f *File) ngSecrets(off int64, length uint32) error {
	if length > maxSecretsBlock {
		return f.errorf(off, "decryption secrets block claims %d bytes, limit %d", length, maxSecretsBlock)
	}
	n := int(length)
	var b []byte
	if n <= f.br.Size() {
		pb, err := f.peek(n, off, "block")
		if err != nil {
			return err
		}
		b = pb
	} else {
		lb, err := f.readLarge(n, off)
		if err != nil {
			return err
		}
		b = lb
	}
	ng := &f.ng
	body, err := f.ngTrailer(off, b, length)
	if err != nil {
		return err
	}
	// Section 4.7: secrets type, secrets length, secrets data.
	r := ng.order.fields(body)
	var kind, sl uint32
	if !r.u32(&kind) || !r.u32(&sl) {
		return f.errorf(off, "decryption secrets block too short (%d bytes)", n)
	}
	var data []byte
	if !r.bytes(int(sl), &data) {
		return f.errorf(off, "secrets length %d overruns block of %d bytes", sl, n)
	}
	if kind == secretsTLSKeyLog {
		if ng.secretBytes+int(sl) > maxSecrets {
			return f.errorf(off, "decryption secrets exceed %d bytes", maxSecrets)
		}
		ng.secretBytes += int(sl)
		ng.secrets = append(ng.secrets, append([]byte(nil), data...))
	}
	if n <= f.br.Size() {
		f.skip(n)
	}
	return nil
}

// padding is the number of bytes that pad an option value of n bytes to 32
// bits (Section 3.5).
func padding(n int) int { return (4 - n%4) % 4 }

// readLarge reads and consumes n bytes that do not fit the read buffer,
// growing the result only as bytes arrive.
func (f *File) readLarge(n int, off int64) ([]byte, error) {
	buf := make([]byte, 0, readBufSize)
	for len(buf) < n {
		chunk := min(n-len(buf), readBufSize)
		b, err := f.peek(chunk, off, "block")
		if err != nil {
			return nil, err
		}
		buf = append(buf, b...)
		f.skip(chunk)
	}
	return buf, nil
}
