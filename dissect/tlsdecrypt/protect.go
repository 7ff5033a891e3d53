package tlsdecrypt

import (
	"crypto/cipher"
	"crypto/hmac"
	"encoding/binary"
	"hash"
)

// opener removes the protection of one direction's records.
type opener interface {
	// open authenticates and decrypts the fragment of a record whose
	// header has type typ and version ver, with sequence number seq. The
	// plaintext is written over dst[:0] (which must not overlap frag).
	// For TLS 1.3 it is the TLSInnerPlaintext, padding and all.
	open(dst []byte, seq uint64, typ uint8, ver uint16, frag []byte) ([]byte, bool)
}

// seqNonce XORs the big-endian sequence number into the last 8 bytes of iv
// (RFC 8446, Section 5.3; RFC 7905, Section 2).
func seqNonce(nonce *[12]byte, iv []byte, seq uint64) {
	copy(nonce[:], iv)
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seq)
	for i, b := range s {
		nonce[4+i] ^= b
	}
}

// aead13 is TLS 1.3 record protection (RFC 8446, Section 5.2).
type aead13 struct {
	aead  cipher.AEAD
	iv    []byte
	nonce [12]byte
	aad   [5]byte
}

func (a *aead13) open(dst []byte, seq uint64, typ uint8, ver uint16, frag []byte) ([]byte, bool) {
	seqNonce(&a.nonce, a.iv, seq)
	// RFC 8446, Section 5.2: additional_data is the record header.
	a.aad = [5]byte{typ, byte(ver >> 8), byte(ver), byte(len(frag) >> 8), byte(len(frag))}
	out, err := a.aead.Open(dst[:0], a.nonce[:], frag, a.aad[:])
	return out, err == nil
}

// aead12 is TLS 1.2 AEAD record protection (RFC 5246, Section 6.2.3.3).
type aead12 struct {
	aead cipher.AEAD
	// iv is the 4-byte salt of AES-GCM, followed in each record by an 8-byte
	// explicit nonce (RFC 5288, Section 3), or the 12-byte IV of
	// ChaCha20-Poly1305, XORed with the sequence number (RFC 7905, Section 2).
	iv       []byte
	explicit bool
	nonce    [12]byte
	aad      [13]byte
}

// explicitNonceLen is the per-record nonce of the AES-GCM suites (RFC 5288, Section 3).
const explicitNonceLen = 8

func (a *aead12) open(dst []byte, seq uint64, typ uint8, ver uint16, frag []byte) ([]byte, bool) {
	if a.explicit {
		if len(frag) < explicitNonceLen+a.aead.Overhead() {
			return nil, false
		}
		copy(a.nonce[:], a.iv)
		copy(a.nonce[len(a.iv):], frag[:explicitNonceLen])
		frag = frag[explicitNonceLen:]
	} else {
		if len(frag) < a.aead.Overhead() {
			return nil, false
		}
		seqNonce(&a.nonce, a.iv, seq)
	}
	// RFC 5246, Section 6.2.3.3: additional_data = seq_num + type +
	// version + length of the plaintext.
	n := len(frag) - a.aead.Overhead()
	binary.BigEndian.PutUint64(a.aad[:], seq)
	a.aad[8], a.aad[9], a.aad[10], a.aad[11], a.aad[12] = typ, byte(ver>>8), byte(ver), byte(n>>8), byte(n)
	out, err := a.aead.Open(dst[:0], a.nonce[:], frag, a.aad[:])
	return out, err == nil
}

// explicitSeq returns the explicit nonce of an AES-GCM record as a number:
// most implementations send the sequence number there, which lets a Conn
// find its place again after a gap.
func (a *aead12) explicitSeq(frag []byte) (uint64, bool) {
	if !a.explicit || len(frag) < explicitNonceLen {
		return 0, false
	}
	return binary.BigEndian.Uint64(frag), true
}

// cbc12 is CBC block cipher protection with HMAC (RFC 5246, Section
// 6.2.3.2), MAC-then-encrypt or encrypt-then-MAC (RFC 7366).
type cbc12 struct {
	block cipher.Block
	mac   hash.Hash
	etm   bool
	// iv is the CBC state of TLS 1.0 (RFC 2246, Section 6.2.3.2: the last
	// ciphertext block of the previous record); nil for TLS ≥ 1.1, where
	// each record starts with an explicit IV (RFC 4346, Section 6.2.3.2).
	iv  []byte
	hdr [13]byte
	sum []byte
}

func (c *cbc12) open(dst []byte, seq uint64, typ uint8, ver uint16, frag []byte) ([]byte, bool) {
	bs, ml := c.block.BlockSize(), c.mac.Size()
	var tag []byte
	if c.etm {
		// RFC 7366, Section 3: the MAC covers IV and ciphertext and
		// follows them.
		if len(frag) < ml {
			return nil, false
		}
		tag = frag[len(frag)-ml:]
		frag = frag[:len(frag)-ml]
		if !hmac.Equal(c.macOf(seq, typ, ver, frag), tag) {
			return nil, false
		}
	}
	iv := c.iv
	if iv == nil {
		if len(frag) < bs {
			return nil, false
		}
		iv, frag = frag[:bs], frag[bs:]
	}
	if len(frag) == 0 || len(frag)%bs != 0 {
		return nil, false
	}
	pt := c.decrypt(dst[:0], iv, frag)
	// RFC 5246, Section 6.2.3.2: padding_length bytes of value
	// padding_length, then padding_length itself.
	p := int(pt[len(pt)-1])
	macLen := ml
	if c.etm {
		macLen = 0
	}
	if p+1+macLen > len(pt) {
		return nil, false
	}
	for _, b := range pt[len(pt)-1-p:] {
		if int(b) != p {
			return nil, false
		}
	}
	pt = pt[:len(pt)-1-p]
	if c.etm {
		return pt, true
	}
	content, mac := pt[:len(pt)-ml], pt[len(pt)-ml:]
	return content, hmac.Equal(c.macOf(seq, typ, ver, content), mac)
}

// macOf is HMAC(seq_num + type + version + length + data) (RFC 5246,
// Section 6.2.3.1).
func (c *cbc12) macOf(seq uint64, typ uint8, ver uint16, data []byte) []byte {
	binary.BigEndian.PutUint64(c.hdr[:], seq)
	c.hdr[8], c.hdr[9], c.hdr[10], c.hdr[11], c.hdr[12] = typ, byte(ver>>8), byte(ver), byte(len(data)>>8), byte(len(data))
	c.mac.Reset()
	c.mac.Write(c.hdr[:])
	c.mac.Write(data)
	c.sum = c.mac.Sum(c.sum[:0])
	return c.sum
}

// decrypt appends the CBC decryption of ct (a whole number of blocks) to dst.
func (c *cbc12) decrypt(dst, iv, ct []byte) []byte {
	bs := c.block.BlockSize()
	start := len(dst)
	dst = append(dst, ct...)
	out := dst[start:]
	prev := iv
	for i := 0; i < len(ct); i += bs {
		c.block.Decrypt(out[i:i+bs], ct[i:i+bs])
		for j := range bs {
			out[i+j] ^= prev[j]
		}
		prev = ct[i : i+bs]
	}
	return dst
}

// advance moves the TLS 1.0 CBC state past a record, decrypted or not: the
// next IV is its last ciphertext block (RFC 2246, Section 6.2.3.2).
func (c *cbc12) advance(frag []byte) {
	if c.iv == nil {
		return
	}
	bs := c.block.BlockSize()
	if c.etm {
		frag = frag[:max(0, len(frag)-c.mac.Size())]
	}
	if len(frag) >= bs {
		copy(c.iv, frag[len(frag)-bs:])
	}
}
