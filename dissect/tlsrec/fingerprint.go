package tlsrec

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/tlsname"
)

// fingerprint computes JA3 and JA4 from the decoded fields.
func (ch *ClientHello) fingerprint() {
	ch.JA3 = ja3(ch)
	sum := md5.Sum([]byte(ch.JA3))
	ch.JA3Hash = hex.EncodeToString(sum[:])
	ch.JA4 = ja4(ch)
}

// ja3 builds the JA3 string (github.com/salesforce/ja3):
// SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats,
// decimal values joined by "-", GREASE values (RFC 8701) removed.
func ja3(ch *ClientHello) string {
	b := make([]byte, 0, 256)
	b = strconv.AppendUint(b, uint64(ch.LegacyVersion), 10)
	b = append(b, ',')
	b = appendDecimal(b, ch.CipherSuites)
	b = append(b, ',')
	b = appendDecimal(b, ch.Extensions)
	b = append(b, ',')
	b = appendDecimal(b, ch.SupportedGroups)
	b = append(b, ',')
	for i, f := range ch.ECPointFormats {
		if i > 0 {
			b = append(b, '-')
		}
		b = strconv.AppendUint(b, uint64(f), 10)
	}
	return string(b)
}

// appendDecimal appends the non-GREASE values of vs in decimal, "-"-joined.
func appendDecimal(b []byte, vs []uint16) []byte {
	first := true
	for _, v := range vs {
		if tlsname.IsGREASE(v) {
			continue
		}
		if !first {
			b = append(b, '-')
		}
		first = false
		b = strconv.AppendUint(b, uint64(v), 10)
	}
	return b
}

// ja4 builds the JA4 TLS client fingerprint (github.com/FoxIO-LLC/ja4,
// technical_details/JA4.md), always with protocol "t" (TLS over TCP).
func ja4(ch *ClientHello) string {
	ciphers := withoutGREASE(ch.CipherSuites)
	exts := withoutGREASE(ch.Extensions)
	b := make([]byte, 0, 40)
	b = append(b, 't')
	b = append(b, ja4Version(ch)...)
	if contains(ch.Extensions, extServerName) {
		b = append(b, 'd')
	} else {
		b = append(b, 'i')
	}
	b = appendCount(b, len(ciphers))
	b = appendCount(b, len(exts))
	b = append(b, ja4ALPN(ch.alpnFirst)...)
	b = append(b, '_')

	slices.Sort(ciphers)
	b = append(b, hash12(hexList(nil, ciphers))...)
	b = append(b, '_')

	// Extensions sorted, minus SNI and ALPN (already in part a), then the
	// signature algorithms in their original order.
	sorted := exts[:0]
	for _, e := range exts {
		if e != extServerName && e != extALPN {
			sorted = append(sorted, e)
		}
	}
	slices.Sort(sorted)
	if len(sorted) == 0 {
		return string(append(b, "000000000000"...))
	}
	raw := hexList(nil, sorted)
	if sigs := withoutGREASE(ch.SignatureAlgorithms); len(sigs) > 0 {
		raw = append(raw, '_')
		raw = hexList(raw, sigs)
	}
	return string(append(b, hash12(raw)...))
}

// ja4Version is the 2-character version of JA4: the highest non-GREASE
// supported_versions entry, else the legacy version.
func ja4Version(ch *ClientHello) string {
	v := ch.LegacyVersion
	if contains(ch.Extensions, extSupportedVersions) {
		v = ch.MaxVersion()
	}
	return versionCode(v)
}

// versionCode is JA4's 2-character spelling of a TLS version.
func versionCode(v uint16) string {
	switch v {
	case VersionTLS13:
		return "13"
	case VersionTLS12:
		return "12"
	case VersionTLS11:
		return "11"
	case VersionTLS10:
		return "10"
	case VersionSSL30:
		return "s3"
	case 0x0002:
		return "s2"
	}
	return "00"
}

// ja4ALPN is the first and last character of the first ALPN value, "00"
// without one; if either is not alphanumeric, the first and last character
// of its hex spelling.
func ja4ALPN(first []byte) string {
	if len(first) == 0 {
		return "00"
	}
	a, z := first[0], first[len(first)-1]
	if isAlnum(a) && isAlnum(z) {
		return string([]byte{a, z})
	}
	h := hex.EncodeToString(first)
	return string([]byte{h[0], h[len(h)-1]})
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// appendCount appends a count as 2 digits, capped at 99.
func appendCount(b []byte, n int) []byte {
	n = min(n, 99)
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// withoutGREASE returns a copy of vs without GREASE values.
func withoutGREASE(vs []uint16) []uint16 {
	out := make([]uint16, 0, len(vs))
	for _, v := range vs {
		if !tlsname.IsGREASE(v) {
			out = append(out, v)
		}
	}
	return out
}

// hexList appends vs as 4-digit lower-case hex, comma-separated.
func hexList(b []byte, vs []uint16) []byte {
	const digits = "0123456789abcdef"
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, digits[v>>12], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf])
	}
	return b
}

// hash12 is the first 12 hex digits of SHA-256(b), or 12 zeros for nothing.
func hash12(b []byte) string {
	if len(b) == 0 {
		return "000000000000"
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// JA3S is the server fingerprint of github.com/salesforce/ja3 (JA3S):
// SSLVersion,Cipher,Extensions of the ServerHello, decimal, extensions
// "-"-joined in the order sent; it returns the string and its MD5.
func JA3S(sh *ServerHello) (string, string) {
	b := make([]byte, 0, 64)
	b = strconv.AppendUint(b, uint64(sh.LegacyVersion), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(sh.CipherSuite), 10)
	b = append(b, ',')
	for i, e := range sh.Extensions {
		if i > 0 {
			b = append(b, '-')
		}
		b = strconv.AppendUint(b, uint64(e), 10)
	}
	sum := md5.Sum(b)
	return string(b), hex.EncodeToString(sum[:])
}

// JA4S is the server fingerprint of github.com/FoxIO-LLC/ja4
// (technical_details/JA4S.md): "t", the selected version (2 characters),
// the number of extensions (2 digits), the first and last character of
// the chosen ALPN ("00" without), "_", the cipher suite in 4 hex digits,
// "_", the first 12 hex digits of SHA-256 of the extensions in the order
// sent (4 hex digits each, comma-separated).
func JA4S(sh *ServerHello) string {
	b := make([]byte, 0, 25)
	b = append(b, 't')
	b = append(b, versionCode(sh.SelectedVersion)...)
	b = appendCount(b, len(sh.Extensions))
	b = append(b, ja4ALPN([]byte(sh.ALPN))...)
	b = append(b, '_')
	b = hexList(b, []uint16{sh.CipherSuite})
	b = append(b, '_')
	return string(append(b, hash12(hexList(nil, sh.Extensions))...))
}
