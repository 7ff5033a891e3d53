package smtp

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// knownKeyword returns the canonical (upper-case) spelling of an EHLO
// keyword this package knows, or "".
func knownKeyword(kw string) string {
	switch strings.ToUpper(kw) {
	case "SIZE": // RFC 1870
		return "SIZE"
	case "PIPELINING": // RFC 2920
		return "PIPELINING"
	case "8BITMIME": // RFC 6152
		return "8BITMIME"
	case "CHUNKING": // RFC 3030
		return "CHUNKING"
	case "BINARYMIME": // RFC 3030
		return "BINARYMIME"
	case "SMTPUTF8": // RFC 6531
		return "SMTPUTF8"
	case "DSN": // RFC 3461
		return "DSN"
	case "ENHANCEDSTATUSCODES": // RFC 2034
		return "ENHANCEDSTATUSCODES"
	case "AUTH": // RFC 4954
		return "AUTH"
	case "STARTTLS": // RFC 3207
		return "STARTTLS"
	case "ETRN", "ATRN", "VRFY", "EXPN", "HELP", "XCLIENT", "XFORWARD", "DELIVERBY", "MT-PRIORITY",
		"REQUIRETLS", "LIMITS", "FUTURERELEASE", "NO-SOLICITING", "MTRK", "BURL", "CONPERM", "CONNEG":
		return strings.ToUpper(kw)
	}
	return ""
}

// parseCapabilities parses the lines of an EHLO 250 reply: RFC 5321,
// Section 4.1.1.1: the first line carries the server's domain, each further
// line is ehlo-keyword *( SP ehlo-param ). The pre-standard "AUTH=LOGIN
// PLAIN" form (sent for old Outlook clients) becomes keyword AUTH with
// Legacy set. Unknown keywords are kept verbatim (sanitized).
func parseCapabilities(lines []string) []Capability {
	if len(lines) <= 1 {
		return nil
	}
	caps := make([]Capability, 0, len(lines)-1)
	for _, line := range lines[1:] {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		kw := fields[0]
		var c Capability
		if len(kw) > 5 && strings.EqualFold(kw[:5], "AUTH=") {
			c.Keyword, c.Legacy = "AUTH", true
			fields[0] = kw[5:]
			c.Params = fields
		} else {
			c.Keyword = knownKeyword(kw)
			if c.Keyword == "" {
				c.Keyword = sanitize.String(kw)
			}
			if len(fields) > 1 {
				c.Params = fields[1:]
			}
		}
		if c.Keyword == "AUTH" {
			for i, p := range c.Params {
				c.Params[i] = upperExact(p) // SASL mechanism names, RFC 4422, Section 3.1
			}
		}
		caps = append(caps, c)
	}
	return caps
}

// upperExact upper-cases the ASCII letters of the bytes that exact text p
// stands for and writes them as exact text again, so that an escape such as
// `\x1b` is never turned into `\X1B` (issue 12, defect 5).
func upperExact(p string) string {
	if !strings.Contains(p, `\`) {
		return strings.ToUpper(p)
	}
	b := sanitize.Unescape(p)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return sanitize.Bytes(b)
}
