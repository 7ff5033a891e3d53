package tlsdecrypt

import "golang.org/x/crypto/cryptobyte"

// Handshake message types the decryptor acts on (RFC 8446, Section 4;
// RFC 5246, Section 7.4).
const (
	hsHelloRequest   = 0
	hsClientHello    = 1
	hsServerHello    = 2
	hsEndOfEarlyData = 5
	hsFinished       = 20
	hsKeyUpdate      = 24
	hsHeaderLen      = 4 // msg_type + uint24 length
	contentCCS       = 20
	contentAlert     = 21
	contentHandshake = 22
	contentAppData   = 23
)

// HandshakeTypes lists the msg_type of each handshake message in plaintext
// handshake data that starts at a message boundary (RFC 8446, Section 4:
// msg_type, uint24 length, body). A message cut short at the end is listed
// too. It never reads past data and allocates nothing from length fields.
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

// hsScanner follows handshake message boundaries across the decrypted
// records of one direction, keeping only the 4-byte headers, so that
// messages split over records are seen (RFC 8446, Section 5.1).
type hsScanner struct {
	hdr  [hsHeaderLen]byte
	n    int
	skip int // body bytes of the current message still to come
}

// feed consumes handshake bytes and appends to out the type of each message
// that completes in them.
func (h *hsScanner) feed(data []byte, out []uint8) []uint8 {
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
		h.skip = int(h.hdr[1])<<16 | int(h.hdr[2])<<8 | int(h.hdr[3])
		if h.skip == 0 {
			out = append(out, h.hdr[0])
		}
	}
	return out
}

// reset forgets a message in progress (after a gap).
func (h *hsScanner) reset() { h.n, h.skip = 0, 0 }
