package smtp

import (
	"bytes"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// KnownVerb reports whether verb (upper case) is a command tshark knows:
// RFC 5321, Section 4.1.1 (HELO EHLO MAIL RCPT DATA RSET VRFY EXPN HELP NOOP
// QUIT), Section 4.1.1.4 and RFC 3030 (BDAT), RFC 3207 (STARTTLS), RFC 4954
// (AUTH), RFC 1985 (ETRN), RFC 2645 (ATRN), RFC 821 (TURN) and Postfix's
// XCLIENT and XFORWARD, and RFC 2033's LHLO (LMTP).
func KnownVerb(verb string) bool {
	switch verb {
	case "HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "VRFY", "EXPN", "HELP", "NOOP",
		"QUIT", "STARTTLS", "AUTH", "ETRN", "ATRN", "TURN", "XCLIENT", "XFORWARD", "LHLO":
		return true
	}
	return false
}

// splitCommand splits a command line (without its line ending) into the
// upper-cased verb and the raw argument: RFC 5321, Section 4.1.1: verbs are
// case-insensitive and separated from their argument by a space. The verb is
// cut at maxVerb bytes; an overlong first word is not a verb anyway.
func splitCommand(line []byte) (verb []byte, arg []byte) {
	verb, arg = line, nil
	if i := bytes.IndexByte(line, ' '); i >= 0 {
		verb, arg = line[:i], line[i+1:]
	}
	if len(verb) > maxVerb {
		verb = verb[:maxVerb]
	}
	return verb, arg
}

// upperVerb returns verb upper-cased (ASCII only) and sanitized, without
// allocating for the known verbs.
func upperVerb(verb []byte) string {
	var buf [maxVerb]byte
	n := copy(buf[:], verb)
	for i := 0; i < n; i++ {
		if c := buf[i]; c >= 'a' && c <= 'z' {
			buf[i] = c - 'a' + 'A'
		}
	}
	up := buf[:n]
	switch string(up) {
	case "HELO":
		return "HELO"
	case "EHLO":
		return "EHLO"
	case "MAIL":
		return "MAIL"
	case "RCPT":
		return "RCPT"
	case "DATA":
		return "DATA"
	case "BDAT":
		return "BDAT"
	case "RSET":
		return "RSET"
	case "NOOP":
		return "NOOP"
	case "QUIT":
		return "QUIT"
	case "STARTTLS":
		return "STARTTLS"
	case "AUTH":
		return "AUTH"
	}
	return sanitize.Bytes(up)
}

// sentVerb returns the verb as sent when it differs from its upper-cased
// form (RFC 5321, Section 2.4: commands are case-insensitive), "" when it
// does not (the common case allocates nothing).
func sentVerb(raw []byte) string {
	if len(raw) > maxVerb {
		raw = raw[:maxVerb]
	}
	for _, b := range raw {
		if b >= 'a' && b <= 'z' {
			return sanitize.Bytes(raw)
		}
	}
	return "" // upper-casing changed nothing: Verb is what was sent
}

// bdatArgs parses the argument of BDAT: RFC 3030, Section 2:
// "BDAT" SP chunk-size [ SP end-marker ], chunk-size = 1*DIGIT,
// end-marker = "LAST". ok is false for anything else (a missing, signed,
// non-numeric or overflowing size, or an unknown marker).
func bdatArgs(arg []byte) (size int64, last bool, ok bool) {
	fields := bytes.Fields(arg)
	if len(fields) < 1 || len(fields) > 2 {
		return 0, false, false
	}
	num := fields[0]
	if len(num) == 0 || len(num) > 18 { // 18 digits cannot overflow int64
		return 0, false, false
	}
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, false, false
		}
		size = size*10 + int64(c-'0')
	}
	if len(fields) == 2 {
		if !bytes.EqualFold(fields[1], []byte("LAST")) {
			return 0, false, false
		}
		last = true
	}
	return size, last, true
}

// startsWithVerb reports whether line begins with a known command verb
// (any case) followed by a space or the line end: after a gap, the sign
// that the bytes start a new command line.
func startsWithVerb(line []byte) bool {
	content, _ := trimEOL(line)
	verb, _ := splitCommand(content)
	return KnownVerb(upperVerb(verb))
}

// isReplyLine reports whether content parses as a reply line
// (RFC 5321, Section 4.2).
func isReplyLine(content []byte) bool {
	_, _, _, ok := parseCodeLine(content)
	return ok
}
