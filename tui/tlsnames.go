package tui

import "strconv"

// contentTypeName names a TLS record content type (RFC 8446, Section 5.1;
// RFC 6520 for heartbeat).
func contentTypeName(t uint8) string {
	switch t {
	case 20:
		return "ChangeCipherSpec"
	case 21:
		return "Alert"
	case 22:
		return "Handshake"
	case 23:
		return "ApplicationData"
	case 24:
		return "Heartbeat"
	}
	return "type " + strconv.Itoa(int(t))
}

// handshakeName names a TLS handshake message type (RFC 8446, Section 4;
// RFC 5246, Section 7.4 for the TLS 1.2 ones).
func handshakeName(t uint8) string {
	switch t {
	case 0:
		return "HelloRequest"
	case 1:
		return "ClientHello"
	case 2:
		return "ServerHello"
	case 4:
		return "NewSessionTicket"
	case 5:
		return "EndOfEarlyData"
	case 8:
		return "EncryptedExtensions"
	case 11:
		return "Certificate"
	case 12:
		return "ServerKeyExchange"
	case 13:
		return "CertificateRequest"
	case 14:
		return "ServerHelloDone"
	case 15:
		return "CertificateVerify"
	case 16:
		return "ClientKeyExchange"
	case 20:
		return "Finished"
	case 24:
		return "KeyUpdate"
	}
	return "handshake " + strconv.Itoa(int(t))
}

// versionName names a TLS protocol version field (RFC 8446, Appendix B.1;
// RFC 6101 for SSL 3.0).
func versionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSL 3.0"
	case 0x0301:
		return "TLS 1.0"
	case 0x0302:
		return "TLS 1.1"
	case 0x0303:
		return "TLS 1.2"
	case 0x0304:
		return "TLS 1.3"
	}
	return "0x" + strconv.FormatUint(uint64(v), 16)
}
