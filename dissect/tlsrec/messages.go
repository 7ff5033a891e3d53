package tlsrec

import "golang.org/x/crypto/cryptobyte"

// This file is the handshake-message framing for plaintext that other
// packages hold (decrypted TLS 1.3 handshake records): msg_type(1),
// length(3), body (RFC 8446, Section 4). The record parser's own joining of
// messages across records is hsReader (handshake.go).

// HandshakeTypes lists the msg_type of each handshake message in plaintext
// handshake data that starts at a message boundary. A message cut short at
// the end is listed too. It never reads past data and allocates nothing
// from length fields.
func HandshakeTypes(data []byte) []uint8 {
	var out []uint8
	s := cryptobyte.String(data)
	for !s.Empty() {
		var typ uint8
		var n uint32
		if !s.ReadUint8(&typ) {
			break
		}
		out = append(out, typ)
		if !s.ReadUint24(&n) || !s.Skip(int(n)) {
			break
		}
	}
	return out
}

// FindMessage returns the body of the first handshake message of type typ
// in data, plaintext handshake data that starts at a message boundary. cut
// reports that such a message starts in data but does not end there (its
// rest is in a later record); body is then nil.
func FindMessage(data []byte, typ uint8) (body []byte, cut bool) {
	s := cryptobyte.String(data)
	for !s.Empty() {
		var t uint8
		var b cryptobyte.String
		if !s.ReadUint8(&t) || !s.ReadUint24LengthPrefixed(&b) {
			return nil, t == typ
		}
		if t == typ {
			return b, false
		}
	}
	return nil, false
}

// MessageScanner follows handshake message boundaries across the records
// of one direction (RFC 8446, Section 5.1: a message may span records),
// keeping only the 4-byte headers: it names the messages, it does not keep
// them. The zero value is ready.
type MessageScanner struct {
	hdr  [hsHeaderLen]byte
	n    int
	skip int // body bytes of the current message still to come
}

// Feed consumes handshake bytes and appends to out the type of each message
// that completes in them.
func (h *MessageScanner) Feed(data []byte, out []uint8) []uint8 {
	for len(data) > 0 {
		if h.skip > 0 {
			n := min(h.skip, len(data))
			h.skip -= n
			data = data[n:]
			if h.skip == 0 {
				out = append(out, h.hdr[0])
			}
			continue
		}
		n := copy(h.hdr[h.n:], data)
		h.n += n
		data = data[n:]
		if h.n < hsHeaderLen {
			break
		}
		h.n = 0
		s := cryptobyte.String(h.hdr[1:])
		var size uint32
		s.ReadUint24(&size)
		h.skip = int(size)
		if h.skip == 0 {
			out = append(out, h.hdr[0])
		}
	}
	return out
}

// Reset forgets a message in progress (after a gap).
func (h *MessageScanner) Reset() { h.n, h.skip = 0, 0 }
