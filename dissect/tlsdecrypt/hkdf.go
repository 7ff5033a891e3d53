package tlsdecrypt

import (
	"crypto/hkdf"
	"hash"

	"golang.org/x/crypto/cryptobyte"
)

// expandLabel is HKDF-Expand-Label (RFC 8446, Section 7.1):
// HKDF-Expand(secret, HkdfLabel{length, "tls13 " + label, context}, length).
func expandLabel(h func() hash.Hash, secret []byte, label string, context []byte, length int) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint16(uint16(length))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes([]byte("tls13 "))
		b.AddBytes([]byte(label))
	})
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(context) })
	info, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return hkdf.Expand(h, secret, string(info), length)
}
