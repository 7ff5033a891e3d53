package smtp

// parseCodeLine splits one server line into its reply code, whether more
// lines follow ("ddd-") and the text. It is the shape of net/textproto's
// parseCodeLine: "ddd" followed by ' ', '-' or the end of the line
// (RFC 5321, Section 4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF )
// Reply-code [ SP textstring ] CRLF). Codes start with 2 to 5 (RFC 5321,
// Section 4.2.1: SMTP has no 1yz replies); any other line is not a reply.
func parseCodeLine(line []byte) (code int, continued bool, text []byte, ok bool) {
	if len(line) < 3 {
		return 0, false, nil, false
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return 0, false, nil, false
		}
	}
	if line[0] < '2' || line[0] > '5' {
		return 0, false, nil, false
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	if len(line) == 3 {
		return code, false, nil, true
	}
	switch line[3] {
	case ' ':
		return code, false, line[4:], true
	case '-':
		return code, true, line[4:], true
	}
	return 0, false, nil, false
}

// enhancedCode returns the RFC 3463 status code ("class.subject.detail")
// that starts text, or "". RFC 3463, Section 2: class is 2, 4 or 5; subject
// and detail are 1 to 3 digits; RFC 2034, Section 4: the code is followed by
// a space (or ends the text).
func enhancedCode(text []byte) string {
	if len(text) < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.' {
		return ""
	}
	i := 2
	for part := 0; part < 2; part++ {
		n := 0
		for i < len(text) && text[i] >= '0' && text[i] <= '9' {
			i++
			n++
		}
		if n < 1 || n > 3 {
			return ""
		}
		if part == 0 {
			if i >= len(text) || text[i] != '.' {
				return ""
			}
			i++
		}
	}
	if i < len(text) && text[i] != ' ' && text[i] != '\t' {
		return ""
	}
	return string(text[:i])
}
