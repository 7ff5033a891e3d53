package tlsrec

// Content types of the record layer (RFC 8446, Section 5.1; RFC 6520, Section 3).
const (
	TypeChangeCipherSpec uint8 = 20
	TypeAlert            uint8 = 21
	TypeHandshake        uint8 = 22
	TypeApplicationData  uint8 = 23
	TypeHeartbeat        uint8 = 24
)

// Handshake message types (RFC 8446, Section 4; RFC 5246, Section 7.4).
const (
	HandshakeClientHello       uint8 = 1
	HandshakeServerHello       uint8 = 2
	HandshakeEndOfEarlyData    uint8 = 5
	HandshakeCertificate       uint8 = 11
	HandshakeServerKeyExchange uint8 = 12
	HandshakeServerHelloDone   uint8 = 14
	HandshakeClientKeyExchange uint8 = 16
	HandshakeFinished          uint8 = 20
	HandshakeKeyUpdate         uint8 = 24
)

// Protocol versions (RFC 8446, Section 4.2.1; RFC 5246, Appendix E).
const (
	VersionSSL30 uint16 = 0x0300
	VersionTLS10 uint16 = 0x0301
	VersionTLS11 uint16 = 0x0302
	VersionTLS12 uint16 = 0x0303
	VersionTLS13 uint16 = 0x0304
)
