package smtp

import (
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// feedServer frames server bytes into reply lines.
func (c *Conn) feedServer(data []byte, pos wire.Pos) {
	lb := &c.lines[wire.ServerToClient]
	for len(data) > 0 && !c.stopped {
		n, line, ok, cut := lb.take(data, c.opts.MaxLine)
		data = data[n:]
		if ok && lb.probed {
			if content, _ := trimEOL(line); !isReplyLine(content) {
				continue // the tail of a line whose start was not captured
			}
		}
		if ok {
			c.serverLine(line, cut, pos, data)
		}
	}
}

// serverLine handles one server line; rest is what follows it in the same
// Feed call (it belongs to TLS when the line ends a 220 to STARTTLS).
func (c *Conn) serverLine(line []byte, cut bool, pos wire.Pos, rest []byte) {
	const dir = wire.ServerToClient
	content, crlf := trimEOL(line)
	if cut {
		c.lim.Line++
		c.anomaly(dir, pos, AnoOverlongLine, "line cut at "+itoa(len(content))+" bytes: "+quote(content),
			int64(len(content)))
	}
	code, more, text, ok := parseCodeLine(content)
	if !ok {
		// RFC 5321, Section 4.2: every server line is a reply line.
		c.anomaly(dir, pos, AnoBadReply, "not a reply line: "+quote(content), 0)
		return
	}
	c.lineAnomalies(dir, pos, content, crlf, cut, maxReplyLine)
	if !c.rp.active {
		c.rp.active, c.rp.code = true, code
		c.rp.enhanced = enhancedCode(text)
		c.rp.lines = nil
		c.rp.first = append(c.rp.first[:0], text...)
		c.rp.raw = c.rp.raw[:0]
	} else if code != c.rp.code {
		// RFC 5321, Section 4.2.1: every line of a multi-line reply
		// carries the same code.
		c.anomaly(dir, pos, AnoReplyCodeChanged, "reply code changed from "+itoa(c.rp.code)+" inside a multi-line reply: "+
			quote(content), 0)
	}
	if room := maxRawReply - len(c.rp.raw); room > 0 {
		c.rp.raw = append(c.rp.raw, line[:min(room, len(line))]...)
	}
	if len(c.rp.lines) < maxReplyLines {
		c.rp.lines = append(c.rp.lines, sanitize.Bytes(text))
	} else {
		c.lim.ReplyLines++
	}
	if more {
		return
	}
	c.rp.active = false
	c.reply(pos, rest)
}

// reply pairs a complete reply with what it answers and emits it.
//
// The pairing rule:
//   - The greeting is the first reply when no command awaits one, or the
//     first 220 even when the client spoke first (RFC 5321, Section 3.1:
//     the client should wait for it; some don't).
//   - Otherwise replies answer queued commands in order (RFC 2920,
//     Section 3: the server answers pipelined commands in sequence).
//   - AUTH: a 334 continues the exchange and is reported with the AUTH
//     command's index without dequeuing it; the first other reply is AUTH's
//     reply (RFC 4954, Section 4).
//   - DATA: the 354 (or error) is DATA's reply. After the body's final
//     "\r\n.\r\n" a message-end entry is queued: the reply it gets is
//     reported with the DATA command's index and followed by EvMessage
//     (RFC 5321, Section 4.1.1.4).
//   - BDAT: each BDAT gets one reply; the reply to BDAT LAST is also the
//     message's reply and is followed by EvMessage (RFC 3030, Section 2).
//   - STARTTLS: a 220 hands the connection to TLS (RFC 3207, Section 4).
//   - A reply with nothing queued is unsolicited (CommandIndex -1) and an
//     anomaly, except 421, which a server may send at any time
//     (RFC 5321, Section 3.8).
func (c *Conn) reply(pos wire.Pos, rest []byte) {
	const dir = wire.ServerToClient
	r := Reply{Code: c.rp.code, Enhanced: c.rp.enhanced, Lines: c.rp.lines, CommandIndex: -1, Raw: c.rp.raw}
	c.rp.lines = nil
	// RFC 5321, Section 3.1: the greeting is 220, or 554 when the server
	// refuses service; it is the first reply even if the client spoke first.
	if !c.greeted && (c.queued() == 0 || r.Code == 220 || r.Code == 554) {
		c.greeted = true
		r.Greeting = true
		c.emitReply(r, pos)
		return
	}
	c.greeted = true
	if c.smuggle.judge != nil && c.smuggle.judgeCode != 0 {
		c.judgeWith(r.Code)
	}
	if c.queued() == 0 && c.cst == cBody && c.msg != nil && c.msg.m.Gap {
		// The body lost bytes and the server answered: its end was in the
		// gap. End the message here and resynchronise the client.
		c.body.flush()
		c.endData(c.lastClient)
		c.lines[wire.ClientToServer].reset(true)
	}
	if c.queued() == 0 {
		c.emitReply(r, pos)
		if r.Code != 421 {
			c.anomaly(dir, pos, AnoReplyWithoutCmd, "reply "+itoa(r.Code)+" answers no command", 0)
		}
		if r.Code == 354 && c.cst == cCmd {
			// RFC 5321, Section 4.3.2: only DATA is answered by 354, so
			// the DATA command was lost (a gap): recover as zeek does and
			// read what follows as the body (CommandIndex -1).
			c.startBody(-1)
		}
		return
	}
	if c.clearReply(&r) {
		c.emitReply(r, pos)
		return
	}
	if c.queued() == 0 {
		c.emitReply(r, pos)
		return
	}
	h := c.head()
	r.CommandIndex, r.Verb = h.index, h.verb
	r.Latency = since(pos.Time, h.t)
	if h.kind == eAuth && r.Code == 334 {
		if c.auth != nil {
			r.Latency = since(pos.Time, c.auth.last)
			c.auth.onChallenge(c.rp.first)
		}
		c.emitReply(r, pos)
		return
	}
	if h.kind == eMsgEnd && h.lines > 1 && h.msg != nil && h.msg != c.smuggle.judge {
		// RFC 2033, Section 4.2: one reply per accepted recipient.
		h.lines--
		c.deliver(h.msg, r.Code, pos)
		c.emitReply(r, pos)
		return
	}
	e := c.pop()
	c.emitReply(r, pos)
	switch e.kind {
	case eAuth:
		if c.auth != nil && c.auth.cmdIndex == e.index {
			ev := c.event(EvAuth, wire.ClientToServer, pos)
			ev.Auth = c.auth.result(r.Code, c.opts.Reveal)
			c.auth = nil
			c.sink.Event(ev)
		}
	case eData:
		c.dataReply(e, r, pos)
	case eMsgEnd, eBDAT:
		if e.msg != nil && e.msg == c.smuggle.judge {
			c.smuggle.judgeCode = r.Code
			if r.Code >= 400 || r.Code < 200 {
				c.resolveJudge(false, OutcomeRefused)
			}
			return
		}
		if e.msg != nil && !e.msg.emitted {
			if e.lines > 0 {
				c.deliver(e.msg, r.Code, pos)
			}
			if !e.msg.done {
				// The reply came before the last chunk ended.
				e.msg.m.Incomplete = true
				c.finishMessage(e.msg, c.lastClient)
				if c.msg == e.msg {
					c.msg = nil
				}
			}
			c.emitMessage(e.msg, r.Code)
		}
	case eStartTLS:
		c.startTLSQ--
		if r.Code == 220 {
			c.handoff(e, rest, pos)
			return
		}
		// RFC 3207, Section 4: 454 (or an error) keeps the session in
		// plaintext.
		if c.cst == cTLSHold && c.startTLSQ == 0 {
			// The client did not wait: its TLS bytes are SMTP lines to
			// this server, read as a record in clear (tlsclear.go).
			held := append([]byte(nil), c.tlsHold.buf...)
			c.tlsHold.buf = c.tlsHold.buf[:0]
			c.cst = cCmd
			c.feedClient(held, c.tlsHold.pos)
		}
	default:
		switch {
		case (e.verb == "EHLO" || e.verb == "LHLO") && r.Code == 250:
			caps := parseCapabilities(r.Lines)
			c.smtputf8 = false
			for _, cp := range caps {
				if cp.Keyword == "SMTPUTF8" {
					c.smtputf8 = true
				}
			}
			ev := c.event(EvCapabilities, dir, pos)
			ev.Caps = caps
			c.sink.Event(ev)
		case e.verb == "RCPT" && e.tx != nil && e.rcpt >= 0 && e.rcpt < len(e.tx.rcpts):
			e.tx.rcpts[e.rcpt].Code = r.Code
			e.tx.rcpts[e.rcpt].ReplyFrame = pos.Frame
		case e.verb == "MAIL" && e.tx != nil:
			e.tx.mailReply = r.Code
		}
	}
}

// dataReply handles the reply to DATA: RFC 5321, Section 4.1.1.4: 354
// starts the body; any other reply means no body follows, and the bytes the
// client sent meanwhile are commands.
func (c *Conn) dataReply(e entry, r Reply, pos wire.Pos) {
	if r.Code == 354 {
		ev := c.event(EvDataStart, wire.ServerToClient, pos)
		ev.Reply = Reply{Code: r.Code, CommandIndex: e.index, Verb: "DATA"}
		c.sink.Event(ev)
	}
	if e.early || c.cst != cHold || c.held.data != e.index {
		return
	}
	if r.Code == 354 {
		c.smuggle.data = e.smuggled
		c.startBody(e.index)
		c.smuggle.data = false
	} else {
		c.cst = cCmd
	}
	c.replayHold()
}

// handoff emits EvStartTLS and stops parsing: RFC 3207, Section 4.2: after
// the 220 both sides start TLS; the server's bytes after the 220 and the
// client's unconsumed bytes belong to TLS.
func (c *Conn) handoff(e entry, rest []byte, pos wire.Pos) {
	ev := c.event(EvStartTLS, wire.ServerToClient, pos)
	st := StartTLS{CommandIndex: e.index, ServerExtra: len(rest)}
	st.Pending[wire.ServerToClient] = rest
	switch c.cst {
	case cTLSHold:
		st.Pending[wire.ClientToServer] = c.tlsHold.buf
	case cCmd:
		st.Pending[wire.ClientToServer] = c.lines[wire.ClientToServer].pending()
	}
	ev.StartTLS = st
	c.stopped = true
	c.sink.Event(ev)
}

// emitReply reports a reply.
func (c *Conn) emitReply(r Reply, pos wire.Pos) {
	e := c.event(EvReply, wire.ServerToClient, pos)
	e.Reply = r
	c.sink.Event(e)
}
