package smtp

// cursor is a small reader over one command argument (the go-smtp style of
// text parsing: no index arithmetic in the callers).
type cursor struct {
	s []byte
	i int
}

// done reports whether every byte was read.
func (c *cursor) done() bool { return c.i >= len(c.s) }

// peek returns the next byte, or 0 at the end.
func (c *cursor) peek() byte {
	if c.done() {
		return 0
	}
	return c.s[c.i]
}

// acceptFold consumes word if it is next, ignoring ASCII case.
func (c *cursor) acceptFold(word string) bool {
	if len(c.s)-c.i < len(word) || !asciiEqualFold(c.s[c.i:c.i+len(word)], word) {
		return false
	}
	c.i += len(word)
	return true
}

// spaces skips spaces and tabs and reports how many were skipped.
func (c *cursor) spaces() int {
	n := 0
	for !c.done() && (c.s[c.i] == ' ' || c.s[c.i] == '\t') {
		c.i++
		n++
	}
	return n
}

// word returns the bytes up to the next space or tab (or the end).
func (c *cursor) word() []byte {
	start := c.i
	for !c.done() && c.s[c.i] != ' ' && c.s[c.i] != '\t' {
		c.i++
	}
	return c.s[start:c.i]
}

// angle reads "<...>" with quoted strings and quoted pairs honoured
// (RFC 5321, Section 4.1.2: Quoted-string may hold ">"); the cursor is at
// "<". ok is false when the closing ">" is missing (then the rest is read).
func (c *cursor) angle() (inner []byte, ok bool) {
	c.i++ // "<"
	start := c.i
	quoted := false
	for !c.done() {
		b := c.s[c.i]
		switch {
		case b == '\\' && quoted:
			c.i++ // quoted-pairSMTP = %d92 %d32-126
		case b == '"':
			quoted = !quoted
		case b == '>' && !quoted:
			inner = c.s[start:c.i]
			c.i++
			return inner, true
		}
		c.i++
	}
	if c.i > len(c.s) {
		c.i = len(c.s)
	}
	return c.s[start:], false
}

// rest returns the unread bytes.
func (c *cursor) rest() []byte {
	if c.done() {
		return nil
	}
	return c.s[c.i:]
}
