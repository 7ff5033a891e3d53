package smtp

import (
	"strconv"
	"time"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// clientState is what the client's next bytes are.
type clientState uint8

const (
	// cCmd: command lines, and AUTH responses while an AUTH exchange wants
	// them (RFC 5321, Section 4.1; RFC 4954, Section 4).
	cCmd clientState = iota
	// cHold: DATA was sent and its reply has not been seen: the bytes are
	// held until the reply decides whether they are a body (354) or
	// commands (anything else). See Conn.hold.
	cHold
	// cBody: a DATA body after 354, up to "\r\n.\r\n" (RFC 5321,
	// Section 4.1.1.4).
	cBody
	// cBDAT: the bytes of a BDAT chunk (RFC 3030, Section 2).
	cBDAT
	// cTLSHold: STARTTLS awaits its reply and the client already sent a
	// TLS record (first byte 0x16); held for EvStartTLS.Pending.
	cTLSHold
	// cJudge: a DATA body with an end-of-data look-alike ended; the client's
	// next bytes are held until the server's replies show whether it ended
	// the message at the look-alike and ran the rest (Conn.smuggle.judge).
	cJudge
	// cClearRec: a TLS record sent in clear, collected to its end
	// (tlsclear.go).
	cClearRec
)

// message is a message being received or awaiting its reply.
type message struct {
	m        Message
	pos      wire.Pos // frame of the end of data or of the last chunk
	firstSet bool
	tx       *transaction
	body     []byte
	done     bool // the end was seen (or forced)
	emitted  bool
	// cand, candSize, candPos: the first end-of-data look-alike, the size
	// before it and the frame it came in; tail and tailSegs the raw bytes
	// after it (bodyScanner.tail) with the frames they came in.
	cand     Smuggling
	candSize int64
	candPos  wire.Pos
	tail     []byte
	tailCut  int64
	tailSegs []holdSeg
	seq      int // Message.Seq
	// deliveries are LMTP's replies to the message so far, one per
	// accepted recipient (lmtp.go).
	deliveries []Delivery
}

// transaction is one mail transaction: MAIL, then RCPTs (RFC 5321,
// Section 3.3).
type transaction struct {
	mailFrom   string
	mailParams Params
	mailReply  int
	rcpts      []Rcpt
}

// Conn dissects the SMTP conversation of one TCP connection. It is not safe
// for concurrent use, and the Sink must not call back into the Conn.
type Conn struct {
	opts Options
	sink Sink
	ev   Event
	lim  Limits

	// The connection.
	inTLS      bool
	stopped    bool // handed off to TLS after STARTTLS; waiting for SetInTLS
	closed     bool
	anomalies  int
	bareLF     [2]bool
	lines      [2]lineBuf
	serverSeen bool
	greeted    bool
	smtputf8   bool
	lmtp       bool // LMTP (RFC 2033): Options.LMTP or an LHLO

	// The client's commands and the queue of those awaiting a reply.
	cst        clientState
	nextIndex  int
	q          []entry // commands awaiting a reply (RFC 2920, Section 3)
	qh         int     // head of q
	tx         *transaction
	auth       *authState
	startTLSQ  int // STARTTLS commands awaiting their reply
	lastClient wire.Pos
	curPos     wire.Pos // the frame of the client bytes being parsed

	// The message being read (DATA or BDAT).
	msg      *message
	body     bodyScanner
	freeKeep []byte // a kept-bytes buffer returned by an emitted message
	bdatLeft int64
	bdatLast bool
	nextSeq  int // Message.Seq of the next message

	held     heldClient   // client bytes held until a reply decides (DATA, smuggling)
	tlsHold  heldTLS      // client bytes sent after STARTTLS, before its reply
	smuggle  smuggleState // a body with an end-of-data look-alike, judged by the replies
	clearRec clearRecord  // a TLS record sent in clear (tlsclear.go)
	rp       replyState   // the server's reply being assembled
}

// heldClient is the client's bytes held while a reply decides what they
// are (RFC 5321, Section 4.1.1.4: bytes after DATA before its 354).
type heldClient struct {
	buf       []byte
	segs      []holdSeg
	data      int // index of the DATA command whose reply the hold awaits
	spareBuf  []byte
	spareSegs []holdSeg
	replaying bool
}

// heldTLS is what the client sent after STARTTLS before its reply.
type heldTLS struct {
	buf []byte
	pos wire.Pos // the frame of the first held TLS byte
}

// smuggleState follows a message whose body held an end-of-data
// look-alike: judge is the message whose outcome awaits the server's
// replies, judgeCode the code of its reply (0 before it came); replay says
// the bytes a server ran after the look-alike are being replayed, data
// that the body being started belongs to a smuggled DATA.
type smuggleState struct {
	judge     *message
	judgeCode int
	replay    bool
	data      bool
}

// clearRecord is a TLS record sent in clear: its bytes so far, its length
// with the header once known (need), the number of records so far (seq);
// noRec feeds the next bytes as a line even if they start with 0x16 (they
// were not a record); tail says the record's last line is still open at
// the server, tailBytes how much of it came since.
type clearRecord struct {
	buf       []byte
	need      int
	seq       int
	noRec     bool
	tail      bool
	tailBytes int
}

// replyState is the server's reply being assembled.
type replyState struct {
	active   bool
	code     int
	enhanced string
	lines    []string
	first    []byte // raw text of the first line (for 334 challenges)
	raw      []byte // raw bytes of the reply being read (bounded by maxRawReply)
}

// NewConn returns a Conn reporting to sink.
func NewConn(opts Options, sink Sink) *Conn {
	c := &Conn{opts: opts.withDefaults(), sink: sink}
	c.lmtp = c.opts.LMTP
	if c.opts.StreamBody {
		c.body.out = c.bodyBytes
	}
	return c
}

// bodyBytes reports message bytes as they are found (Options.StreamBody).
func (c *Conn) bodyBytes(b []byte) {
	if c.msg == nil {
		return
	}
	e := c.event(EvBody, wire.ClientToServer, c.curPos)
	e.Body = Body{Seq: c.msg.seq, Data: b}
	c.sink.Event(e)
}

// bodyGap reports n message bytes that were not captured.
func (c *Conn) bodyGap(n int64, pos wire.Pos) {
	if c.msg == nil || !c.opts.StreamBody || n <= 0 {
		return
	}
	e := c.event(EvBody, wire.ClientToServer, pos)
	e.Body = Body{Seq: c.msg.seq, Gap: n}
	c.sink.Event(e)
}

// Limits returns how often each limit was hit so far.
func (c *Conn) Limits() Limits { return c.lim }

// SetInTLS marks the items that follow as carried inside TLS. After an
// EvStartTLS, SetInTLS(true) resumes parsing (the caller feeds decrypted
// bytes) with a fresh state: RFC 3207, Section 4.2: both sides discard what
// they learnt before TLS, the client starts again with EHLO and no new
// greeting is sent. Call SetInTLS(true) before the first Feed for implicit
// TLS (RFC 8314).
func (c *Conn) SetInTLS(v bool) {
	c.inTLS = v
	if !v || !c.stopped {
		return
	}
	c.stopped = false
	c.lines[0].reset(false)
	c.lines[1].reset(false)
	c.rp.active = false
	c.cst = cCmd
	c.q, c.qh = c.q[:0], 0
	c.tx, c.auth, c.msg = nil, nil, nil
	c.startTLSQ = 0
	c.held.buf, c.held.segs = c.held.buf[:0], c.held.segs[:0]
	c.tlsHold.buf = c.tlsHold.buf[:0]
	c.smtputf8 = false
}

// Feed parses bytes of one direction that arrived in the frame at pos. The
// data is not retained. After EvStartTLS the bytes belong to TLS and are
// only counted (Limits.AfterTLS) until SetInTLS(true).
func (c *Conn) Feed(dir wire.Dir, data []byte, pos wire.Pos) {
	if c.closed || len(data) == 0 {
		return
	}
	if c.stopped {
		c.lim.AfterTLS += int64(len(data))
		return
	}
	if dir == wire.ServerToClient {
		c.serverSeen = true
		c.feedServer(data, pos)
		return
	}
	c.lastClient = pos
	c.feedClient(data, pos)
}

// Gap reports that n bytes of dir were not captured. The parser cannot know
// what they held: in a DATA body the message is marked (Message.Gap), in a
// BDAT chunk the remaining count shrinks, elsewhere the partial line is
// dropped and parsing resynchronises with the first line after the gap that
// starts like a command or a reply, else at the next LF.
func (c *Conn) Gap(dir wire.Dir, n int, pos wire.Pos) {
	if c.closed || c.stopped || n <= 0 {
		return
	}
	c.anomaly(dir, pos, AnoGap, itoa(n)+" bytes missing from "+dir.String(), int64(n))
	if dir == wire.ServerToClient {
		c.lines[1].resyncAfterGap()
		return
	}
	c.gapClient(int64(n), pos)
}

// Close ends the connection: partial lines are flagged, a message whose end
// or reply was not seen is emitted (Incomplete, or Reply 0), an unfinished
// AUTH exchange is emitted with Result 0. Later calls do nothing.
func (c *Conn) Close(pos wire.Pos) {
	if c.closed {
		return
	}
	if c.stopped {
		c.closed = true
		return
	}
	if c.smuggle.judge != nil {
		// RFC 5321, Section 4.1.1.4: one reply answered the end of data
		// and nothing more came: the server kept the look-alike inside.
		o := OutcomeUnclear
		switch {
		case c.smuggle.judgeCode >= 400:
			o = OutcomeRefused
		case c.smuggle.judgeCode >= 200:
			o = OutcomeKept
		}
		c.resolveJudge(false, o)
	}
	for d := range c.lines {
		if p := c.lines[d].pending(); len(p) > 0 && !c.lines[d].discard {
			if wire.Dir(d) == wire.ClientToServer && (c.cst != cCmd || c.clearRec.tail) {
				continue
			}
			c.anomaly(wire.Dir(d), pos, AnoPartialLine, "connection ended inside a line: "+quote(p), int64(len(p)))
		}
	}
	switch c.cst {
	case cHold:
		// The reply to DATA was not captured: assume a 354 and read the
		// held bytes as the body.
		c.startBody(c.held.data)
		c.replayHold()
	case cTLSHold:
		c.anomaly(wire.ClientToServer, pos, AnoUnexpectedTLS, "TLS record sent after STARTTLS was never answered",
			int64(len(c.tlsHold.buf)))
	case cClearRec:
		c.endClearRecord(c.lastClient, true)
	}
	if c.msg != nil && !c.msg.done {
		if c.cst == cBody {
			c.body.flush()
		}
		m := c.msg
		c.msg = nil
		end := c.lastClient
		if end.Frame == 0 {
			end = pos
		}
		// A body started only because a 354 answered no command (the
		// DATA was lost) and no client byte followed: no message was seen.
		if m.firstSet || m.m.CommandIndex >= 0 {
			m.m.Incomplete = true
			c.finishMessage(m, end)
			c.emitMessage(m, 0)
		}
	}
	// Messages whose reply never came.
	for i := c.qh; i < len(c.q); i++ {
		if m := c.q[i].msg; m != nil && m.done && !m.emitted {
			c.emitMessage(m, 0)
		}
	}
	if c.auth != nil {
		e := c.event(EvAuth, wire.ClientToServer, pos)
		e.Auth = c.auth.result(0, c.opts.Reveal)
		c.auth = nil
		c.sink.Event(e)
	}
	c.closed = true
}

// event prepares the reusable Event.
func (c *Conn) event(k Kind, dir wire.Dir, pos wire.Pos) *Event {
	c.ev = Event{Kind: k, Dir: dir, Pos: pos, InTLS: c.inTLS}
	return &c.ev
}

// since returns t - from, or 0 when either is unknown.
func since(t, from time.Time) time.Duration {
	if t.IsZero() || from.IsZero() {
		return 0
	}
	return t.Sub(from)
}

// itoa formats n.
func itoa(n int) string { return strconv.Itoa(n) }
