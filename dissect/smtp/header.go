package smtp

import (
	"bytes"
	"mime"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// maxHeaderValue bounds each header field value kept for display.
const maxHeaderValue = 2048

// headerFields holds the RFC 5322 fields a Message shows.
type headerFields struct {
	from, to, subject, date, messageID string
}

// parseHeaders extracts From, To, Subject, Date and Message-ID from the
// start of a message: RFC 5322, Section 2.2: header fields are "name:" body
// lines, a line starting with WSP continues the previous field (folding,
// Section 2.2.3), and the header section ends at the first empty line
// (Section 2.1). The first occurrence of each field wins (Section 3.6 allows
// one). Values are unfolded, RFC 2047-decoded where possible and sanitized.
func parseHeaders(msg []byte) headerFields {
	var h headerFields
	var name []byte
	var value []byte
	flush := func() {
		if name == nil {
			return
		}
		var dst *string
		switch {
		case asciiEqualFold(name, "From"):
			dst = &h.from
		case asciiEqualFold(name, "To"):
			dst = &h.to
		case asciiEqualFold(name, "Subject"):
			dst = &h.subject
		case asciiEqualFold(name, "Date"):
			dst = &h.date
		case asciiEqualFold(name, "Message-ID"):
			dst = &h.messageID
		}
		if dst != nil && *dst == "" {
			*dst = headerValue(value)
		}
		name, value = nil, value[:0]
	}
	for len(msg) > 0 {
		line := msg
		i := bytes.IndexByte(msg, '\n')
		if i >= 0 {
			line, msg = msg[:i], msg[i+1:]
		} else {
			msg = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break // RFC 5322, Section 2.1: the empty line ends the header
		}
		if line[0] == ' ' || line[0] == '\t' {
			// RFC 5322, Section 2.2.3: unfolding removes the CRLF only.
			if name != nil && len(value) < maxHeaderValue {
				value = append(value, line...)
			}
			continue
		}
		flush()
		c := bytes.IndexByte(line, ':')
		if c <= 0 {
			continue // not a header field (RFC 5322, Section 2.2); skip it
		}
		name = bytes.TrimRight(line[:c], " \t")
		value = append(value[:0], line[c+1:]...)
	}
	flush()
	return h
}

// headerValue trims, bounds, decodes (RFC 2047) and sanitizes one value.
func headerValue(v []byte) string {
	v = bytes.TrimSpace(v)
	if len(v) > maxHeaderValue {
		v = v[:maxHeaderValue]
	}
	s := string(v)
	if strings.Contains(s, "=?") {
		// RFC 2047, Section 6: decode encoded words; unknown charsets
		// leave the value as it was.
		var d mime.WordDecoder
		if dec, err := d.DecodeHeader(s); err == nil {
			s = dec
		}
	}
	return sanitize.Text(s)
}

// asciiEqualFold reports whether b equals s, ignoring ASCII case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		x, y := b[i], s[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
