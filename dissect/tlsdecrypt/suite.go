package tlsdecrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des" //nolint:gosec // 3DES suites are still seen on old mail servers
	"crypto/hmac"
	"crypto/md5" //nolint:gosec // TLS 1.0/1.1 PRF
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
)

// cipherKind is the record protection family of a suite.
type cipherKind uint8

const (
	// kindGCM: AES-GCM (RFC 5288 for TLS 1.2, RFC 8446 for TLS 1.3).
	kindGCM cipherKind = iota + 1
	// kindChaCha: ChaCha20-Poly1305 (RFC 7905, RFC 8446).
	kindChaCha
	// kindCBC: a block cipher in CBC mode with HMAC (RFC 5246, Section 6.2.3.2).
	kindCBC
)

// macKind is the HMAC hash of a CBC suite.
type macKind uint8

const (
	macNone macKind = iota
	macSHA1
	macSHA256
	macSHA384
)

// suite describes what decryption needs of a cipher suite.
type suite struct {
	id      uint16
	tls13   bool
	kind    cipherKind
	keyLen  int
	block3  bool    // 3DES (8-byte blocks) instead of AES
	mac     macKind // CBC suites only
	sha384  bool    // PRF / HKDF hash is SHA-384 (else SHA-256)
	fixedIV int     // implicit IV bytes from the key block (RFC 5288: 4 for GCM; RFC 7905: 12)
}

// Suite IDs by family (IANA TLS Cipher Suites registry).
const (
	tlsAES128GCMSHA256        = 0x1301
	tlsAES256GCMSHA384        = 0x1302
	tlsCHACHA20POLY1305SHA256 = 0x1303
)

// lookupSuite returns the parameters of a supported suite.
func lookupSuite(id uint16) (suite, bool) {
	s := suite{id: id}
	switch id {
	// RFC 8446, Appendix B.4.
	case tlsAES128GCMSHA256:
		s.tls13, s.kind, s.keyLen = true, kindGCM, 16
	case tlsAES256GCMSHA384:
		s.tls13, s.kind, s.keyLen, s.sha384 = true, kindGCM, 32, true
	case tlsCHACHA20POLY1305SHA256:
		s.tls13, s.kind, s.keyLen = true, kindChaCha, 32
	// RFC 5288 / RFC 5289: AES-128-GCM with SHA-256.
	case 0x009C, 0x009E, 0x00A0, 0x00A2, 0x00A4, 0x00A6, 0xC02B, 0xC02D, 0xC02F, 0xC031:
		s.kind, s.keyLen, s.fixedIV = kindGCM, 16, 4
	// AES-256-GCM with SHA-384.
	case 0x009D, 0x009F, 0x00A1, 0x00A3, 0x00A5, 0x00A7, 0xC02C, 0xC02E, 0xC030, 0xC032:
		s.kind, s.keyLen, s.fixedIV, s.sha384 = kindGCM, 32, 4, true
	// RFC 7905, Section 2: ChaCha20-Poly1305 (SHA-256 PRF).
	case 0xCCA8, 0xCCA9, 0xCCAA, 0xCCAB, 0xCCAC, 0xCCAD, 0xCCAE:
		s.kind, s.keyLen, s.fixedIV = kindChaCha, 32, 12
	// RFC 5246 Appendix A.5, RFC 4492, RFC 3268: AES-128-CBC-SHA.
	case 0x002F, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0xC004, 0xC009, 0xC00E, 0xC013, 0xC018:
		s.kind, s.keyLen, s.mac = kindCBC, 16, macSHA1
	// AES-256-CBC-SHA.
	case 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003A, 0xC005, 0xC00A, 0xC00F, 0xC014, 0xC019:
		s.kind, s.keyLen, s.mac = kindCBC, 32, macSHA1
	// RFC 5246 / RFC 5289: AES-CBC with HMAC-SHA256.
	case 0x003C, 0x003E, 0x003F, 0x0040, 0x0067, 0x006C, 0xC023, 0xC025, 0xC027, 0xC029:
		s.kind, s.keyLen, s.mac = kindCBC, 16, macSHA256
	case 0x003D, 0x0068, 0x0069, 0x006A, 0x006B, 0x006D:
		s.kind, s.keyLen, s.mac = kindCBC, 32, macSHA256
	// RFC 5289: AES-256-CBC with HMAC-SHA384 and the SHA-384 PRF.
	case 0xC024, 0xC026, 0xC028, 0xC02A:
		s.kind, s.keyLen, s.mac, s.sha384 = kindCBC, 32, macSHA384, true
	// RFC 5246 Appendix A.5: 3DES-EDE-CBC-SHA.
	case 0x000A, 0x000D, 0x0010, 0x0013, 0x0016, 0x001B, 0xC003, 0xC008, 0xC00D, 0xC012, 0xC017:
		s.kind, s.keyLen, s.mac, s.block3 = kindCBC, 24, macSHA1, true
	default:
		return s, false
	}
	return s, true
}

// hash returns the suite's PRF/HKDF hash constructor.
func (s suite) hash() func() hash.Hash {
	if s.sha384 {
		return sha512.New384
	}
	return sha256.New
}

// macLen is the HMAC output length of a CBC suite.
func (s suite) macLen() int {
	switch s.mac {
	case macSHA1:
		return sha1.Size
	case macSHA256:
		return sha256.Size
	case macSHA384:
		return sha512.Size384
	}
	return 0
}

// newMAC returns the HMAC of a CBC suite keyed with key.
func (s suite) newMAC(key []byte) hash.Hash {
	switch s.mac {
	case macSHA256:
		return hmac.New(sha256.New, key)
	case macSHA384:
		return hmac.New(sha512.New384, key)
	}
	return hmac.New(sha1.New, key)
}

// blockLen is the block (and explicit IV) size of a CBC suite.
func (s suite) blockLen() int {
	if s.block3 {
		return des.BlockSize
	}
	return aes.BlockSize
}

// newBlock returns the block cipher of a CBC suite.
func (s suite) newBlock(key []byte) (cipher.Block, error) {
	if s.block3 {
		return des.NewTripleDESCipher(key)
	}
	return aes.NewCipher(key)
}

// newAEAD returns the AEAD of a GCM or ChaCha20-Poly1305 suite.
func (s suite) newAEAD(key []byte) (cipher.AEAD, error) {
	if s.kind == kindChaCha {
		return chacha20poly1305.New(key)
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// md5New is here so prf.go needs no second md5 import comment.
func md5New() hash.Hash { return md5.New() } //nolint:gosec // TLS 1.0/1.1 PRF
