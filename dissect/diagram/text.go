package diagram

import (
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// clean returns captured text safe to place in an XML or HTML text node once
// escaped: sanitized (controls, invalid UTF-8, bidi and invisible characters
// spelled out), and any character XML 1.0 forbids (Section 2.2: U+FFFE,
// U+FFFF and the other noncharacters are not allowed or discouraged) spelled
// as \u{…} too.
func clean(s string) string {
	s = sanitize.String(s)
	if !hasNonXML(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if nonXML(r) {
			b.WriteString(`\u{` + strconv.FormatInt(int64(r), 16) + `}`)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasNonXML(s string) bool {
	for _, r := range s {
		if nonXML(r) {
			return true
		}
	}
	return false
}

// nonXML reports runes outside XML 1.0's Char production or among its
// discouraged noncharacters (XML 1.0, Section 2.2).
func nonXML(r rune) bool {
	switch {
	case r == utf8.RuneError: // sanitize already spelled invalid bytes; a literal U+FFFD is fine
		return false
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
		return true
	case r >= 0xd800 && r <= 0xdfff, r >= 0xfdd0 && r <= 0xfdef:
		return true
	case r&0xfffe == 0xfffe: // U+xFFFE and U+xFFFF of every plane
		return true
	}
	return false
}

// Escape returns captured text sanitized and escaped for an XML or HTML text
// node or a quoted attribute value (& < > " ' become character references).
func Escape(s string) string { return html.EscapeString(clean(s)) }

// shorten cuts s to at most n runes, ending it with "…" when cut.
func shorten(s string, n int) string {
	if n <= 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for j := range s {
		if k == n-1 {
			i = j
			break
		}
		k++
	}
	return s[:i] + "…"
}

// humanBytes spells a byte count as "812 B", "3.2 KB" or "1.4 MB".
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1000*1000:
		return strconv.FormatFloat(float64(n)/1000, 'f', 1, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
}
