package smtp

import "bytes"

// Smuggling judged by its outcome (CVE-2023-51764/51765/51766).
//
// RFC 5321, Section 4.1.1.4 ends a DATA body only at "<CRLF>.<CRLF>", and
// one reply answers it. A lenient server also ends it at a look-alike such
// as "\n.\r\n" and runs what follows as commands: its replies then outnumber
// the client's commands. After a body with a look-alike the client's next
// bytes are held (cJudge); the reply after the message's reply decides.

// judgeWith decides the held message's outcome with the first reply after
// the message's own reply (code), then releases the held client bytes.
func (c *Conn) judgeWith(code int) {
	m := c.smuggle.judge
	held := firstVerb(c.held.buf)
	hidden := firstVerb(m.tail)
	// The reply is the server's answer to the hidden command when no
	// client command explains it, or it fits the hidden command and not
	// the client's (a 221 answers QUIT, a 354 only DATA, RFC 5321,
	// Section 4.3.2).
	ran := plausible(hidden, code) && (held == "" || !plausible(held, code))
	if ran {
		c.resolveJudge(true, OutcomeRan)
		return
	}
	c.resolveJudge(false, OutcomeKept)
}

// resolveJudge emits the judged message and releases the held client
// bytes. When the server ran the hidden bytes, the message ends at the
// look-alike and the bytes after it are read again as the commands the
// server ran (Command.Smuggled), before the held client bytes.
func (c *Conn) resolveJudge(ran bool, o Outcome) {
	m := c.smuggle.judge
	c.smuggle.judge = nil
	buf, segs := c.held.buf, c.held.segs
	c.held.buf, c.held.segs = nil, nil
	c.cst = cCmd
	m.m.Outcome = o
	if ran {
		m.m.Size = m.candSize
		if m.candPos.Frame != 0 {
			m.pos = m.candPos
		}
	}
	c.emitMessage(m, c.smuggle.judgeCode)
	if ran {
		c.smuggle.replay = true
		c.lines[0].reset(false) // the hidden bytes start at a line boundary
		c.replaySegs(m.tail, m.tailSegs)
		if m.tailCut > 0 && len(m.tailSegs) > 0 {
			c.gapClient(m.tailCut, m.tailSegs[len(m.tailSegs)-1].pos)
		}
		c.smuggle.replay = false
	}
	m.tail, m.tailSegs = nil, nil
	c.replaySegs(buf, segs)
}

// replaySegs feeds held client bytes (and gaps) again, in order.
func (c *Conn) replaySegs(buf []byte, segs []holdSeg) {
	start := 0
	for _, s := range segs {
		if s.gap > 0 {
			c.gapClient(s.gap, s.pos)
		} else if s.end > start {
			c.feedClient(buf[start:s.end], s.pos)
		}
		start = s.end
	}
}

// firstVerb returns the upper-cased verb of the first complete line of b,
// "" when b holds no complete line.
func firstVerb(b []byte) string {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return ""
	}
	content, _ := trimEOL(b[:i+1])
	verb, _ := splitCommand(content)
	return upperVerb(verb)
}

// plausible reports whether a reply code can answer verb (RFC 5321,
// Section 4.3.2: 354 answers only DATA, 221 only QUIT; any command can
// fail with 4xx/5xx; an unknown verb is never accepted).
func plausible(verb string, code int) bool {
	switch {
	case verb == "":
		return false
	case code == 354:
		return verb == "DATA"
	case code == 221:
		return verb == "QUIT"
	case code >= 200 && code < 400:
		return verb != "DATA" && verb != "QUIT" && KnownVerb(verb)
	case code >= 400 && code < 600:
		return true
	}
	return false
}
