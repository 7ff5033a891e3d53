package zeek

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendTSVRow writes r as Zeek's ASCII writer does (threading/formatters/
// Ascii.cc, Describe): fields separated by a tab, "-" for unset, "(empty)"
// for an empty string, set or vector, a string equal to "-" or "(empty)"
// with its first byte escaped, elements separated by ",".
func appendTSVRow(b []byte, s Schema, r Row) []byte {
	for i := range s.Fields {
		if i > 0 {
			b = append(b, '\t')
		}
		var v Value
		if i < len(r) {
			v = r[i]
		}
		b = appendTSVValue(b, v)
	}
	return append(b, '\n')
}

func appendTSVValue(b []byte, v Value) []byte {
	switch {
	case !v.set:
		return append(b, '-')
	case v.kind == TBool:
		if v.b {
			return append(b, 'T')
		}
		return append(b, 'F')
	case v.num:
		return append(b, v.s...)
	case v.list != nil || v.kind == TSetString:
		if len(v.list) == 0 {
			return append(b, "(empty)"...)
		}
		for i, e := range v.list {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendTSVString(b, e, true)
		}
		return b
	}
	return appendTSVString(b, v.s, false)
}

// appendTSVString escapes one string: a backslash as "\\", the separator
// (and inside a set the set separator), control bytes and bytes that are
// not UTF-8 as \xHH (ODesc::AddBytes with LogAscii::enable_utf_8: valid
// UTF-8 passes unescaped).
func appendTSVString(b []byte, s string, inSet bool) []byte {
	switch s {
	case "":
		return append(b, "(empty)"...)
	case "-":
		return append(b, `\x2d`...)
	case "(empty)":
		return append(b, `\x28empty)`...)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = appendHex(b, c)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch {
		case c == '\\':
			b = append(b, `\\`...)
		case c < 0x20 || c == 0x7f || (inSet && c == ','):
			b = appendHex(b, c)
		default:
			b = append(b, c)
		}
		i++
	}
	return b
}

func appendHex(b []byte, c byte) []byte {
	return append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
}

// appendJSONRow writes r as LogAscii::use_json does (threading/formatters/
// JSON.cc): one object per line, the fields in schema order under their
// log names ("id.orig_h"), unset fields left out, time as epoch seconds,
// sets and vectors as arrays, bytes that are not UTF-8 as the text \xHH.
func appendJSONRow(b []byte, s Schema, r Row) []byte {
	b = append(b, '{')
	first := true
	for i, f := range s.Fields {
		if i >= len(r) || !r[i].set {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, f.Name)
		b = append(b, ':')
		b = appendJSONValue(b, f.Type, r[i])
	}
	return append(b, '}', '\n')
}

func appendJSONValue(b []byte, t Type, v Value) []byte {
	switch {
	case v.kind == TBool:
		return strconv.AppendBool(b, v.b)
	case v.num:
		if (v.kind == TTime || v.kind == TInterval) && t != TCount {
			return append(b, jsonDouble(v.s)...)
		}
		return append(b, v.s...)
	case v.list != nil || v.kind == TSetString:
		b = append(b, '[')
		for i, e := range v.list {
			if i > 0 {
				b = append(b, ',')
			}
			if v.nums {
				b = append(b, e...)
			} else {
				b = appendJSONString(b, e)
			}
		}
		return append(b, ']')
	}
	return appendJSONString(b, v.s)
}

// jsonDouble trims a %.6f number to the shortest form rapidjson writes
// (at least one decimal).
func jsonDouble(s string) string {
	if !strings.Contains(s, ".") {
		return s + ".0"
	}
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, '\\', '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			if c < 0x20 || c == 0x7f {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}
