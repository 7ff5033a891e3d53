package build

import (
	"github.com/smtpscope/smtpscope/dissect/session"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/smtp"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// connSink receives the SMTP events of one connection.
type connSink struct{ c *conn }

// maxItems bounds the commands and replies kept per session; more are
// counted under the limit "smtp-items".
const maxItems = 100_000

// Event implements smtp.Sink.
func (k *connSink) Event(e *smtp.Event) {
	c := k.c
	s := c.s
	switch e.Kind {
	case smtp.EvCommand:
		c.onCommand(e)
	case smtp.EvReply:
		c.onReply(e)
	case smtp.EvCapabilities:
		for _, cp := range e.Caps {
			s.Capabilities = append(s.Capabilities, session.Capability{Keyword: cp.Keyword, Params: append([]string(nil), cp.Params...), InTLS: e.InTLS})
		}
	case smtp.EvAuthLine:
		c.phase = session.PhaseAuth
		c.add(session.Event{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: wire.ClientToServer, Phase: session.PhaseAuth, Kind: session.KindAuth,
			Summary: e.AuthLine.Text, InTLS: e.InTLS, Ref: e.AuthLine.CommandIndex})
	case smtp.EvAuth:
		a := e.Auth
		s.Auth = append(s.Auth, session.AuthAttempt{Frame: e.Pos.Frame, Mechanism: a.Mechanism, User: a.User,
			Password: a.Password, Result: a.Result, InTLS: e.InTLS})
	case smtp.EvDataStart:
		c.phase = session.PhaseData
	case smtp.EvMessage:
		c.onMessage(e)
	case smtp.EvBody:
		c.onBody(e)
	case smtp.EvStartTLS:
		c.onStartTLS(e)
	case smtp.EvTLSInClear:
		c.onTLSInClear(e)
	case smtp.EvAnomaly:
		if e.Anomaly.Code == smtp.AnoGap {
			return // the TCP gap event already shows it
		}
		c.anomaly(e.Dir, e.Pos, e.Anomaly.Code, e.Anomaly.Summary)
	}
}

// phaseOfVerb maps a command to its timeline phase (FINDINGS.md, "Phases").
func (c *conn) phaseOfVerb(verb string) session.Phase {
	switch verb {
	case "EHLO", "HELO", "LHLO":
		return session.PhaseEHLO
	case "STARTTLS":
		return session.PhaseStartTLS
	case "AUTH":
		return session.PhaseAuth
	case "MAIL", "RCPT", "RSET", "VRFY", "EXPN":
		return session.PhaseEnvelope
	case "DATA", "BDAT":
		return session.PhaseData
	case "QUIT":
		return session.PhaseQuit
	}
	switch c.phase {
	case session.PhaseTCPHandshake, session.PhaseTeardown:
		return session.PhaseGreeting
	case session.PhaseData:
		// A command is read only after the message ended or DATA was
		// refused (RFC 5321, Section 4.1.1.4): NOOP, HELP and the like
		// then belong to the (next) transaction, not to the data.
		return session.PhaseEnvelope
	}
	return c.phase
}

func (c *conn) onCommand(e *smtp.Event) {
	s := c.s
	if len(s.Commands) >= maxItems {
		c.b.limits[wire.LimitSMTPItems]++
		return
	}
	cm := e.Command
	if cm.Verb == "LHLO" && s.PortRole == session.RoleOther {
		s.PortRole = session.RoleLMTP // by content: RFC 2033, Section 4.1
	}
	ph := c.phaseOfVerb(cm.Verb)
	c.phase = ph
	s.Commands = append(s.Commands, session.Command{Frame: e.Pos.Frame, Time: e.Pos.Time, Verb: cm.Verb, Arg: cm.Arg,
		InTLS: e.InTLS, Pipelined: cm.Pipelined, AfterStartTLS: cm.AfterStartTLS,
		Smuggled: cm.Smuggled, VerbSent: cm.VerbSent})
	c.cmdPhase = append(c.cmdPhase, ph)
	sum := cm.Verb
	if cm.VerbSent != "" {
		sum = cm.VerbSent // shown as sent
	}
	if cm.Arg != "" {
		sum += " " + cm.Arg
	}
	if cm.Smuggled {
		sum += "  (smuggled: hidden in the message, run by the server)"
	}
	if cm.AfterStartTLS {
		sum += "  (sent after STARTTLS, before its reply)"
	}
	c.add(session.Event{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: wire.ClientToServer, Phase: ph, Kind: session.KindCommand,
		Summary: sum, InTLS: e.InTLS, Ref: len(s.Commands) - 1, Raw: c.keep(cm.Raw, maxRawEvent)})
}

func (c *conn) onReply(e *smtp.Event) {
	s := c.s
	if len(s.Replies) >= maxItems {
		c.b.limits[wire.LimitSMTPItems]++
		return
	}
	r := e.Reply
	ci := r.CommandIndex
	if ci >= len(s.Commands) {
		ci = -1 // its command was not kept
	}
	ri := len(s.Replies)
	s.Replies = append(s.Replies, session.Reply{Frame: e.Pos.Frame, Time: e.Pos.Time, Code: r.Code, Enhanced: r.Enhanced,
		Lines: append([]string(nil), r.Lines...), InTLS: e.InTLS, Command: ci})
	if r.Record > 0 {
		if idx := c.clearRecord(r.Record); idx >= 0 {
			s.Replies[ri].TLSRecord = &idx
			s.TLSRecords[idx].Replies++
		}
	}
	ph := c.phase
	switch {
	case r.Greeting:
		ph = session.PhaseGreeting
	case ci >= 0:
		ph = c.cmdPhase[ci]
		cmd := &s.Commands[ci]
		// The first reply answers the command; a 334 is only a step of
		// AUTH (RFC 4954, Section 4), so the final reply replaces it. The
		// reply after a DATA body answers the message, not DATA.
		if cmd.Reply == nil || cmd.Reply.Code == 334 {
			cmd.Reply = &session.ReplyRef{Frame: e.Pos.Frame, Code: r.Code, Latency: r.Latency, Index: ri}
		}
	}
	if ph == session.PhaseTCPHandshake {
		ph = session.PhaseGreeting
	}
	c.phase = ph
	c.add(session.Event{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: wire.ServerToClient, Phase: ph, Kind: session.KindReply,
		Summary: replySummary(r), InTLS: e.InTLS, Ref: ri, Raw: c.keep(r.Raw, maxRawEvent)})
}

// replySummary is "code first-line" plus the number of further lines.
func replySummary(r smtp.Reply) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(r.Code))
	if len(r.Lines) > 0 {
		b.WriteByte(' ')
		b.WriteString(r.Lines[0])
	}
	if n := len(r.Lines) - 1; n > 0 {
		b.WriteString("  (+" + strconv.Itoa(n) + " lines: ")
		for i, l := range r.Lines[1:] {
			if i > 0 {
				b.WriteString(", ")
			}
			if i == 12 {
				b.WriteString("…")
				break
			}
			b.WriteString(l)
		}
		b.WriteByte(')')
	}
	return b.String()
}

func (c *conn) onMessage(e *smtp.Event) {
	s := c.s
	m := e.Message
	msg := session.Message{Frame: e.Pos.Frame, FirstFrame: m.FirstPos.Frame, MailFrom: m.MailFrom, From: m.From, To: m.To,
		Subject: m.Subject, Date: m.Date, MessageID: m.MessageID, Size: m.Size, Accepted: m.Accepted, Reply: m.Reply,
		InTLS: e.InTLS, Via: m.Via, Truncated: m.Truncated, Time: e.Pos.Time, RcptTo: make([]string, 0, len(m.RcptTo)),
		Smuggling: m.Smuggling.String(), SmugglingOutcome: m.Outcome.String(), Smuggled: m.Smuggled}
	msg.MailParams, msg.MailReply = envParams(m.MailParams), m.MailReply
	msg.Seq = m.Seq
	msg.Incomplete, msg.GapBytes = m.Incomplete, m.GapBytes
	for _, r := range m.RcptTo {
		msg.RcptTo = append(msg.RcptTo, r.Addr)
		msg.Rcpts = append(msg.Rcpts, session.Rcpt{Addr: r.Addr, Frame: r.Frame, Reply: r.Code, ReplyFrame: r.ReplyFrame,
			Params: envParams(r.Params)})
	}
	for _, d := range m.Deliveries {
		msg.Deliveries = append(msg.Deliveries, session.Delivery{Rcpt: d.Rcpt, Code: d.Code, Frame: d.Frame})
	}
	c.content(m.Seq, &msg, m.Smuggled)
	s.Messages = append(s.Messages, msg)
	var b strings.Builder
	b.WriteString("message " + strconv.FormatInt(m.Size, 10) + " bytes")
	if msg.Subject != "" {
		b.WriteString(", Subject: " + msg.Subject)
	}
	if a := attachmentSummary(&msg); a != "" {
		b.WriteString(", " + a)
	}
	switch {
	case m.Incomplete:
		b.WriteString(", incomplete")
	case m.Accepted:
		b.WriteString(", accepted (" + strconv.Itoa(m.Reply) + ")")
	case m.Reply != 0:
		b.WriteString(", rejected (" + strconv.Itoa(m.Reply) + ")")
	}
	if m.Gap {
		b.WriteString(", " + strconv.FormatInt(m.GapBytes, 10) + " bytes not captured")
	}
	if len(m.Deliveries) > 0 {
		// RFC 2033, Section 4.2: one reply per accepted recipient.
		b.WriteString(", LMTP:")
		for i, d := range m.Deliveries {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(" " + d.Rcpt + " " + strconv.Itoa(d.Code))
		}
	}
	switch {
	case m.Smuggled:
		b.WriteString(", smuggled: hidden in the previous message, accepted as a message of its own")
	case m.Outcome == smtp.OutcomeRan:
		b.WriteString(", the server ended it at " + m.Smuggling.String() + " (SMTP smuggling)")
	}
	c.add(session.Event{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: wire.ClientToServer, Phase: session.PhaseData, Kind: session.KindMessage,
		Summary: b.String(), InTLS: e.InTLS, Ref: len(s.Messages) - 1})
}

// onStartTLS hands both directions to TLS after a 220 answered STARTTLS
// (RFC 3207, Section 4.2). The first bytes of each direction then decide
// (decideAfterStartTLS): a TLS record goes on as TLS; anything else is
// reported.
func (c *conn) onStartTLS(e *smtp.Event) {
	s := c.s
	if s.TLS.Mode == session.TLSNone {
		s.TLS.Mode = session.TLSStartTLS
	}
	c.phase = session.PhaseTLSHandshake
	c.mode = [2]mode{modeAfterStartTLS, modeAfterStartTLS}
	st := e.StartTLS
	if p := st.Pending[wire.ServerToClient]; len(p) > 0 && !looksLikeTLS(p) && !looksLikeRecord(p) {
		// Bytes after the 220 in the same read, before the client could
		// start TLS: response injection (CVE-2021-38371 class).
		c.injected = true
		c.anomaly(wire.ServerToClient, e.Pos, "starttls.response_injection",
			bytesText(len(p))+" of plaintext after the 220 to STARTTLS: "+quotePrefix(p))
	} else if len(p) > 0 {
		c.refeedData(wire.ServerToClient, p, e.Pos)
	}
	if p := st.Pending[wire.ClientToServer]; len(p) > 0 {
		c.refeedData(wire.ClientToServer, p, e.Pos)
	}
}

// refeedData routes bytes the SMTP parser handed back at STARTTLS (they
// belong to TLS) as if they had just arrived, without counting them again.
func (c *conn) refeedData(d wire.Dir, p []byte, pos wire.Pos) {
	c.refeed = true
	c.Data(c.flowDir(d), append([]byte(nil), p...), pos)
	c.refeed = false
}
