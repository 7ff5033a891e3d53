package main

import (
	"crypto/sha256"

	"golang.org/x/crypto/cryptobyte"
)

// Hand-written TLS records for the attack scenarios whose handshakes
// crypto/tls will not perform (TLS 1.0 with RC4, a refused handshake).
// Only the plaintext parts an analyzer reads are real; everything after
// ChangeCipherSpec is deterministic filler standing for ciphertext.

// TLS constants (RFC 5246, Section 6.2.1, 7.4 and A.5; RFC 8446, Section 6).
const (
	recHandshake     = 22
	recCCS           = 20
	recAlert         = 21
	recAppData       = 23
	hsClientHello    = 1
	hsServerHello    = 2
	hsServerDone     = 14
	hsClientKeyEx    = 16
	vTLS10           = 0x0301
	vTLS12           = 0x0303
	suiteRC4SHA      = 0x0005 // TLS_RSA_WITH_RC4_128_SHA
	suiteRC4MD5      = 0x0004 // TLS_RSA_WITH_RC4_128_MD5
	suite3DES        = 0x000a // TLS_RSA_WITH_3DES_EDE_CBC_SHA
	suiteAES128SHA   = 0x002f // TLS_RSA_WITH_AES_128_CBC_SHA
	suiteECDHEGCM    = 0xc02f // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	extServerName    = 0
	alertFatal       = 2
	alertHandshakeNo = 40 // handshake_failure
)

// filler returns n deterministic bytes derived from label: stand-in
// ciphertext and randoms (the same on every run).
func filler(label string, n int) []byte {
	out := make([]byte, 0, n)
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256([]byte(label + "/" + itoa(i)))
		out = append(out, h[:]...)
	}
	return out[:n]
}

// record frames a TLS record (RFC 5246, Section 6.2.1).
func record(typ uint8, version uint16, body []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8(typ)
	b.AddUint16(version)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	return b.BytesOrPanic()
}

// handshakeMsg frames a handshake message (RFC 5246, Section 7.4).
func handshakeMsg(typ uint8, body []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	return b.BytesOrPanic()
}

// rawClientHello is a ClientHello record offering version and suites, with
// the SNI extension (RFC 5246, Section 7.4.1.2; RFC 6066, Section 3).
func rawClientHello(label string, version uint16, suites []uint16, sni string) []byte {
	var b cryptobyte.Builder
	b.AddUint16(version)
	b.AddBytes(filler(label+"/client-random", 32))
	b.AddUint8(0) // empty session ID
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, s := range suites {
			b.AddUint16(s)
		}
	})
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) }) // null compression
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(extServerName)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddUint8(0) // host_name
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(sni)) })
			})
		})
	})
	// RFC 5246, Appendix E.1: the record version of a first ClientHello is
	// often 0x0301 whatever the offer.
	return record(recHandshake, vTLS10, handshakeMsg(hsClientHello, b.BytesOrPanic()))
}

// rawServerFlight is ServerHello selecting version and suite, then
// ServerHelloDone, in one record (RFC 5246, Section 7.3; the Certificate a
// real RSA server sends between them is left out: the scenario shows the
// negotiated parameters, not authentication).
func rawServerFlight(label string, version, suite uint16) []byte {
	var b cryptobyte.Builder
	b.AddUint16(version)
	b.AddBytes(filler(label+"/server-random", 32))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(filler(label+"/session-id", 32)) })
	b.AddUint16(suite)
	b.AddUint8(0) // null compression
	body := append(handshakeMsg(hsServerHello, b.BytesOrPanic()), handshakeMsg(hsServerDone, nil)...)
	return record(recHandshake, version, body)
}

// rawClientFinish is ClientKeyExchange (an RSA-encrypted premaster secret of
// a 2048-bit key, RFC 5246, Section 7.4.7.1), ChangeCipherSpec and the
// encrypted Finished, in one flight.
func rawClientFinish(label string, version uint16) []byte {
	var cke cryptobyte.Builder
	cke.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(filler(label+"/premaster", 256)) })
	out := record(recHandshake, version, handshakeMsg(hsClientKeyEx, cke.BytesOrPanic()))
	out = append(out, record(recCCS, version, []byte{1})...)
	return append(out, record(recHandshake, version, filler(label+"/client-finished", 36))...)
}

// rawServerFinish is the server's ChangeCipherSpec and encrypted Finished.
func rawServerFinish(label string, version uint16) []byte {
	out := record(recCCS, version, []byte{1})
	return append(out, record(recHandshake, version, filler(label+"/server-finished", 36))...)
}

// rawAppData is one application data record of n opaque bytes.
func rawAppData(label string, version uint16, n int) []byte {
	return record(recAppData, version, filler(label, n))
}

// rawAlert is a plaintext alert record (RFC 5246, Section 7.2).
func rawAlert(version uint16, level, desc uint8) []byte {
	return record(recAlert, version, []byte{level, desc})
}
