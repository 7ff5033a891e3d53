package tlsrec

import (
	"bytes"
	"fmt"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"golang.org/x/crypto/cryptobyte"
)

// Extension types (IANA TLS ExtensionType Values).
const (
	extServerName          uint16 = 0  // RFC 6066, Section 3
	extSupportedGroups     uint16 = 10 // RFC 8446, Section 4.2.7
	extECPointFormats      uint16 = 11 // RFC 8422, Section 5.1.2
	extSignatureAlgorithms uint16 = 13 // RFC 8446, Section 4.2.3
	extALPN                uint16 = 16 // RFC 7301, Section 3.1
	extSupportedVersions   uint16 = 43 // RFC 8446, Section 4.2.1
	extKeyShare            uint16 = 51 // RFC 8446, Section 4.2.8
)

// hrrRandom is SHA-256("HelloRetryRequest"), the Random of a
// HelloRetryRequest (RFC 8446, Section 4.1.3).
const hrrRandom = "\xcf\x21\xad\x74\xe5\x9a\x61\x11\xbe\x1d\x8c\x02\x1e\x65\xb8\x91" +
	"\xc2\xa2\x11\x16\x7a\xbb\x8c\x5e\x07\x9e\x09\xe2\xc8\xa8\x33\x9c"

// Downgrade sentinels, the last 8 bytes of ServerHello.random (RFC 8446,
// Section 4.1.3).
const (
	downgradeTLS12 = "DOWNGRD\x01"
	downgradeTLS11 = "DOWNGRD\x00"
)

// maxQuoted bounds the bytes quoted in an error.
const maxQuoted = 16

// helloError builds a parse error quoting (the start of) the offending bytes.
func helloError(msg, what string, b []byte) error {
	if len(b) > maxQuoted {
		b = b[:maxQuoted]
	}
	return fmt.Errorf("tlsrec: %s: malformed %s %q", msg, what, b)
}

// parseClientHello decodes a ClientHello body (RFC 8446, Section 4.1.2;
// RFC 5246, Section 7.4.1.2). The message structure must be exact (no
// trailing bytes, every vector within its parent): otherwise it returns nil.
// A malformed known extension keeps the ClientHello and returns an error too.
func parseClientHello(body []byte) (*ClientHello, error) {
	const msg = "ClientHello"
	s := cryptobyte.String(body)
	ch := &ClientHello{}
	var sid, suites, comp cryptobyte.String
	if !s.ReadUint16(&ch.LegacyVersion) || !s.CopyBytes(ch.Random[:]) ||
		!s.ReadUint8LengthPrefixed(&sid) || len(sid) > 32 || // legacy_session_id<0..32>
		!s.ReadUint16LengthPrefixed(&suites) || len(suites) == 0 || // cipher_suites<2..2^16-2>
		!readUint16s(&suites, &ch.CipherSuites) ||
		!s.ReadUint8LengthPrefixed(&comp) || len(comp) == 0 { // legacy_compression_methods<1..2^8-1>
		return nil, helloError(msg, "fixed fields", body)
	}
	ch.SessionID = bytes.Clone(sid)
	ch.Compression = bytes.Clone(comp)
	if s.Empty() {
		// RFC 5246, Section 7.4.1.2: the extensions block may be absent.
		ch.fingerprint()
		return ch, nil
	}
	firstErr, err := walkExtensions(msg, s, func(typ uint16, data cryptobyte.String) bool {
		ch.Extensions = append(ch.Extensions, typ)
		return ch.parseExtension(typ, data)
	})
	if err != nil {
		return nil, err
	}
	ch.fingerprint()
	return ch, firstErr
}

// parseExtension decodes the client extensions smtpscope shows; it reports
// false when the extension's data is malformed.
func (ch *ClientHello) parseExtension(typ uint16, data cryptobyte.String) bool {
	switch typ {
	case extServerName:
		// RFC 6066, Section 3: ServerNameList of {name_type, HostName}.
		var list cryptobyte.String
		if !data.ReadUint16LengthPrefixed(&list) || !data.Empty() {
			return false
		}
		for !list.Empty() {
			var nameType uint8
			var name cryptobyte.String
			if !list.ReadUint8(&nameType) || !list.ReadUint16LengthPrefixed(&name) {
				return false
			}
			if nameType == 0 && !ch.hasSNI {
				ch.hasSNI = true
				ch.SNI = sanitize.Bytes(name)
			}
		}
		return true
	case extSupportedGroups:
		var list cryptobyte.String
		return data.ReadUint16LengthPrefixed(&list) && data.Empty() && readUint16s(&list, &ch.SupportedGroups)
	case extECPointFormats:
		var list cryptobyte.String
		if !data.ReadUint8LengthPrefixed(&list) || !data.Empty() {
			return false
		}
		ch.ECPointFormats = bytes.Clone(list)
		return true
	case extSignatureAlgorithms:
		var list cryptobyte.String
		return data.ReadUint16LengthPrefixed(&list) && data.Empty() && readUint16s(&list, &ch.SignatureAlgorithms)
	case extALPN:
		// RFC 7301, Section 3.1: ProtocolNameList of non-empty names.
		var list cryptobyte.String
		if !data.ReadUint16LengthPrefixed(&list) || !data.Empty() {
			return false
		}
		for !list.Empty() {
			var name cryptobyte.String
			if !list.ReadUint8LengthPrefixed(&name) || len(name) == 0 {
				return false
			}
			if ch.alpnFirst == nil {
				ch.alpnFirst = bytes.Clone(name)
			}
			ch.ALPN = append(ch.ALPN, sanitize.Bytes(name))
		}
		return true
	case extSupportedVersions:
		// RFC 8446, Section 4.2.1: ProtocolVersion versions<2..254> in a ClientHello.
		var list cryptobyte.String
		return data.ReadUint8LengthPrefixed(&list) && data.Empty() && readUint16s(&list, &ch.SupportedVersions)
	case extKeyShare:
		// RFC 8446, Section 4.2.8: KeyShareEntry client_shares<0..2^16-1>.
		var list cryptobyte.String
		if !data.ReadUint16LengthPrefixed(&list) || !data.Empty() {
			return false
		}
		for !list.Empty() {
			var group uint16
			var key cryptobyte.String
			if !list.ReadUint16(&group) || !list.ReadUint16LengthPrefixed(&key) {
				return false
			}
			ch.KeyShareGroups = append(ch.KeyShareGroups, group)
		}
		return true
	}
	return true
}

// readUint16s decodes a whole vector of 16-bit values.
func readUint16s(s *cryptobyte.String, out *[]uint16) bool {
	if len(*s)%2 != 0 {
		return false
	}
	for !s.Empty() {
		var v uint16
		if !s.ReadUint16(&v) {
			return false
		}
		*out = append(*out, v)
	}
	return true
}

// parseServerHello decodes a ServerHello or HelloRetryRequest body (RFC 8446,
// Section 4.1.3; RFC 5246, Section 7.4.1.3); the structure must be exact.
func parseServerHello(body []byte) (*ServerHello, error) {
	const msg = "ServerHello"
	s := cryptobyte.String(body)
	sh := &ServerHello{}
	var sid cryptobyte.String
	if !s.ReadUint16(&sh.LegacyVersion) || !s.CopyBytes(sh.Random[:]) ||
		!s.ReadUint8LengthPrefixed(&sid) || len(sid) > 32 ||
		!s.ReadUint16(&sh.CipherSuite) || !s.ReadUint8(&sh.Compression) {
		return nil, helloError(msg, "fixed fields", body)
	}
	sh.SelectedVersion = sh.LegacyVersion
	sh.HelloRetryRequest = string(sh.Random[:]) == hrrRandom
	switch {
	case bytes.HasSuffix(sh.Random[:], []byte(downgradeTLS12)):
		sh.DowngradeSentinel = "tls12"
	case bytes.HasSuffix(sh.Random[:], []byte(downgradeTLS11)):
		sh.DowngradeSentinel = "tls11"
	}
	if s.Empty() {
		return sh, nil // RFC 5246, Section 7.4.1.3: no extensions
	}
	firstErr, err := walkExtensions(msg, s, func(typ uint16, data cryptobyte.String) bool {
		sh.Extensions = append(sh.Extensions, typ)
		return sh.parseExtension(typ, data)
	})
	if err != nil {
		return nil, err
	}
	return sh, firstErr
}

// parseExtension decodes the server extensions smtpscope shows.
func (sh *ServerHello) parseExtension(typ uint16, data cryptobyte.String) bool {
	switch typ {
	case extSupportedVersions:
		// RFC 8446, Section 4.2.1: selected_version in a ServerHello.
		var v uint16
		if !data.ReadUint16(&v) || !data.Empty() {
			return false
		}
		sh.SelectedVersion = v
	case extALPN:
		// RFC 7301, Section 3.1: exactly one ProtocolName.
		var list, name cryptobyte.String
		if !data.ReadUint16LengthPrefixed(&list) || !data.Empty() ||
			!list.ReadUint8LengthPrefixed(&name) || len(name) == 0 || !list.Empty() {
			return false
		}
		sh.ALPN = sanitize.Bytes(name)
	case extKeyShare:
		// RFC 8446, Section 4.2.8: a ServerHello carries one KeyShareEntry
		// (group, key_exchange<1..2^16-1>); a HelloRetryRequest only the
		// selected_group.
		var g uint16
		var key cryptobyte.String
		if !data.ReadUint16(&g) {
			return false
		}
		if !sh.HelloRetryRequest && (!data.ReadUint16LengthPrefixed(&key) || len(key) == 0) || !data.Empty() {
			return false
		}
		sh.KeyShareGroup = g
	}
	return true
}

// walkExtensions reads the extensions block that ends a hello (RFC 8446,
// Section 4.2) and calls each for every extension. A malformed list is an
// error; an extension whose data each rejects only sets firstErr (the
// hello is kept).
func walkExtensions(msg string, s cryptobyte.String, each func(typ uint16, data cryptobyte.String) bool) (firstErr, err error) {
	var exts cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
		return nil, helloError(msg, "extensions block", s)
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, helloError(msg, "extension list", exts)
		}
		if !each(typ, data) && firstErr == nil {
			firstErr = helloError(msg, "extension "+itoa(int(typ))+" data", data)
		}
	}
	return firstErr, nil
}
