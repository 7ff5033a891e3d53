// Package sanitize is the one place where untrusted bytes become text that may
// be shown. It has two concerns, kept apart:
//
//   - Exact text (Bytes, Text, Unescape; exact.go): captured bytes become the
//     text of the session model, and so of the JSON and text reports. It is
//     reversible: Zeek's `\xNN` convention, with `\x5c` for a backslash.
//   - Terminal display (String, Tag; this file): any string, including error
//     messages and model text, made safe for a terminal or tview widget. It is
//     not reversible, and it leaves exact text unchanged.
//
// For display, printable UTF-8 is kept as is. C0 controls, DEL and invalid
// UTF-8 become `\xNN`; C1 controls (including CSI) and bidirectional and
// invisible format characters (U+200B–U+200F, U+202A–U+202E, U+2060,
// U+2066–U+2069, U+FEFF) become `\u{…}` so that they cannot reorder or hide
// text (CVE-2021-42574, "Trojan Source").
package sanitize

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// hexDigits is used to spell escaped bytes.
const hexDigits = "0123456789abcdef"

// wordJoiner is inserted after every '[' by Tag so that tview's tag parser
// never sees a style, region or URL tag in captured text.
const wordJoiner = "\u2060"

// String returns s as safe, printable text.
func String(s string) string {
	if isPlainString(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		writeRune(&sb, r, size, s[0])
		s = s[size:]
	}
	return sb.String()
}

// Tag returns s sanitized and made inert for tview's tag parser: a word joiner
// (U+2060, invisible) follows every '[' so that no "[red]", "[::b]" or
// "[:::https://x]" tag can form. Use it for every widget that parses tags
// (table cells, titles, list items, text views with dynamic colours).
func Tag(s string) string {
	s = String(s)
	if !strings.Contains(s, "[") {
		return s
	}
	return strings.ReplaceAll(s, "[", "["+wordJoiner)
}

func isPlainString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// writeRune appends one decoded rune (or the escape for it) to sb. first is
// the first byte of the rune's encoding, used when the encoding is invalid.
func writeRune(sb *strings.Builder, r rune, size int, first byte) {
	switch {
	case r == utf8.RuneError && size <= 1:
		writeHex(sb, first)
	case r < 0x20 || r == 0x7f:
		writeHex(sb, byte(r))
	case r >= 0x80 && r < 0xa0:
		// C1 controls: U+0080–U+009F (CSI is U+009B).
		sb.WriteString(`\u{`)
		sb.WriteString(strconv.FormatInt(int64(r), 16))
		sb.WriteByte('}')
	case isFormat(r):
		sb.WriteString(`\u{`)
		sb.WriteString(strconv.FormatInt(int64(r), 16))
		sb.WriteByte('}')
	default:
		sb.WriteRune(r)
	}
}

func writeHex(sb *strings.Builder, c byte) {
	sb.WriteString(`\x`)
	sb.WriteByte(hexDigits[c>>4])
	sb.WriteByte(hexDigits[c&0xf])
}

// isFormat reports the bidi and invisible format characters that can reorder
// or hide text on a terminal.
func isFormat(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069,
		r == 0xfeff, r == 0x061c, r == 0x00ad, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
