package tlsdecrypt

import (
	"fmt"

	"github.com/smtpscope/smtpscope/dissect/tlsrec"
)

// aeadIVLen is the TLS 1.3 per-record nonce length (RFC 8446, Section 5.3:
// max(8, N_MIN) = 12 for the defined AEADs).
const aeadIVLen = 12

// keys13 derives the record protection of one TLS 1.3 traffic secret
// (RFC 8446, Section 7.3).
func keys13(s suite, secret []byte) (opener, error) {
	if len(secret) != s.hash()().Size() {
		return nil, fmt.Errorf("tlsdecrypt: %d-byte secret for a suite with a %d-byte hash", len(secret), s.hash()().Size())
	}
	key, err := expandLabel(s.hash(), secret, "key", nil, s.keyLen)
	if err != nil {
		return nil, fmt.Errorf("tlsdecrypt: deriving key: %w", err)
	}
	iv, err := expandLabel(s.hash(), secret, "iv", nil, aeadIVLen)
	if err != nil {
		return nil, fmt.Errorf("tlsdecrypt: deriving iv: %w", err)
	}
	a, err := s.newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("tlsdecrypt: %w", err)
	}
	return &aead13{aead: a, iv: iv}, nil
}

// nextSecret is the KeyUpdate step (RFC 8446, Section 7.2):
// application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length).
func nextSecret(s suite, secret []byte) ([]byte, error) {
	return expandLabel(s.hash(), secret, "traffic upd", nil, len(secret))
}

// keys12 derives both directions' record protection from a TLS ≤ 1.2
// master secret (RFC 5246, Section 6.3): key_block = PRF(master_secret,
// "key expansion", server_random + client_random), cut into client and
// server MAC keys, encryption keys and IVs, in that order.
func keys12(s suite, version uint16, master []byte, clientRandom, serverRandom [32]byte, etm bool) (client, server opener, err error) {
	macLen, ivLen := s.macLen(), s.fixedIV
	if s.kind == kindCBC && version == tlsrec.VersionTLS10 {
		// RFC 2246, Section 6.3: TLS 1.0 takes the first CBC IVs from the key block.
		ivLen = s.blockLen()
	}
	kb := make([]byte, 2*(macLen+s.keyLen+ivLen))
	seed := append(serverRandom[:], clientRandom[:]...)
	if version >= tlsrec.VersionTLS12 {
		prf12(kb, master, "key expansion", seed, s.hash())
	} else {
		prf10(kb, master, "key expansion", seed)
	}
	next := func(n int) []byte {
		b := kb[:n:n]
		kb = kb[n:]
		return b
	}
	cMAC, sMAC := next(macLen), next(macLen)
	cKey, sKey := next(s.keyLen), next(s.keyLen)
	cIV, sIV := next(ivLen), next(ivLen)
	if client, err = s.opener12(version, cMAC, cKey, cIV, etm); err != nil {
		return nil, nil, err
	}
	if server, err = s.opener12(version, sMAC, sKey, sIV, etm); err != nil {
		return nil, nil, err
	}
	return client, server, nil
}

// opener12 builds the record protection of one TLS ≤ 1.2 direction.
func (s suite) opener12(version uint16, macKey, key, iv []byte, etm bool) (opener, error) {
	if s.kind == kindCBC {
		b, err := s.newBlock(key)
		if err != nil {
			return nil, fmt.Errorf("tlsdecrypt: %w", err)
		}
		c := &cbc12{block: b, mac: s.newMAC(macKey), etm: etm}
		if version == tlsrec.VersionTLS10 {
			c.iv = iv
		}
		return c, nil
	}
	a, err := s.newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("tlsdecrypt: %w", err)
	}
	return &aead12{aead: a, iv: iv, explicit: s.kind == kindGCM}, nil
}

// supported12 reports whether a TLS ≤ 1.2 suite can be used with a version:
// AEAD and SHA-256/384 suites exist only in TLS 1.2 (RFC 5246, Section 1.2;
// RFC 5288, Section 4).
func (s suite) supported12(version uint16) bool {
	switch {
	case s.tls13 || version < tlsrec.VersionTLS10 || version > tlsrec.VersionTLS12:
		return false
	case version < tlsrec.VersionTLS12:
		return s.kind == kindCBC && s.mac == macSHA1
	}
	return true
}
