package smtp

import (
	"bytes"
	"strings"
	"unicode/utf16"

	"golang.org/x/crypto/cryptobyte"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// otherUser returns the user a SCRAM or NTLM response names, "" when it
// names none (or for other mechanisms). Neither carries a password: SCRAM
// sends proofs, NTLM challenge responses.
func otherUser(mech string, dec []byte) string {
	switch {
	case strings.HasPrefix(mech, "SCRAM-"):
		return scramUser(dec)
	case mech == "NTLM":
		return ntlmUser(dec)
	}
	return ""
}

// scramUser reads the user of a SCRAM client-first-message (RFC 5802,
// Section 7): gs2-header ("n,," "y,," "p=..,", with "a=authzid") then
// "n=" saslname "," "r=" nonce; "=2C" and "=3D" in saslname are "," and
// "=" (Section 5.1).
func scramUser(dec []byte) string {
	fields := bytes.Split(dec, []byte(","))
	if len(fields) < 4 {
		return ""
	}
	switch {
	case bytes.Equal(fields[0], []byte("n")), bytes.Equal(fields[0], []byte("y")), bytes.HasPrefix(fields[0], []byte("p=")):
	default:
		return "" // not a client-first-message (a client-final one has c=, r=, p=)
	}
	for _, f := range fields[2:] {
		if v, ok := bytes.CutPrefix(f, []byte("n=")); ok {
			v = bytes.ReplaceAll(v, []byte("=2C"), []byte(","))
			v = bytes.ReplaceAll(v, []byte("=3D"), []byte("="))
			return sanitize.Bytes(v)
		}
	}
	return ""
}

// ntlmUser reads "DOMAIN\user" from an NTLM AUTHENTICATE_MESSAGE
// ([MS-NLMP] Section 2.2.1.3): signature "NTLMSSP\0", type 3, then the
// LM, NT, domain, user and workstation fields (len, max len, offset
// each), the negotiate flags after them; strings are UTF-16LE with
// NTLMSSP_NEGOTIATE_UNICODE (flag 0x1), OEM bytes otherwise.
func ntlmUser(dec []byte) string {
	s := cryptobyte.String(dec)
	var sig []byte
	var typ uint32
	if !s.ReadBytes(&sig, 8) || !bytes.Equal(sig, []byte("NTLMSSP\x00")) || !readUint32LE(&s, &typ) || typ != 3 {
		return ""
	}
	var f [5]struct {
		n   uint16
		off uint32
	}
	for i := range f {
		var maxLen uint16
		if !readUint16LE(&s, &f[i].n) || !readUint16LE(&s, &maxLen) || !readUint32LE(&s, &f[i].off) {
			return ""
		}
	}
	var key struct {
		n   uint16
		off uint32
	}
	var flags uint32
	var maxLen uint16
	if !readUint16LE(&s, &key.n) || !readUint16LE(&s, &maxLen) || !readUint32LE(&s, &key.off) || !readUint32LE(&s, &flags) {
		return ""
	}
	field := func(i int) (string, bool) {
		off, n := int(f[i].off), int(f[i].n)
		if off > len(dec) || n > len(dec)-off {
			return "", false
		}
		b := dec[off : off+n]
		if flags&1 == 0 {
			return sanitize.Bytes(b), true
		}
		if len(b)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(b)/2)
		for j := range u {
			u[j] = uint16(b[2*j]) | uint16(b[2*j+1])<<8
		}
		return sanitize.String(string(utf16.Decode(u))), true
	}
	domain, ok1 := field(2)
	user, ok2 := field(3)
	if !ok1 || !ok2 || user == "" {
		return ""
	}
	if domain != "" {
		return domain + `\` + user
	}
	return user
}

func readUint16LE(s *cryptobyte.String, v *uint16) bool {
	var b []byte
	if !s.ReadBytes(&b, 2) {
		return false
	}
	*v = uint16(b[0]) | uint16(b[1])<<8
	return true
}

func readUint32LE(s *cryptobyte.String, v *uint32) bool {
	var b []byte
	if !s.ReadBytes(&b, 4) {
		return false
	}
	*v = uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
	return true
}
