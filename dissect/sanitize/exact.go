package sanitize

import (
	"strings"
	"unicode/utf8"
)

// Exact text: how captured bytes become the text of the session model, and so
// of the JSON and text reports. It is Zeek's convention applied to every byte
// that is not printable UTF-8: the byte is written `\xNN` (two lower-case hex
// digits), and a backslash in the data is itself written `\x5c`, so that
// attacker text `\x1b` (written `\x5cx1b`) and a real ESC (written `\x1b`)
// differ and Unescape recovers the original bytes exactly.
//
// Escaped: C0 controls and DEL, invalid UTF-8 (byte by byte), the backslash,
// and the bytes of the UTF-8 encoding of C1 controls (U+0080–U+009F), of the
// bidi and invisible format characters listed in isFormat and of U+2028 and
// U+2029. Everything else (printable ASCII and printable UTF-8) is kept as is.
// The result is therefore valid UTF-8 with no control character, safe for
// String and Tag (which leave it unchanged) and needing, inside a JSON
// string, only `\"` and `\\` escapes.

// Bytes returns captured bytes b as exact, reversible text (see above).
func Bytes(b []byte) string {
	if isExactPlain(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		writeExact(&sb, r, b[:size])
		b = b[size:]
	}
	return sb.String()
}

// Text returns a string of captured bytes as exact, reversible text.
func Text(s string) string {
	if isExactPlainString(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		writeExactString(&sb, r, s[:size])
		s = s[size:]
	}
	return sb.String()
}

// Unescape returns the bytes that Bytes or Text turned into s: every `\xNN`
// becomes the byte NN. Anything else is copied; a backslash not followed by
// `x` and two hex digits (never produced by Bytes) is kept as it is.
func Unescape(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			hi, ok1 := unhex(s[i+2])
			lo, ok2 := unhex(s[i+3])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 3
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// needsExactEscape reports whether the rune r, decoded from an encoding of
// size bytes, is written as escaped bytes.
func needsExactEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true
	case r < 0x20 || r == 0x7f || r == '\\':
		return true
	case r >= 0x80 && r < 0xa0:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return isFormat(r)
}

func writeExact(sb *strings.Builder, r rune, enc []byte) {
	if !needsExactEscape(r, len(enc)) {
		sb.Write(enc)
		return
	}
	for _, c := range enc {
		writeHex(sb, c)
	}
}

func writeExactString(sb *strings.Builder, r rune, enc string) {
	if !needsExactEscape(r, len(enc)) {
		sb.WriteString(enc)
		return
	}
	for i := 0; i < len(enc); i++ {
		writeHex(sb, enc[i])
	}
}

// isExactPlain reports whether b is printable ASCII without a backslash.
func isExactPlain(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

func isExactPlainString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}
