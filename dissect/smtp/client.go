package smtp

import (
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// tlsHandshake is the first byte of a TLS handshake record (RFC 8446,
// Section 5.1, ContentType handshake(22)).
const tlsHandshake = 0x16

// feedClient parses client bytes according to the client state.
func (c *Conn) feedClient(data []byte, pos wire.Pos) {
	c.curPos = pos
	for len(data) > 0 && !c.stopped {
		switch c.cst {
		case cCmd:
			lb := &c.lines[wire.ClientToServer]
			if c.startTLSQ > 0 && len(lb.pending()) == 0 && !lb.discard && data[0] == tlsHandshake {
				// RFC 3207, Section 4: after STARTTLS the client starts
				// the TLS handshake; a record before the 220 is TLS, not a
				// command.
				c.cst = cTLSHold
				c.tlsHold.pos = pos
				continue
			}
			if c.clearRec.tail {
				data = data[c.clearTailLine(data, pos):]
				continue
			}
			if len(lb.pending()) == 0 && !lb.discard && !c.clearRec.noRec && startsTLSRecord(data) &&
				(c.auth == nil || !c.auth.wantsLine()) {
				c.cst = cClearRec
				continue
			}
			c.clearRec.noRec = false
			max := c.opts.MaxLine
			n, line, ok, cut := lb.take(data, max)
			data = data[n:]
			if ok && lb.probed && !startsWithVerb(line) {
				continue // the tail of a line whose start was not captured
			}
			if ok {
				c.clientLine(line, cut, pos)
			}
		case cHold, cJudge:
			c.hold(data, pos)
			data = nil
		case cBody:
			if !c.msg.firstSet {
				c.msg.firstSet, c.msg.m.FirstPos = true, pos
			}
			before := c.body.cand
			n, done := c.body.feed(data)
			c.noteTail(before, pos)
			data = data[n:]
			if done {
				c.endData(pos)
			}
		case cBDAT:
			n := int64(len(data))
			if n > c.bdatLeft {
				n = c.bdatLeft
			}
			if c.msg != nil && !c.msg.done {
				if !c.msg.firstSet {
					c.msg.firstSet, c.msg.m.FirstPos = true, pos
				}
				c.body.emit(data[:n])
			}
			c.bdatLeft -= n
			data = data[n:]
			if c.bdatLeft == 0 {
				c.endChunk(pos)
			}
		case cClearRec:
			data = data[c.feedClearRecord(data, pos):]
		case cTLSHold:
			room := c.holdMax() - len(c.tlsHold.buf)
			if len(data) > room {
				c.lim.Buffer += int64(len(data) - room)
				data = data[:room]
			}
			c.tlsHold.buf = append(c.tlsHold.buf, data...)
			data = nil
		}
	}
}

// gapClient handles n missing client bytes (see Conn.Gap).
func (c *Conn) gapClient(n int64, pos wire.Pos) {
	switch c.cst {
	case cCmd:
		c.lines[wire.ClientToServer].resyncAfterGap()
	case cHold, cJudge:
		c.held.segs = append(c.held.segs, holdSeg{end: len(c.held.buf), pos: pos, gap: n})
	case cBody:
		c.msg.m.Gap = true
		c.msg.m.GapBytes += n
		c.body.gap()
		c.bodyGap(n, pos)
	case cBDAT:
		// RFC 3030, Section 2: the chunk is exactly its size; the gap
		// shrinks what is left of it.
		if c.msg != nil {
			c.msg.m.Gap = true
			c.msg.m.GapBytes += min(n, c.bdatLeft)
			c.bodyGap(min(n, c.bdatLeft), pos)
		}
		if n < c.bdatLeft {
			c.bdatLeft -= n
			return
		}
		n -= c.bdatLeft
		c.bdatLeft = 0
		c.endChunk(pos)
		if n > 0 {
			c.lines[wire.ClientToServer].resyncAfterGap()
		}
	case cTLSHold:
		c.lim.Buffer += n
	case cClearRec:
		c.endClearRecord(pos, true)
		c.lines[wire.ClientToServer].resyncAfterGap()
	}
	c.clearRec.tail, c.clearRec.tailBytes = false, 0
}

// clientLine handles one complete client line in command state.
func (c *Conn) clientLine(line []byte, cut bool, pos wire.Pos) {
	const dir = wire.ClientToServer
	content, crlf := trimEOL(line)
	if cut {
		c.lim.Line++
		c.anomaly(dir, pos, AnoOverlongLine, "line cut at "+itoa(len(content))+" bytes: "+quote(content),
			int64(len(content)))
	}
	if c.auth != nil && c.auth.wantsLine() {
		c.authLine(content, crlf, cut, pos)
		return
	}
	verbRaw, argRaw := splitCommand(content)
	verb := upperVerb(verbRaw)
	limit := maxCommandLine
	if verb == "AUTH" {
		limit = maxAuthLine
	}
	known := KnownVerb(verb)

	e := entry{kind: ePlain, index: c.nextIndex, verb: verb, t: pos.Time, rcpt: -1}
	c.nextIndex++
	cmd := Command{Verb: verb, VerbSent: sentVerb(verbRaw), Index: e.index, Known: known,
		Pipelined: c.queued() > 0 || c.held.replaying, AfterStartTLS: c.startTLSQ > 0, Smuggled: c.smuggle.replay}
	var auth *authState
	badB64 := false
	if verb == "AUTH" {
		auth, cmd.Arg, badB64 = newAuth(e.index, argRaw, c.opts.Reveal, pos.Time)
	} else {
		cmd.Arg = sanitize.Bytes(argRaw)
		cmd.Raw = line
	}
	ev := c.event(EvCommand, dir, pos)
	ev.Command = cmd
	c.sink.Event(ev)

	c.lineAnomalies(dir, pos, content, crlf, cut, limit)
	if !known {
		c.anomaly(dir, pos, AnoUnknownCommand, "unknown command "+quote(content), 0)
	}
	if !c.smtputf8 && has8Bit(content) {
		// RFC 5321, Section 2.4: commands are ASCII unless SMTPUTF8
		// (RFC 6531) was offered.
		c.anomaly(dir, pos, Ano8BitCommand, "8-bit bytes in command: "+quote(content), 0)
	}
	if badB64 {
		c.anomaly(dir, pos, AnoBadBase64, "AUTH initial response is not base64", 0)
	}

	if h := verbHandler(verb); h != nil {
		h(c, &e, argRaw, auth, pos)
	}
	pushed := c.push(e, false)
	if !pushed {
		c.anomaly(dir, pos, AnoPipelineLimit, "more than "+itoa(c.opts.MaxPipeline)+" commands await a reply", 0)
	}
	if verb == "DATA" {
		c.dataQueued(e.index, pushed)
	}
}

// verbHandler returns what a command with this verb does to the
// conversation's state once its event is out (nil: nothing). Each handler
// gets the command's queue entry to mark, its argument, and the AUTH state
// newAuth made for it (AUTH only).
func verbHandler(verb string) func(c *Conn, e *entry, arg []byte, auth *authState, pos wire.Pos) {
	switch verb {
	case "HELO", "EHLO", "RSET":
		return (*Conn).onReset
	case "LHLO":
		return (*Conn).onLHLO
	case "MAIL":
		return (*Conn).onMail
	case "RCPT":
		return (*Conn).onRcpt
	case "AUTH":
		return (*Conn).onAuth
	case "STARTTLS":
		return (*Conn).onStartTLS
	case "DATA":
		return (*Conn).onData
	case "BDAT":
		return (*Conn).onBDAT
	}
	return nil
}

// onReset: RFC 5321, Sections 4.1.1.1 and 4.1.1.5: HELO, EHLO and RSET
// clear the transaction.
func (c *Conn) onReset(*entry, []byte, *authState, wire.Pos) { c.tx = nil }

// onLHLO: RFC 2033, Section 4.1: LHLO opens LMTP (and clears the
// transaction as EHLO does).
func (c *Conn) onLHLO(*entry, []byte, *authState, wire.Pos) {
	c.tx = nil
	c.lmtp = true
}

// onMail: RFC 5321, Section 4.1.1.2: MAIL starts a new transaction.
func (c *Conn) onMail(e *entry, arg []byte, _ *authState, _ wire.Pos) {
	pa := parsePathArg(arg, "FROM:", true)
	c.tx = &transaction{mailFrom: sanitize.Bytes(pa.path), mailParams: pa.params}
	e.tx = c.tx
}

// onRcpt: RFC 5321, Section 4.1.1.3: one more recipient, kept up to
// Options.MaxRcpt (limit smtp-rcpt).
func (c *Conn) onRcpt(e *entry, arg []byte, _ *authState, pos wire.Pos) {
	if c.tx == nil {
		c.tx = &transaction{}
	}
	if len(c.tx.rcpts) >= c.opts.MaxRcpt {
		c.lim.Rcpt++
		return
	}
	e.tx, e.rcpt = c.tx, len(c.tx.rcpts)
	pa := parsePathArg(arg, "TO:", false)
	c.tx.rcpts = append(c.tx.rcpts, Rcpt{Addr: sanitize.Bytes(pa.path), Params: pa.params, Frame: pos.Frame})
}

// onAuth: RFC 4954, Section 4: AUTH starts an exchange; a new AUTH while
// one is unanswered reports the old one first.
func (c *Conn) onAuth(e *entry, _ []byte, auth *authState, pos wire.Pos) {
	e.kind = eAuth
	if c.auth != nil {
		old := c.event(EvAuth, wire.ClientToServer, pos)
		old.Auth = c.auth.result(0, c.opts.Reveal)
		c.sink.Event(old)
	}
	c.auth = auth
}

// onStartTLS: RFC 3207, Section 4: the reply decides whether TLS starts.
func (c *Conn) onStartTLS(e *entry, _ []byte, _ *authState, _ wire.Pos) {
	e.kind = eStartTLS
	c.startTLSQ++
}

// onData: RFC 5321, Section 4.1.1.4: the reply decides whether a body
// follows (dataQueued, once the command is queued).
func (c *Conn) onData(e *entry, _ []byte, _ *authState, _ wire.Pos) {
	e.kind = eData
	e.smuggled = c.smuggle.replay
}

// onBDAT: RFC 3030, Section 2 (bdatCommand).
func (c *Conn) onBDAT(e *entry, arg []byte, _ *authState, pos wire.Pos) { c.bdatCommand(e, arg, pos) }

// dataQueued decides where the bytes after DATA (command index) go.
func (c *Conn) dataQueued(index int, pushed bool) {
	if !c.serverSeen || !pushed {
		// Nothing was captured from the server (one-sided capture), or
		// DATA could not be queued: no reply can decide, assume 354.
		if pushed {
			c.q[len(c.q)-1].early = true
		}
		c.startBody(index)
		return
	}
	// RFC 5321, Section 4.1.1.4 and RFC 2920, Section 3.1: the body follows
	// only once 354 arrives; bytes sent before are held.
	c.cst = cHold
	c.held.data = index
}

// authLine handles a client response inside an AUTH exchange (RFC 4954,
// Section 4): it is not a command.
func (c *Conn) authLine(content []byte, crlf, cut bool, pos wire.Pos) {
	const dir = wire.ClientToServer
	c.lineAnomalies(dir, pos, content, crlf, cut, maxAuthLine)
	text, bad := c.auth.response(content, c.opts.Reveal, pos.Time)
	e := c.event(EvAuthLine, dir, pos)
	e.AuthLine = AuthLine{Mechanism: c.auth.mech, Text: text, CommandIndex: c.auth.cmdIndex}
	c.sink.Event(e)
	if bad {
		c.anomaly(dir, pos, AnoBadBase64, "AUTH response is not base64: "+quote(content), 0)
	}
}

// bdatCommand handles BDAT (RFC 3030, Section 2): the chunk's bytes follow
// the command line at once, without waiting for a reply.
func (c *Conn) bdatCommand(e *entry, arg []byte, pos wire.Pos) {
	size, last, ok := bdatArgs(arg)
	if !ok {
		// RFC 3030, Section 2: the server answers a malformed BDAT with an
		// error; no chunk follows that we could delimit.
		c.anomaly(wire.ClientToServer, pos, AnoBDATBadSize, "malformed BDAT argument "+quote(arg), 0)
		return
	}
	e.kind = eBDAT
	if c.msg == nil || c.msg.done {
		c.msg = c.newMessage("BDAT", -1)
		c.body.reset(c.opts.MaxBodyKeep)
		c.body.keepBody = c.opts.KeepBody
	}
	c.msg.m.Chunks++
	c.msg.m.CommandIndex = e.index
	if last {
		e.msg = c.msg
	}
	c.bdatLeft, c.bdatLast = size, last
	if size > 0 {
		c.cst = cBDAT
		return
	}
	c.endChunk(pos)
}

// newMessage starts a message numbered by its Seq.
func (c *Conn) newMessage(via string, index int) *message {
	m := &message{m: Message{Via: via, CommandIndex: index, Seq: c.nextSeq}, seq: c.nextSeq}
	c.nextSeq++
	return m
}

// endChunk ends a BDAT chunk; the chunk marked LAST ends the message
// (RFC 3030, Section 2).
func (c *Conn) endChunk(pos wire.Pos) {
	c.cst = cCmd
	if c.msg == nil || c.msg.done {
		return
	}
	if !c.msg.firstSet {
		c.msg.firstSet, c.msg.m.FirstPos = true, pos
	}
	c.msg.pos = pos
	if c.bdatLast {
		c.finishMessage(c.msg, pos)
		c.msg = nil
	}
}

// startBody starts a DATA body for the DATA command index.
func (c *Conn) startBody(index int) {
	c.msg = c.newMessage("DATA", index)
	c.msg.m.Smuggled = c.smuggle.data
	c.body.reset(c.opts.MaxBodyKeep)
	c.body.keepBody = c.opts.KeepBody
	c.cst = cBody
	c.lines[wire.ClientToServer].reset(false) // the body starts at a known boundary
}

// endData ends a DATA body at its "\r\n.\r\n" (RFC 5321, Section 4.1.1.4):
// the reply that follows answers the message.
func (c *Conn) endData(pos wire.Pos) {
	m := c.msg
	c.cst = cCmd
	c.msg = nil
	if !m.firstSet {
		m.firstSet, m.m.FirstPos = true, pos
	}
	c.finishMessage(m, pos)
	c.push(entry{kind: eMsgEnd, index: m.m.CommandIndex, verb: "DATA", t: pos.Time, msg: m, rcpt: -1, lines: c.lmtpReplies(m)}, true)
	if m.cand != 0 && c.serverSeen && !m.m.Smuggled {
		// An end-of-data look-alike: the server's replies will tell
		// where it ended the message; hold the client's next bytes
		// until they do (smuggle.go).
		c.cst, c.smuggle.judge, c.smuggle.judgeCode = cJudge, m, 0
	}
}

// noteTail records the frame of the bytes the body scanner kept after an
// end-of-data look-alike (and the frame of the look-alike itself).
func (c *Conn) noteTail(before Smuggling, pos wire.Pos) {
	m := c.msg
	if before == 0 && c.body.cand != 0 {
		m.candPos = pos
	}
	if n := len(c.body.tail); n > 0 && (len(m.tailSegs) == 0 || m.tailSegs[len(m.tailSegs)-1].end < n) {
		m.tailSegs = append(m.tailSegs, holdSeg{end: n, pos: pos})
	}
}

// finishMessage completes a message's content: size, evidence, header
// fields and the transaction it belongs to. RFC 5321, Section 4.1.1.4: the
// end of data completes the transaction.
func (c *Conn) finishMessage(m *message, pos wire.Pos) {
	m.done = true
	m.pos = pos
	m.m.Size = c.body.size
	if m.m.Via == "DATA" {
		m.m.Smuggling = c.body.smuggle
		m.cand, m.candSize, m.tailCut = c.body.cand, c.body.candSize, c.body.tailCut
		m.tail, c.body.tail = c.body.tail, nil
	}
	m.m.Truncated = c.body.truncated
	if m.m.Truncated {
		c.lim.Body++
	}
	h := parseHeaders(c.body.keep)
	m.m.From, m.m.To, m.m.Subject, m.m.Date, m.m.MessageID = h.from, h.to, h.subject, h.date, h.messageID
	m.body = c.body.keep
	c.body.keep, c.freeKeep = c.freeKeep, nil
	m.tx = c.tx
	c.tx = nil
	if m.tx != nil {
		m.m.MailFrom = m.tx.mailFrom
		m.m.MailParams = m.tx.mailParams
		m.m.MailReply = m.tx.mailReply
	}
}

// emitMessage reports a finished message with the code of its reply.
func (c *Conn) emitMessage(m *message, code int) {
	m.emitted = true
	e := c.event(EvMessage, wire.ClientToServer, m.pos)
	e.Message = m.m
	e.Message.Reply = code
	e.Message.Accepted = code >= 200 && code < 300
	if len(m.deliveries) > 0 {
		// LMTP: delivered when any recipient's reply accepted it.
		e.Message.Deliveries = m.deliveries
		e.Message.Accepted = false
		for _, d := range m.deliveries {
			e.Message.Accepted = e.Message.Accepted || d.Code >= 200 && d.Code < 300
		}
	}
	e.Message.Body = m.body
	if m.tx != nil {
		e.Message.RcptTo = m.tx.rcpts
	}
	c.sink.Event(e)
	if c.freeKeep == nil {
		c.freeKeep = m.body[:0] // reused by the next message
	}
	m.body, m.tx = nil, nil
}

// holdSeg is one Feed (or gap) of held client bytes: holdBuf[..end].
type holdSeg struct {
	end int
	pos wire.Pos
	gap int64
}

// holdMax bounds the held bytes: a few lines' worth (RFC 2920, Section 3.1:
// DATA ends a pipelined group, so a well-behaved client sends nothing
// before the 354).
func (c *Conn) holdMax() int {
	return max(4*c.opts.MaxLine, minHold)
}

// hold keeps client bytes sent after DATA until its reply arrives. Bytes
// beyond holdMax are dropped, counted (Limits.Buffer) and replayed as a
// gap.
func (c *Conn) hold(data []byte, pos wire.Pos) {
	room := c.holdMax() - len(c.held.buf)
	keep := data
	if len(data) > room {
		keep = data[:room]
	}
	if len(keep) > 0 {
		c.held.buf = append(c.held.buf, keep...)
		c.held.segs = append(c.held.segs, holdSeg{end: len(c.held.buf), pos: pos})
	}
	drop := int64(len(data) - len(keep))
	if drop == 0 {
		return
	}
	c.lim.Buffer += drop
	if n := len(c.held.segs); n > 0 && c.held.segs[n-1].gap > 0 {
		c.held.segs[n-1].gap += drop
		return
	}
	c.anomaly(wire.ClientToServer, pos, AnoBufferLimit, "client sent more than "+itoa(c.holdMax())+
		" bytes after DATA before its reply", drop)
	c.held.segs = append(c.held.segs, holdSeg{end: len(c.held.buf), pos: pos, gap: drop})
}

// replayHold feeds the held bytes again, now that the reply to DATA (or
// the end of the connection) decided what they are.
func (c *Conn) replayHold() {
	buf, segs := c.held.buf, c.held.segs
	c.held.buf, c.held.segs = c.held.spareBuf[:0], c.held.spareSegs[:0]
	c.held.replaying = true
	c.replaySegs(buf, segs)
	c.held.replaying = false
	c.held.spareBuf, c.held.spareSegs = buf[:0], segs[:0]
}
