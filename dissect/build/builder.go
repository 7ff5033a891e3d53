package build

import (
	"github.com/smtpscope/smtpscope/dissect/flow"
	"github.com/smtpscope/smtpscope/dissect/message"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/smtp"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
	"strconv"
)

// Options configure the session builder.
type Options struct {
	SMTP smtp.Options
	TLS  tlsrec.Options
	// AnyPort looks for SMTP on every TCP connection (by its banner or its
	// EHLO/HELO), not only on the SMTP ports. It is on by default in files;
	// the cost is a look at the first bytes of each connection.
	AnyPort bool
	// MaxEvents bounds the timeline of one session (default 100,000); the
	// events past it are counted in Progress.Limits[wire.LimitTimeline].
	MaxEvents int
	// Keys decrypts TLS (STARTTLS and implicit) when it holds the secrets
	// of a connection (NSS key log, or pcapng Decryption Secrets Blocks).
	Keys *tlsdecrypt.KeyLog
	// KeepBytes keeps each event's raw bytes (Event.Raw) for a hex view, up
	// to MaxKeptBytes per session (default 4 MiB; limit "kept-bytes").
	KeepBytes    bool
	MaxKeptBytes int
	// Message bounds the message layer (headers, MIME parts, previews);
	// NoContent turns it off (messages then carry only the envelope and
	// the five headers the SMTP parser reads).
	Message   message.Options
	NoContent bool
	// Tap, when set, is given every message byte as it streams (for
	// export, which re-reads the capture instead of keeping messages).
	Tap Tap
	// Panic lets a dissector's panic through instead of recovering it per
	// stream (recover.go): for fuzz targets, which must see it.
	Panic bool
	// hook, when set, is called with the bytes of every Data call before
	// they are dissected (tests inject a panicking parser with it).
	hook func(d wire.Dir, data []byte)
}

// Tap receives the bytes of every message (Options.Tap), numbered by
// session stream and Message.Seq.
type Tap interface {
	// Body is called with the next bytes of a message, or with gap > 0
	// bytes that were not captured; data is only valid during the call.
	Body(stream int64, seq int, data []byte, gap int64)
}

// Sink is told about sessions as they are built.
type Sink interface {
	// Candidate announces a stream that may become a session (for ordering).
	Candidate(stream int64)
	// Started hands over a new session; the builder keeps changing it.
	Started(s *session.Session)
	// Finished says the session will not change any more.
	Finished(s *session.Session)
	// Dropped says the candidate stream is not SMTP.
	Dropped(stream int64)
}

// Builder makes sessions out of TCP connections: it is a flow.Handler.
type Builder struct {
	opts   Options
	sink   Sink
	limits wire.Counts
	// stale holds the connections whose latest run of encrypted records
	// grew since its summary was written (Settle writes it).
	stale []*conn
	// recordSums interns the summaries of record events ("Application
	// Data, 1.4 KB"): a transfer repeats a few.
	recordSums map[recordSum]string
}

// recordSum is the key of an interned record summary.
type recordSum struct {
	what   string
	length int
}

// maxRecordSums bounds Builder.recordSums.
const maxRecordSums = 4096

// Settle brings every summary up to date that the builder writes lazily
// (the "N encrypted records, M bytes" of a growing run): the engine calls
// it after every batch of frames, so that a viewer reading the sessions
// between batches sees them right, and a run costs no text per record.
func (b *Builder) Settle() {
	for _, c := range b.stale {
		c.settleBulk()
	}
	clear(b.stale)
	b.stale = b.stale[:0]
}

// NewBuilder returns a builder reporting to sink.
func NewBuilder(opts Options, sink Sink) *Builder {
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = 100_000
	}
	if opts.MaxKeptBytes <= 0 {
		opts.MaxKeptBytes = 4 << 20
	}
	if !opts.NoContent || opts.Tap != nil {
		// The message layer (or the tap) reads every message byte as it
		// streams.
		opts.SMTP.StreamBody = true
	}
	if opts.TLS.Certs == nil {
		opts.TLS.Certs = tlsrec.NewCertCache() // one per capture
	}
	return &Builder{opts: opts, sink: sink, limits: wire.Counts{}}
}

// fitted returns xs in an array of its own length when appending left more
// than an eighth of it unused.
func fitted[S ~[]E, E any](xs S) S {
	if cap(xs)-len(xs) <= len(xs)/8 {
		return xs
	}
	return append(make(S, 0, len(xs)), xs...)
}

// Limits returns how often each limit was hit, by name. A key log cut at
// its bounds counts once (issue 12, defect 2).
func (b *Builder) Limits() wire.Counts {
	if k := b.opts.Keys; k != nil && k.Stats().Truncated {
		b.limits[wire.LimitKeyLog] = 1
	}
	return b.limits
}

// Open implements flow.Handler.
func (b *Builder) Open(fc *flow.Conn) flow.Consumer {
	a, z := fc.A.Port(), fc.B.Port()
	if !smtpPort(a) && !smtpPort(z) && !b.opts.AnyPort {
		return nil
	}
	c := &conn{b: b, fc: fc}
	b.sink.Candidate(fc.Stream)
	// On an SMTP port the connection is a session from its first packet:
	// the SYN sender is the client, else the side not on the SMTP port.
	// Elsewhere the first bytes decide (detect.go).
	// The session itself (its model, the SMTP parser) is made only when
	// the connection carries bytes, holds more events than maxHeld, or
	// ends (materialize): a flood of SYNs costs no SMTP state.
	switch {
	case fc.SYNSeen && (smtpPort(a) || smtpPort(z)):
		c.lazy, c.flip = true, false
	case smtpPort(z):
		c.lazy, c.flip = true, false
	case smtpPort(a):
		c.lazy, c.flip = true, true
	}
	return c
}

// materialize makes the session of a connection decided by its ports.
func (c *conn) materialize() {
	if c.lazy && !c.decided {
		c.lazy = false
		c.decide(c.flip)
	}
}

// Footprint estimates the bytes the connection's state holds, for the
// flow tracker's memory budget: the held events before the session exists,
// then the session's model and parsers.
func (c *conn) Footprint() int {
	n := connBytes + len(c.held)*heldEventBytes
	if s := c.s; s != nil {
		n += sessionBytes + c.kept +
			len(s.Timeline)*eventBytes + len(s.Commands)*commandBytes + len(s.Replies)*replyBytes +
			len(s.TLSRecords)*recordBytes + len(s.Messages)*messageBytes
	}
	return n
}

// Estimates of the memory of a connection's state, in bytes (measured on
// bench-small's sessions; what Footprint adds up).
const (
	connBytes      = 320
	heldEventBytes = 48
	sessionBytes   = 4096 // the model, the SMTP conversation and its buffers
	eventBytes     = 160
	commandBytes   = 200
	replyBytes     = 200
	recordBytes    = 120
	messageBytes   = 1024
)

// mode is what a direction's bytes are.
type mode uint8

const (
	modeUnknown mode = iota // no byte seen yet
	modeSMTP
	modeTLS
	// modeAfterStartTLS: a 220 answered STARTTLS; the next bytes decide.
	modeAfterStartTLS
	// modeTLSPending: the client's first bytes are a ClientHello and the
	// server has not spoken: its first bytes decide whether this is
	// implicit TLS or TLS sent in clear to an SMTP server (transport.go).
	modeTLSPending
)

// conn is the builder's state for one connection.
type conn struct {
	b       *Builder
	fc      *flow.Conn
	s       *session.Session
	decided bool
	lazy    bool // decided by its ports, the session not made yet (materialize)
	flip    bool // flow's A is the server
	dropped bool
	// broken says a dissector panicked on this stream (recover.go);
	// finished that the session was handed to the sink.
	broken, finished bool
	held             []flow.Event // TCP events before the decision (bounded)
	wait             [2]waiting   // first bytes per flow direction, until they decide (prefix.go)
	// injected says the server's plaintext after the 220 to STARTTLS was
	// reported once (starttls.response_injection).
	injected bool
	refeed   bool // bytes handed back by the SMTP parser (counted already)
	mode     [2]mode
	smtp     *smtp.Conn // made by parser at the first SMTP byte or gap
	// parserGone says the connection closed: parser makes no new one.
	parserGone bool
	tls        [2]*tlsrec.Parser
	phase      session.Phase
	// cmdPhase holds the phase of each command, for its replies.
	cmdPhase []session.Phase
	// bulkIdx is the timeline index of the latest run of encrypted
	// records, -1 if none.
	bulkIdx int
	// bulkStale says the run at bulkIdx grew since its summary was
	// written (the conn is then in Builder.stale).
	bulkStale bool
	sink      connSink
	// encSeen says a direction sent an encrypted record; once both did, the
	// TLS handshake is over (their Finished messages are encrypted).
	encSeen [2]bool
	tlsDone bool
	kept    int    // bytes kept in Event.Raw for this session
	raw     []byte // the current record's bytes, for its event
	dec     *tlsdecrypt.Conn
	inner   bool // decrypted SMTP has started (the parser was told SetInTLS)
	tls13   bool // the server selected TLS 1.3: the client's records are encrypted too
	finSeen bool // a FIN or RST was seen: what follows is teardown
	// overlapSeen says a direction's overlap conflict was reported.
	overlapSeen [2]bool
	// pend holds the client's bytes while its mode is modeTLSPending.
	pend *waiting
	// cutIdx notes the snap-length anomalies per direction (transport.go).
	cutIdx *[2]cutNote
	// msgs are the messages streaming through the message layer.
	msgs []inflight
}

// maxHeld bounds TCP events kept while a connection is undecided.
const maxHeld = 8

// decide makes the connection a session; flip says flow's A is the server.
func (c *conn) decide(flip bool) {
	c.decided, c.flip = true, flip
	fc := c.fc
	cl, sv := fc.A, fc.B
	if flip {
		cl, sv = sv, cl
	}
	s := &session.Session{
		Stream:   fc.Stream,
		Client:   session.Endpoint{IP: cl.Addr().String(), Port: cl.Port()},
		Server:   session.Endpoint{IP: sv.Addr().String(), Port: sv.Port()},
		PortRole: session.RoleOfPort(sv.Port()),
		TLS:      session.TLSInfo{Mode: session.TLSNone},
		Commands: []session.Command{}, Replies: []session.Reply{}, TLSRecords: []session.TLSRecord{},
		Messages: []session.Message{}, Timeline: []session.Event{}, Findings: []session.Finding{}, Anomalies: []session.Anomaly{},
	}
	s.FirstFrame, s.Start = fc.First.Frame, fc.First.Time
	s.LastFrame, s.End = fc.First.Frame, fc.First.Time
	c.s = s
	c.phase = session.PhaseTCPHandshake
	c.bulkIdx = -1
	c.sink.c = c
	c.b.sink.Started(s)
	for _, e := range c.held {
		c.TCP(e)
	}
	c.held = nil
}

// parser returns the connection's SMTP parser, made at its first use so
// that a connection that never carries SMTP bytes (a SYN flood) costs no
// parser (issue 12, defect 1); nil once the connection closed.
func (c *conn) parser() *smtp.Conn {
	if c.smtp == nil && !c.parserGone {
		opts := c.b.opts.SMTP
		opts.LMTP = c.s != nil && c.s.Server.Port == 24 // RFC 2033, Section 5: port 24
		c.smtp = smtp.NewConn(opts, &c.sink)
	}
	return c.smtp
}

// dir converts a flow direction to the session's.
func (c *conn) dir(d wire.Dir) wire.Dir {
	if c.flip {
		return d.Reverse()
	}
	return d
}

// TCP implements flow.Consumer.
func (c *conn) TCP(e flow.Event) {
	if c.dropped || c.broken {
		return
	}
	defer c.recoverAt(e.Pos)
	if !c.decided && c.lazy && len(c.held) == maxHeld {
		c.materialize()
	}
	if !c.decided {
		if len(c.held) < maxHeld {
			c.held = append(c.held, e)
		} else {
			c.b.limits[wire.LimitHeldEvents]++
		}
		return
	}
	d := c.dir(e.Dir)
	s := c.s
	ev := session.Event{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: d, Ref: -1}
	switch e.Kind {
	case flow.EvSYN:
		ev.Phase, ev.Kind, ev.Summary = session.PhaseTCPHandshake, session.KindSYN, "SYN"
	case flow.EvSYNACK:
		ev.Phase, ev.Kind, ev.Summary = session.PhaseTCPHandshake, session.KindSYNACK, "SYN, ACK"
	case flow.EvHandshakeACK:
		s.RTT = c.fc.RTT
		ev.Phase, ev.Kind, ev.Summary = session.PhaseTCPHandshake, session.KindACK, "ACK (handshake complete, RTT "+fmtDuration(c.fc.RTT)+")"
	case flow.EvMidStream:
		if s.TCP.MidStream {
			return
		}
		s.TCP.MidStream = true
		ev.Phase, ev.Kind, ev.Summary = c.phase, session.KindMidStream, "capture starts mid-connection (no handshake seen)"
	case flow.EvRetransmission:
		s.TCP.Retransmissions++
		ev.Phase, ev.Kind, ev.Summary = c.phase, session.KindRetrans, "retransmission of "+bytesText(e.Bytes)
	case flow.EvOutOfOrder:
		s.TCP.OutOfOrder++
		ev.Phase, ev.Kind = c.phase, session.KindRetrans
		ev.Summary = "out-of-order segment, " + strconv.Itoa(e.Bytes) + " bytes (fills a hole; read in sequence order)"
	case flow.EvGap:
		c.flushWaiting(e.Dir)
		s.TCP.Gaps++
		s.TCP.GapBytes += int64(e.Bytes)
		ev.Phase, ev.Kind, ev.Summary = c.phase, session.KindGap, strconv.Itoa(e.Bytes)+" bytes not captured"
		c.gap(d, e.Bytes, e.Pos)
	case flow.EvOverlapConflict:
		// The first per direction is an anomaly and a timeline event;
		// package findings turns it into tcp.overlap_conflict
		// (FINDINGS.md). However the segments were cut, one conflict is
		// one anomaly; all are counted.
		s.TCP.OverlapConflicts++
		if !c.overlapSeen[d] {
			c.overlapSeen[d] = true
			c.anomaly(d, e.Pos, "tcp.overlap_conflict",
				"segment repeats "+strconv.Itoa(e.Bytes)+" bytes of the stream with different content: the receiver may have read either")
		}
		return
	case flow.EvCut:
		c.cut(d, e)
		return
	case flow.EvFIN:
		c.finSeen = true
		c.closedBy(d, "fin")
		ev.Phase, ev.Kind, ev.Summary = session.PhaseTeardown, session.KindFIN, "FIN"
	case flow.EvRST:
		c.finSeen = true
		c.closedBy(d, "rst")
		ev.Phase, ev.Kind, ev.Summary = session.PhaseTeardown, session.KindRST, "RST"
	default:
		return
	}
	c.add(ev)
}

func (c *conn) closedBy(d wire.Dir, how string) {
	if c.s.TCP.ClosedBy != "" {
		return
	}
	who := "client-"
	if d == wire.ServerToClient {
		who = "server-"
	}
	c.s.TCP.ClosedBy = who + how
}

// add appends a timeline event, bounded by MaxEvents.
func (c *conn) add(e session.Event) int {
	if len(c.s.Timeline) >= c.b.opts.MaxEvents {
		c.b.limits[wire.LimitTimeline]++
		return -1
	}
	c.settleBulk() // the run before it ends here
	return c.s.AddEvent(e)
}

// Data implements flow.Consumer. The first bytes of a direction (and the
// first after a 220 to STARTTLS) decide what it speaks; they are held until
// decideBytes arrived, so that the decision does not depend on how the bytes
// were split into segments (prefix.go).
func (c *conn) Data(fd wire.Dir, data []byte, pos wire.Pos) {
	if c.dropped || c.broken {
		return
	}
	defer c.recoverAt(pos)
	if c.b.opts.hook != nil {
		c.b.opts.hook(fd, data)
	}
	c.materialize()
	if c.needsDecision(fd) {
		w := &c.wait[fd]
		need := c.decideNeed(w.buf, data)
		if len(w.buf)+len(data) < need {
			w.hold(data, pos, c.refeed)
			return
		}
		prefix := append(w.buf[:len(w.buf):len(w.buf)], data[:need-len(w.buf)]...)
		if !c.release(fd, prefix, pos) {
			return
		}
	}
	c.route(fd, data, pos)
}

// dirCounts copies the flow's per-direction packet and IP byte counts into
// the session, in the session's client/server sense.
func (c *conn) dirCounts(s *session.Session) {
	cs, sc := c.fc.DirPackets, c.fc.IPBytes
	a, b := wire.ClientToServer, wire.ServerToClient
	if c.flip {
		a, b = b, a
	}
	s.TCP.PacketsC2S, s.TCP.PacketsS2C = cs[a], cs[b]
	s.TCP.IPBytesC2S, s.TCP.IPBytesS2C = sc[a], sc[b]
}

// route hands bytes whose direction is decided to the SMTP or TLS parser.
func (c *conn) route(fd wire.Dir, data []byte, pos wire.Pos) {
	if c.dropped || !c.decided {
		return
	}
	d := c.dir(fd)
	s := c.s
	if !c.refeed {
		if d == wire.ClientToServer {
			s.TCP.BytesC2S += int64(len(data))
		} else {
			s.TCP.BytesS2C += int64(len(data))
		}
	}
	s.NoteFrame(pos.Frame, pos.Time)
	switch c.mode[d] {
	case modeSMTP:
		if p := c.parser(); p != nil {
			p.Feed(d, data, pos)
		}
	case modeTLS:
		c.feedTLS(d, data, pos)
	case modeAfterStartTLS:
		// Plaintext from the server before the client started TLS: the
		// response injection was reported when it was decided; these
		// bytes are not part of either protocol.
	case modeTLSPending:
		c.holdPending(data, pos)
	}
}

// firstMode decides from a direction's first bytes whether it speaks SMTP or
// TLS, by content (transport.go): a ClientHello as the client's first bytes
// is implicit TLS (RFC 8314, Section 3.3) only if the server answers in TLS;
// after a plaintext banner it is TLS sent in clear (the SMTP parser shows
// it so). On 465 a client that neither starts TLS nor greets in SMTP after
// no plaintext banner goes to the TLS parser, which says what it is.
func (c *conn) firstMode(d wire.Dir, data []byte) mode {
	if looksLikeTLS(data) {
		if d == wire.ClientToServer {
			switch c.mode[wire.ServerToClient] {
			case modeUnknown:
				return modeTLSPending
			case modeSMTP:
				return modeSMTP
			}
		}
		c.setImplicit()
		return modeTLS
	}
	if c.s.PortRole == session.RoleSubmissions && d == wire.ClientToServer &&
		c.mode[wire.ServerToClient] != modeSMTP && !looksLikeHello(data) {
		return modeTLS
	}
	return modeSMTP
}

func (c *conn) gap(d wire.Dir, n int, pos wire.Pos) {
	if c.mode[d] == modeTLSPending {
		c.settle(modeTLS) // bytes are missing: waiting would not help
	}
	switch c.mode[d] {
	case modeSMTP:
		if p := c.parser(); p != nil {
			p.Gap(d, n, pos)
		}
	case modeTLS:
		if p := c.tls[d]; p != nil {
			p.Gap(n, pos)
		}
		if c.dec != nil {
			c.dec.Gap(d)
		}
	}
}

// Close implements flow.Consumer.
func (c *conn) Close(pos wire.Pos) {
	if c.dropped {
		return
	}
	if c.broken {
		c.finishBroken(pos)
		return
	}
	defer c.closeGuard(pos)
	c.materialize()
	c.flushWaiting(wire.ClientToServer)
	c.flushWaiting(wire.ServerToClient)
	if c.dropped {
		return
	}
	if c.decided {
		c.settle(modeTLS) // the server never spoke
	}
	if !c.decided {
		c.dropped = true
		c.b.sink.Dropped(c.fc.Stream)
		return
	}
	if c.smtp != nil {
		c.smtp.Close(pos)
		c.b.limits.Add(c.smtp.Limits().Counts())
	}
	c.parserGone = true
	c.msgs = nil // messages never ended (their EvMessage came in Close)
	for _, p := range c.tls {
		if p != nil {
			p.Close(pos)
			if n := p.Stats().HandshakeSkipped; n > 0 {
				c.b.limits[wire.LimitTLSHandshakeSize] += n
			}
		}
	}
	c.smtp, c.tls = nil, [2]*tlsrec.Parser{}
	c.settleBulk()
	s := c.s
	// A finished session is only read from now on: its lists lose the
	// room appending left (up to half of them), which a viewer holding
	// every session would otherwise keep.
	s.Timeline = fitted(s.Timeline)
	s.TLSRecords = fitted(s.TLSRecords)
	s.Commands = fitted(s.Commands)
	s.Replies = fitted(s.Replies)
	s.TCP.Packets = int(c.fc.Packets)
	c.dirCounts(s)
	if c.fc.Last.Frame > s.LastFrame {
		s.LastFrame, s.End = c.fc.Last.Frame, c.fc.Last.Time
	}
	s.Complete = true
	c.finished = true
	c.b.sink.Finished(s)
}

// NopSink is a Sink that ignores everything: embed it and write only the
// methods that matter.
type NopSink struct{}

// Candidate does nothing.
func (NopSink) Candidate(int64) {}

// Started does nothing.
func (NopSink) Started(*session.Session) {}

// Finished does nothing.
func (NopSink) Finished(*session.Session) {}

// Dropped does nothing.
func (NopSink) Dropped(int64) {}
