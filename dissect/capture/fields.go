package capture

import "encoding/binary"

// fields reads fixed-size fields front to back from a header or block body
// in one byte order (a pcap file's, or a pcapng section's, as its magic
// says). Every read reports whether the bytes were there and consumes them,
// so callers never index by hand; a failed read consumes nothing. It is the
// cryptobyte style with the file's byte order.
type fields struct {
	b   []byte
	big bool // big-endian fields
}

// byteOrder is the order a file or section writes its fields in.
type byteOrder struct{ big bool }

// fields returns a reader over b in this order.
func (o byteOrder) fields(b []byte) fields { return fields{b: b, big: o.big} }

// len is the number of bytes not yet read.
func (r *fields) len() int { return len(r.b) }

// rest returns the bytes not yet read.
func (r *fields) rest() []byte { return r.b }

// u16 reads a 16-bit field.
func (r *fields) u16(v *uint16) bool {
	if len(r.b) < 2 {
		return false
	}
	if r.big {
		*v = binary.BigEndian.Uint16(r.b)
	} else {
		*v = binary.LittleEndian.Uint16(r.b)
	}
	r.b = r.b[2:]
	return true
}

// u32 reads a 32-bit field.
func (r *fields) u32(v *uint32) bool {
	if len(r.b) < 4 {
		return false
	}
	if r.big {
		*v = binary.BigEndian.Uint32(r.b)
	} else {
		*v = binary.LittleEndian.Uint32(r.b)
	}
	r.b = r.b[4:]
	return true
}

// u64 reads a 64-bit field.
func (r *fields) u64(v *uint64) bool {
	if len(r.b) < 8 {
		return false
	}
	if r.big {
		*v = binary.BigEndian.Uint64(r.b)
	} else {
		*v = binary.LittleEndian.Uint64(r.b)
	}
	r.b = r.b[8:]
	return true
}

// skip consumes n bytes.
func (r *fields) skip(n int) bool {
	if n < 0 || len(r.b) < n {
		return false
	}
	r.b = r.b[n:]
	return true
}

// bytes reads the next n bytes, capped so that appending to them cannot
// overwrite what follows.
func (r *fields) bytes(n int, out *[]byte) bool {
	if n < 0 || len(r.b) < n {
		return false
	}
	*out = r.b[:n:n]
	r.b = r.b[n:]
	return true
}

// u32At reads the 32-bit field at offset off of b in this order without a
// reader: for a block's trailing length, whose place the header gives.
func (o byteOrder) u32At(b []byte, off int) (uint32, bool) {
	r := o.fields(b)
	var v uint32
	ok := r.skip(off) && r.u32(&v)
	return v, ok
}
