// Package tlsname is the TLS vocabulary: the names of record content types,
// protocol versions, handshake messages, alerts and cipher suites, as
// smtpscope shows them everywhere (timeline, text and JSON reports, TUI).
// It imports no parser, so the model side (tui) may use it; package tlsrec
// holds the numbers as constants and parses the bytes.
//
// Implemented: RFC 8446 (Sections 4, 5.1, 6, Appendix B), RFC 5246
// (Sections 7.2, 7.4, Appendix A.5), RFC 6520, RFC 8701, the IANA TLS Cipher
// Suites registry.
package tlsname

import (
	"crypto/tls"
	"fmt"
)

// ContentTypeName returns the name of a record content type
// as Wireshark spells them ("Change Cipher Spec", "Alert", "Handshake",
// "Application Data", "Heartbeat"), or "content type N". Every view and
// summary uses this one spelling.
func ContentTypeName(t uint8) string {
	switch t {
	case 20:
		return "Change Cipher Spec"
	case 21:
		return "Alert"
	case 22:
		return "Handshake"
	case 23:
		return "Application Data"
	case 24:
		return "Heartbeat"
	}
	return fmt.Sprintf("content type %d", t)
}

// VersionName returns the name of a protocol version: 0x0300 "SSL 3.0",
// 0x0301 "TLS 1.0" … 0x0304 "TLS 1.3"; GREASE values (RFC 8701) and unknown
// versions are spelled "GREASE (0x0A0A)" and "0x%04X".
func VersionName(v uint16) string {
	switch v {
	case 0x0002:
		return "SSL 2.0"
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
	if IsGREASE(v) {
		return fmt.Sprintf("GREASE (0x%04X)", v)
	}
	if v>>8 == 0x7f {
		// Drafts of RFC 8446 used 0x7F00 | draft number.
		return fmt.Sprintf("TLS 1.3 draft %d", v&0xff)
	}
	return fmt.Sprintf("0x%04X", v)
}

// CipherSuiteName returns the IANA name of a cipher suite. It starts from
// crypto/tls.CipherSuiteName and adds the (mostly insecure) suites that Go
// does not implement but mail servers still negotiate: NULL, EXPORT, anon,
// DES, DHE, CCM, CAMELLIA, SEED and the signalling values. Unknown values are
// spelled "0x%04X".
func CipherSuiteName(id uint16) string {
	if n := goSuiteName(id); n != "" {
		return n
	}
	if n := extraSuiteName(id); n != "" {
		return n
	}
	return tls.CipherSuiteName(id) // "0x%04X" for an unknown suite
}

// goSuiteName names the suites crypto/tls implements, as
// tls.CipherSuiteName does, without building its lists on every call (this
// runs for every suite of every ClientHello).
func goSuiteName(id uint16) string {
	switch id {
	case 0x1301:
		return "TLS_AES_128_GCM_SHA256"
	case 0x1302:
		return "TLS_AES_256_GCM_SHA384"
	case 0x1303:
		return "TLS_CHACHA20_POLY1305_SHA256"
	case 0xc009:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
	case 0xc00a:
		return "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"
	case 0xc013:
		return "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
	case 0xc014:
		return "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"
	case 0xc02b:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
	case 0xc02c:
		return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
	case 0xc02f:
		return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
	case 0xc030:
		return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
	case 0xcca8:
		return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
	case 0xcca9:
		return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
	case 0x0005:
		return "TLS_RSA_WITH_RC4_128_SHA"
	case 0x000a:
		return "TLS_RSA_WITH_3DES_EDE_CBC_SHA"
	case 0x002f:
		return "TLS_RSA_WITH_AES_128_CBC_SHA"
	case 0x0035:
		return "TLS_RSA_WITH_AES_256_CBC_SHA"
	case 0x003c:
		return "TLS_RSA_WITH_AES_128_CBC_SHA256"
	case 0x009c:
		return "TLS_RSA_WITH_AES_128_GCM_SHA256"
	case 0x009d:
		return "TLS_RSA_WITH_AES_256_GCM_SHA384"
	case 0xc007:
		return "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"
	case 0xc011:
		return "TLS_ECDHE_RSA_WITH_RC4_128_SHA"
	case 0xc012:
		return "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"
	case 0xc023:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"
	case 0xc027:
		return "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"
	}
	return ""
}

// extraSuiteName names the suites crypto/tls does not know (IANA TLS Cipher
// Suites registry; RFC 5246 Appendix A.5, RFC 4346 Appendix A.5, RFC 4492,
// RFC 5288, RFC 5289, RFC 6655, RFC 7905, RFC 7507, RFC 5746, RFC 8446 B.4).
func extraSuiteName(id uint16) string {
	switch id {
	case 0x0000:
		return "TLS_NULL_WITH_NULL_NULL"
	case 0x0001:
		return "TLS_RSA_WITH_NULL_MD5"
	case 0x0002:
		return "TLS_RSA_WITH_NULL_SHA"
	case 0x0003:
		return "TLS_RSA_EXPORT_WITH_RC4_40_MD5"
	case 0x0004:
		return "TLS_RSA_WITH_RC4_128_MD5"
	case 0x0006:
		return "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"
	case 0x0007:
		return "TLS_RSA_WITH_IDEA_CBC_SHA"
	case 0x0008:
		return "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"
	case 0x0009:
		return "TLS_RSA_WITH_DES_CBC_SHA"
	case 0x000D:
		return "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA"
	case 0x0010:
		return "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA"
	case 0x0011:
		return "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"
	case 0x0012:
		return "TLS_DHE_DSS_WITH_DES_CBC_SHA"
	case 0x0013:
		return "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"
	case 0x0014:
		return "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"
	case 0x0015:
		return "TLS_DHE_RSA_WITH_DES_CBC_SHA"
	case 0x0016:
		return "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"
	case 0x0017:
		return "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"
	case 0x0018:
		return "TLS_DH_anon_WITH_RC4_128_MD5"
	case 0x0019:
		return "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA"
	case 0x001A:
		return "TLS_DH_anon_WITH_DES_CBC_SHA"
	case 0x001B:
		return "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"
	case 0x0032:
		return "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"
	case 0x0033:
		return "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"
	case 0x0034:
		return "TLS_DH_anon_WITH_AES_128_CBC_SHA"
	case 0x0038:
		return "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"
	case 0x0039:
		return "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"
	case 0x003A:
		return "TLS_DH_anon_WITH_AES_256_CBC_SHA"
	case 0x003B:
		return "TLS_RSA_WITH_NULL_SHA256"
	case 0x003D:
		return "TLS_RSA_WITH_AES_256_CBC_SHA256"
	case 0x0040:
		return "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"
	case 0x0041:
		return "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"
	case 0x0045:
		return "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"
	case 0x0062:
		return "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA"
	case 0x0064:
		return "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA"
	case 0x0067:
		return "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"
	case 0x006A:
		return "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"
	case 0x006B:
		return "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"
	case 0x006C:
		return "TLS_DH_anon_WITH_AES_128_CBC_SHA256"
	case 0x006D:
		return "TLS_DH_anon_WITH_AES_256_CBC_SHA256"
	case 0x0084:
		return "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"
	case 0x0088:
		return "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"
	case 0x0096:
		return "TLS_RSA_WITH_SEED_CBC_SHA"
	case 0x009E:
		return "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"
	case 0x009F:
		return "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"
	case 0x00A2:
		return "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"
	case 0x00A3:
		return "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"
	case 0x00A6:
		return "TLS_DH_anon_WITH_AES_128_GCM_SHA256"
	case 0x00A7:
		return "TLS_DH_anon_WITH_AES_256_GCM_SHA384"
	case 0x00FF:
		return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" // RFC 5746, Section 3.3
	case 0x1304:
		return "TLS_AES_128_CCM_SHA256"
	case 0x1305:
		return "TLS_AES_128_CCM_8_SHA256"
	case 0x5600:
		return "TLS_FALLBACK_SCSV" // RFC 7507, Section 2
	case 0xC001:
		return "TLS_ECDH_ECDSA_WITH_NULL_SHA"
	case 0xC002:
		return "TLS_ECDH_ECDSA_WITH_RC4_128_SHA"
	case 0xC003:
		return "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA"
	case 0xC004:
		return "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"
	case 0xC005:
		return "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"
	case 0xC006:
		return "TLS_ECDHE_ECDSA_WITH_NULL_SHA"
	case 0xC008:
		return "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"
	case 0xC00B:
		return "TLS_ECDH_RSA_WITH_NULL_SHA"
	case 0xC00C:
		return "TLS_ECDH_RSA_WITH_RC4_128_SHA"
	case 0xC00D:
		return "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA"
	case 0xC00E:
		return "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"
	case 0xC00F:
		return "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"
	case 0xC010:
		return "TLS_ECDHE_RSA_WITH_NULL_SHA"
	case 0xC015:
		return "TLS_ECDH_anon_WITH_NULL_SHA"
	case 0xC016:
		return "TLS_ECDH_anon_WITH_RC4_128_SHA"
	case 0xC017:
		return "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"
	case 0xC018:
		return "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"
	case 0xC019:
		return "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"
	case 0xC024:
		return "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"
	case 0xC028:
		return "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"
	case 0xC09C:
		return "TLS_RSA_WITH_AES_128_CCM"
	case 0xC09D:
		return "TLS_RSA_WITH_AES_256_CCM"
	case 0xC0AC:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"
	case 0xC0AD:
		return "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"
	case 0xC0AE:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"
	case 0xC0AF:
		return "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"
	case 0xCCAA:
		return "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
	}
	if IsGREASE(id) {
		return fmt.Sprintf("GREASE (0x%04X)", id)
	}
	return ""
}

// HandshakeName returns the name of a handshake message type (RFC 8446,
// Section 4; RFC 5246, Section 7.4; RFC 6066; RFC 8879), or "handshake type N".
func HandshakeName(t uint8) string {
	switch t {
	case 0:
		return "HelloRequest"
	case 1:
		return "ClientHello"
	case 2:
		return "ServerHello"
	case 3:
		return "HelloVerifyRequest"
	case 4:
		return "NewSessionTicket"
	case 5:
		return "EndOfEarlyData"
	case 6:
		return "HelloRetryRequest"
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
	case 21:
		return "CertificateURL"
	case 22:
		return "CertificateStatus"
	case 23:
		return "SupplementalData"
	case 24:
		return "KeyUpdate"
	case 25:
		return "CompressedCertificate"
	case 254:
		return "MessageHash"
	}
	return fmt.Sprintf("handshake type %d", t)
}

// AlertName returns the name of an alert description (RFC 8446, Section 6;
// RFC 5246, Section 7.2; RFC 7507), or "alert N".
func AlertName(d uint8) string {
	switch d {
	case 0:
		return "close_notify"
	case 10:
		return "unexpected_message"
	case 20:
		return "bad_record_mac"
	case 21:
		return "decryption_failed"
	case 22:
		return "record_overflow"
	case 30:
		return "decompression_failure"
	case 40:
		return "handshake_failure"
	case 41:
		return "no_certificate"
	case 42:
		return "bad_certificate"
	case 43:
		return "unsupported_certificate"
	case 44:
		return "certificate_revoked"
	case 45:
		return "certificate_expired"
	case 46:
		return "certificate_unknown"
	case 47:
		return "illegal_parameter"
	case 48:
		return "unknown_ca"
	case 49:
		return "access_denied"
	case 50:
		return "decode_error"
	case 51:
		return "decrypt_error"
	case 60:
		return "export_restriction"
	case 70:
		return "protocol_version"
	case 71:
		return "insufficient_security"
	case 80:
		return "internal_error"
	case 86:
		return "inappropriate_fallback"
	case 90:
		return "user_canceled"
	case 100:
		return "no_renegotiation"
	case 109:
		return "missing_extension"
	case 110:
		return "unsupported_extension"
	case 111:
		return "certificate_unobtainable"
	case 112:
		return "unrecognized_name"
	case 113:
		return "bad_certificate_status_response"
	case 114:
		return "bad_certificate_hash_value"
	case 115:
		return "unknown_psk_identity"
	case 116:
		return "certificate_required"
	case 120:
		return "no_application_protocol"
	}
	return fmt.Sprintf("alert %d", d)
}

// AlertLevelName names an alert level (RFC 5246, Section 7.2).
func AlertLevelName(l uint8) string {
	switch l {
	case 1:
		return "warning"
	case 2:
		return "fatal"
	}
	return fmt.Sprintf("level %d", l)
}

// IsGREASE reports the reserved GREASE values 0x?A?A (RFC 8701, Section 2).
func IsGREASE(v uint16) bool {
	return v&0x0f0f == 0x0a0a && v>>8 == v&0xff
}
