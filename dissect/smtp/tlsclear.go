package smtp

import (
	"bytes"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// A TLS record on the SMTP channel of a server that did not agree to TLS
// (STARTTLS refused or never sent; openssl s_client -starttls sends its
// ClientHello whatever the reply): the server reads its bytes as SMTP lines
// and answers each complete line (Postfix: "500 5.5.2 Error: bad syntax").
// It is decided by content, in command state whatever came before: a
// handshake record header (RFC 8446, Section 5.1: type 22, version 3.x,
// a length no larger than 2^14) at the start of a line. No command line
// starts with byte 0x16 (RFC 5321, Section 4.1.1: verbs are letters).

// TLSInClear is a TLS record the client sent in clear (EvTLSInClear).
type TLSInClear struct {
	// Seq numbers the in-clear records of the connection from 1; the
	// replies that answer it carry it in Reply.Record.
	Seq int
	// Record is the record as sent, header and fragment; only valid during
	// the Sink call.
	Record []byte
	// Lines counts the LFs inside the record: the SMTP lines the server
	// read to their end, each of which gets a reply.
	Lines int
	// Partial is true when the connection ended (or bytes were lost)
	// before the record's last byte.
	Partial bool
}

// maxClearRecord is the largest record length taken for TLS in clear
// (RFC 8446, Section 5.1: a plaintext record is at most 2^14 bytes).
const maxClearRecord = 1 << 14

// startsTLSRecord reports whether client bytes at the start of a line may
// begin a handshake record (its first byte).
func startsTLSRecord(b []byte) bool { return len(b) > 0 && b[0] == tlsHandshake }

// clearRecordLen returns the record length of a handshake record header
// (5 bytes), or -1 when the header is not plausible.
func clearRecordLen(h []byte) int {
	if len(h) < 5 || h[0] != tlsHandshake || h[1] != 3 || h[2] > 4 {
		return -1
	}
	n := int(h[3])<<8 | int(h[4])
	if n < 4 || n > maxClearRecord { // a handshake message header is 4 bytes
		return -1
	}
	return n
}

// feedClearRecord collects a record sent in clear (state cClearRec) and
// returns how many bytes of data it consumed.
func (c *Conn) feedClearRecord(data []byte, pos wire.Pos) int {
	used := 0
	if c.clearRec.need == 0 {
		n := min(5-len(c.clearRec.buf), len(data))
		c.clearRec.buf = append(c.clearRec.buf, data[:n]...)
		used = n
		if len(c.clearRec.buf) < 5 {
			return used
		}
		l := clearRecordLen(c.clearRec.buf)
		if l < 0 {
			// Not a record: the bytes are a line like any other.
			buf := append([]byte(nil), c.clearRec.buf...)
			c.clearRec.buf, c.cst, c.clearRec.noRec = c.clearRec.buf[:0], cCmd, true
			c.feedClient(buf, pos)
			c.curPos = pos
			return used
		}
		c.clearRec.need = 5 + l
	}
	n := min(c.clearRec.need-len(c.clearRec.buf), len(data)-used)
	c.clearRec.buf = append(c.clearRec.buf, data[used:used+n]...)
	used += n
	if len(c.clearRec.buf) == c.clearRec.need {
		c.endClearRecord(pos, false)
	}
	return used
}

// endClearRecord reports the collected record and queues what the server
// will answer: one reply per line it read to its end. Bytes after the
// record's last LF start a line the server completes with the client's next
// bytes (clearTail).
func (c *Conn) endClearRecord(pos wire.Pos, partial bool) {
	c.cst = cCmd
	c.clearRec.seq++
	rec := c.clearRec.buf
	lines := bytes.Count(rec, []byte{'\n'})
	e := c.event(EvTLSInClear, wire.ClientToServer, pos)
	e.TLSInClear = TLSInClear{Seq: c.clearRec.seq, Record: rec, Lines: lines, Partial: partial}
	c.sink.Event(e)
	c.clearRec.buf, c.clearRec.need = c.clearRec.buf[:0], 0
	if lines > 0 {
		c.push(entry{kind: eTLSClear, index: -1, lines: lines, rec: c.clearRec.seq, t: pos.Time, rcpt: -1}, true)
	}
	c.clearRec.tail = !partial && len(rec) > 0 && rec[len(rec)-1] != '\n'
}

// clearTailLine consumes client bytes that end the line a record in clear
// left open at the server, up to and including its LF; the server answers
// that line too, as part of the record's lines.
func (c *Conn) clearTailLine(data []byte, pos wire.Pos) int {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		c.clearRec.tailBytes += len(data)
		return len(data)
	}
	c.clearRec.tailBytes += i + 1
	c.anomaly(wire.ClientToServer, pos, AnoTLSTail, itoa(c.clearRec.tailBytes)+
		" bytes after the TLS record sent in clear ended its last line: the server read them with it as one line", int64(c.clearRec.tailBytes))
	c.clearRec.tail, c.clearRec.tailBytes = false, 0
	c.push(entry{kind: eTLSClear, index: -1, lines: 1, rec: c.clearRec.seq, t: pos.Time, rcpt: -1}, true)
	return i + 1
}

// clearReply pairs a reply with the record in clear at the head of the
// queue and reports whether it did. A reply below 400 cannot answer a line
// of binary junk: the server answered fewer lines than the record held, and
// the reply belongs to the next command.
func (c *Conn) clearReply(r *Reply) bool {
	for c.queued() > 0 && c.head().kind == eTLSClear {
		h := c.head()
		if r.Code < 400 && c.queued() > 1 {
			c.pop()
			continue
		}
		r.Record = h.rec
		if h.lines--; h.lines <= 0 {
			c.pop()
		}
		return true
	}
	return false
}
