package build

import (
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/flow"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Transport by content, not by port (RFC 8314, Section 3.3: implicit TLS
// starts with the client's ClientHello; RFC 5321, Section 3.1: SMTP starts
// with the server's 220 greeting). The port only says what to expect:
//   - a client's ClientHello waits for the server's first bytes: a TLS
//     record from the server makes the session implicit TLS; a plaintext
//     banner makes it SMTP, and the ClientHello TLS sent in clear (the SMTP
//     parser's record in clear), so that a session is labelled implicit
//     TLS only with a TLS server;
//   - on 465, a plaintext banner and EHLO are SMTP (port.wrong_transport);
//   - on any other port a connection whose client starts with a ClientHello
//     is taken as implicit TLS when the key log holds its client random:
//     then it can be decrypted and its SMTP read (without keys nothing
//     says it is SMTP and not, say, HTTPS).

// helloRandomEnd is the offset after a ClientHello's random in its record
// (RFC 8446, Section 4.1.2): record header 5, handshake header 4, version 2,
// random 32.
const helloRandomEnd = 43

// maxPending bounds the client bytes held while the server has not spoken
// after a ClientHello (a ClientHello is one record, at most 2^14 bytes, RFC
// 8446, Section 5.1); past it the client is taken to speak TLS.
const maxPending = 1<<14 + 5

// decideNeed returns how many first bytes the decision needs: decideBytes,
// or up to the ClientHello's random when an undecided connection starts
// with a handshake record and a key log could claim it.
func (c *conn) decideNeed(held, data []byte) int {
	if c.decided || c.b.opts.Keys == nil || c.b.opts.Keys.Len() == 0 {
		return decideBytes
	}
	first := data
	if len(held) > 0 {
		first = held
	}
	if len(first) > 0 && first[0] == 22 {
		return helloRandomEnd
	}
	return decideBytes
}

// implicitHello reports whether prefix is the start of a ClientHello whose
// client random the key log holds (see decideNeed).
func (c *conn) implicitHello(prefix []byte) bool {
	keys := c.b.opts.Keys
	if keys == nil || len(prefix) < helloRandomEnd || !looksLikeTLS(prefix) || prefix[5] != 1 {
		return false
	}
	var random [32]byte
	copy(random[:], prefix[11:helloRandomEnd])
	_, ok := keys.Lookup(random)
	return ok
}

// setImplicit labels the session implicit TLS (unless STARTTLS did).
func (c *conn) setImplicit() {
	if c.s.TLS.Mode == session.TLSNone {
		c.s.TLS.Mode = session.TLSImplicit
	}
}

// holdPending keeps client bytes while the server has not spoken after the
// client's ClientHello (modeTLSPending); they were counted already.
func (c *conn) holdPending(data []byte, pos wire.Pos) {
	if c.pend == nil {
		c.pend = &waiting{}
	}
	if len(c.pend.buf)+len(data) > maxPending {
		c.settle(modeTLS)
		c.route(c.flowDir(wire.ClientToServer), data, pos)
		return
	}
	c.pend.buf = append(c.pend.buf, data...)
	c.pend.chunks = append(c.pend.chunks, heldChunk{n: len(data), pos: pos, refeed: true})
}

// settle decides a pending client (modeTLSPending) by the server's mode
// and routes its held bytes, before the server's own.
func (c *conn) settle(server mode) {
	if c.mode[wire.ClientToServer] != modeTLSPending {
		return
	}
	if server == modeTLS {
		c.mode[wire.ClientToServer] = modeTLS
		c.setImplicit()
	} else {
		c.mode[wire.ClientToServer] = modeSMTP
	}
	p := c.pend
	c.pend = nil
	if p == nil {
		return
	}
	refeed, off := c.refeed, 0
	for _, ch := range p.chunks {
		c.refeed = ch.refeed
		c.route(c.flowDir(wire.ClientToServer), p.buf[off:off+ch.n], ch.pos)
		off += ch.n
	}
	c.refeed = refeed
}

// cut reports payload bytes the capture's snap length cut (flow.EvCut), as
// a capture gap: the SMTP parser resynchronises after them, the session
// counts them (TCP.Gaps, GapBytes: finding capture.gap) and one anomaly
// per direction, "605 bytes not captured: snaplen 54", adds up the rest.
func (c *conn) cut(d wire.Dir, e flow.Event) {
	s := c.s
	s.TCP.Gaps++
	s.TCP.GapBytes += int64(e.Bytes)
	c.gap(d, e.Bytes, e.Pos)
	if c.cutIdx == nil {
		c.cutIdx = &[2]cutNote{{anomaly: -1}, {anomaly: -1}}
	}
	n := &c.cutIdx[d]
	n.bytes += int64(e.Bytes)
	n.segs++
	sum := strconv.FormatInt(n.bytes, 10) + " bytes not captured: snaplen " + strconv.Itoa(e.Snap)
	if n.segs > 1 {
		sum += " (" + strconv.Itoa(n.segs) + " segments cut)"
	}
	if n.segs > 1 {
		if n.anomaly >= 0 && n.anomaly < len(s.Anomalies) {
			s.Anomalies[n.anomaly].Summary = sum
		}
		if n.event >= 0 && n.event < len(s.Timeline) {
			s.Timeline[n.event].Summary = sum
		}
		return
	}
	if len(s.Anomalies) < maxAnomalies {
		n.anomaly = len(s.Anomalies)
		s.Anomalies = append(s.Anomalies, session.Anomaly{Frame: e.Pos.Frame, Dir: d, Code: "capture.snaplen", Summary: sum})
	}
	ph := c.phase
	if ph == session.PhaseTCPHandshake {
		ph = session.PhaseGreeting // payload comes after the handshake
	}
	n.event = c.add(session.Event{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: d, Phase: ph, Kind: session.KindGap, Summary: sum, Ref: -1})
}

// cutNote is where one direction's snap-length anomaly and timeline event
// are, and what they add up.
type cutNote struct {
	anomaly, event int
	bytes          int64
	segs           int
}
