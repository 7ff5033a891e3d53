package smtp

import (
	"bytes"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// maxParams bounds the ESMTP parameters kept per MAIL or RCPT command.
const maxParams = 32

// maxParamValue bounds a parameter value kept (after xtext decoding).
const maxParamValue = 1024

// Param is one ESMTP parameter that has no field of its own in Params.
type Param struct {
	Keyword string // upper-cased, sanitized
	Value   string // sanitized; "" when the parameter has no value
}

// Params are the ESMTP parameters of a MAIL FROM or RCPT TO command
// (RFC 5321, Section 4.1.2: esmtp-param = esmtp-keyword ["=" esmtp-value]),
// decoded. Every string is sanitized.
type Params struct {
	// Size is MAIL's SIZE= (RFC 1870, Section 6); HasSize says it was given.
	Size    int64
	HasSize bool
	// Body is MAIL's BODY= (RFC 6152, Section 2: 7BIT or 8BITMIME;
	// RFC 3030, Section 3: BINARYMIME), upper-cased.
	Body string
	// SMTPUTF8 is MAIL's SMTPUTF8 (RFC 6531, Section 3.4).
	SMTPUTF8 bool
	// RequireTLS is MAIL's REQUIRETLS (RFC 8689, Section 4.1).
	RequireTLS bool
	// Auth is MAIL's AUTH= mailbox, xtext-decoded (RFC 4954, Section 5);
	// "<>" when the client does not vouch for the sender.
	Auth string
	// Ret (FULL or HDRS) and EnvID (xtext-decoded) are MAIL's DSN
	// parameters (RFC 3461, Sections 4.3 and 4.4).
	Ret   string
	EnvID string
	// Notify lists RCPT's NOTIFY= values (NEVER, or SUCCESS, FAILURE,
	// DELAY; RFC 3461, Section 4.1), upper-cased.
	Notify []string
	// ORcpt is RCPT's ORCPT= original recipient, xtext-decoded, and
	// ORcptType its address type, e.g. "rfc822" (RFC 3461, Section 4.2).
	ORcpt     string
	ORcptType string
	// Other holds the remaining parameters in order.
	Other []Param
	// Problems describes parameters that break their RFC's syntax.
	Problems []string
}

// pathArg is a parsed MAIL FROM or RCPT TO argument.
type pathArg struct {
	path   []byte
	params Params
}

// parsePathArg parses "FROM:" Reverse-path [SP Mail-parameters] or "TO:"
// Forward-path [SP Rcpt-parameters] (RFC 5321, Section 4.1.1.2, 4.1.1.3
// and 4.1.2). prefix is "FROM:" or "TO:". Lenient forms (a space after the
// colon, no angle brackets) are read as the address; each deviation is a
// Problem.
func parsePathArg(arg []byte, prefix string, mail bool) pathArg {
	var pa pathArg
	c := cursor{s: arg}
	if !c.acceptFold(prefix) {
		pa.params.Problems = append(pa.params.Problems, "argument does not start with "+prefix)
		if i := bytes.IndexByte(arg, ':'); i >= 0 {
			c.i = i + 1
		}
	}
	if c.spaces() > 0 {
		// RFC 5321, Section 4.1.2: no space between the colon and the
		// path (many servers tolerate it).
		pa.params.Problems = append(pa.params.Problems, "space after "+prefix)
	}
	if c.peek() == '<' {
		inner, ok := c.angle()
		pa.path = inner
		if !ok {
			pa.params.Problems = append(pa.params.Problems, "path lacks its closing >")
		}
	} else {
		pa.path = c.word()
		if len(pa.path) > 0 {
			pa.params.Problems = append(pa.params.Problems, "path without angle brackets")
		}
	}
	parseParams(&c, &pa.params, mail)
	return pa
}

// parseParams reads SP-separated esmtp-params up to the end.
func parseParams(c *cursor, p *Params, mail bool) {
	n := 0
	for {
		if c.spaces() == 0 && !c.done() {
			p.Problems = append(p.Problems, "no space before "+quote(c.rest()))
		}
		if c.done() {
			return
		}
		tok := c.word()
		if n++; n > maxParams {
			p.Problems = append(p.Problems, "more than "+itoa(maxParams)+" parameters")
			return
		}
		kw, val, hasVal := bytes.Cut(tok, []byte("="))
		if len(val) > maxParamValue {
			val = val[:maxParamValue]
		}
		applyParam(p, upperASCII(kw), val, hasVal, mail)
	}
}

// applyParam stores one parameter: each known keyword is checked against
// its RFC's syntax.
func applyParam(p *Params, kw string, val []byte, hasVal, mail bool) {
	bad := func(why string) {
		p.Problems = append(p.Problems, kw+": "+why+" "+quote(val))
	}
	switch {
	case mail && kw == "SIZE":
		// RFC 1870, Section 6: size-value ::= 1*20DIGIT.
		n, ok := digits(val)
		if !ok {
			bad("not a number")
			return
		}
		p.Size, p.HasSize = n, true
	case mail && kw == "BODY":
		v := upperASCII(val)
		switch v {
		case "7BIT", "8BITMIME", "BINARYMIME": // RFC 6152, Section 2; RFC 3030, Section 3
		default:
			bad("unknown body type")
		}
		p.Body = v
	case mail && kw == "SMTPUTF8":
		if hasVal {
			bad("takes no value") // RFC 6531, Section 3.4
		}
		p.SMTPUTF8 = true
	case mail && kw == "REQUIRETLS":
		if hasVal {
			bad("takes no value") // RFC 8689, Section 4.1
		}
		p.RequireTLS = true
	case mail && kw == "AUTH":
		// RFC 4954, Section 5: AUTH=<mailbox as xtext> or AUTH=<>.
		s, ok := xtextDecode(val)
		if !ok {
			bad("bad xtext")
		}
		p.Auth = s
	case mail && kw == "RET":
		v := upperASCII(val)
		if v != "FULL" && v != "HDRS" { // RFC 3461, Section 4.3
			bad("not FULL or HDRS")
		}
		p.Ret = v
	case mail && kw == "ENVID":
		s, ok := xtextDecode(val) // RFC 3461, Section 4.4
		if !ok {
			bad("bad xtext")
		}
		p.EnvID = s
	case !mail && kw == "NOTIFY":
		// RFC 3461, Section 4.1: "NEVER" or a comma list of SUCCESS,
		// FAILURE, DELAY.
		never := false
		for _, f := range strings.Split(upperASCII(val), ",") {
			switch f {
			case "NEVER":
				never = true
			case "SUCCESS", "FAILURE", "DELAY":
			default:
				bad("unknown value")
			}
			if len(p.Notify) < 4 {
				p.Notify = append(p.Notify, f)
			}
		}
		if never && len(p.Notify) > 1 {
			bad("NEVER with other values")
		}
	case !mail && kw == "ORCPT":
		// RFC 3461, Section 4.2: addr-type ";" xtext.
		t, a, ok := bytes.Cut(val, []byte(";"))
		if !ok {
			bad("lacks addr-type")
			a, t = t, nil
		}
		s, okx := xtextDecode(a)
		if !okx {
			bad("bad xtext")
		}
		p.ORcpt, p.ORcptType = s, sanitize.Bytes(t)
	default:
		if len(p.Other) < maxParams {
			p.Other = append(p.Other, Param{Keyword: kw, Value: sanitize.Bytes(val)})
		}
	}
}

// xtextDecode decodes RFC 3461, Section 4 xtext: "+" followed by two
// upper-case hex digits stands for one byte; other bytes are themselves.
// ok is false for a "+" without two hex digits (kept as it is) or a byte
// outside "!"..."~" other than through "+XX".
func xtextDecode(v []byte) (string, bool) {
	ok := true
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		b := v[i]
		if b == '+' {
			if i+2 < len(v) && isUpperHex(v[i+1]) && isUpperHex(v[i+2]) {
				out = append(out, unhex(v[i+1])<<4|unhex(v[i+2]))
				i += 2
				continue
			}
			ok = false
		} else if b < '!' || b > '~' || b == '=' {
			ok = false
		}
		out = append(out, b)
	}
	return sanitize.Bytes(out), ok
}

func isUpperHex(b byte) bool { return b >= '0' && b <= '9' || b >= 'A' && b <= 'F' }

func unhex(b byte) byte {
	if b <= '9' {
		return b - '0'
	}
	return b - 'A' + 10
}

// digits parses 1 to 18 decimal digits (no sign).
func digits(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// upperASCII upper-cases ASCII letters and sanitizes the rest.
func upperASCII(b []byte) string {
	u := make([]byte, len(b))
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		u[i] = c
	}
	return sanitize.Bytes(u)
}
