package tlsdecrypt

import (
	"crypto/hmac"
	"crypto/sha1"
	"hash"
)

// pHash is P_hash of RFC 5246, Section 5: it fills out with
// HMAC_hash(secret, A(i) + seed), A(0) = seed, A(i) = HMAC_hash(secret, A(i-1)).
func pHash(out, secret, seed []byte, h func() hash.Hash) {
	mac := hmac.New(h, secret)
	mac.Write(seed)
	a := mac.Sum(nil)
	for len(out) > 0 {
		mac.Reset()
		mac.Write(a)
		mac.Write(seed)
		out = out[copy(out, mac.Sum(nil)):]
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0])
	}
}

// prf12 is the TLS 1.2 PRF (RFC 5246, Section 5) with the suite's hash.
func prf12(out, secret []byte, label string, seed []byte, h func() hash.Hash) {
	pHash(out, secret, append([]byte(label), seed...), h)
}

// prf10 is the TLS 1.0/1.1 PRF (RFC 2246 and RFC 4346, Section 5):
// P_MD5 over the first half of the secret XOR P_SHA-1 over the second half
// (the halves share a middle byte when the length is odd).
func prf10(out, secret []byte, label string, seed []byte) {
	ls := append([]byte(label), seed...)
	half := (len(secret) + 1) / 2
	pHash(out, secret[:half], ls, md5New)
	tmp := make([]byte, len(out))
	pHash(tmp, secret[len(secret)-half:], ls, sha1.New)
	for i := range out {
		out[i] ^= tmp[i]
	}
}
