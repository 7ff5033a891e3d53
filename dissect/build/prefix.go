package build

import (
	"github.com/smtpscope/smtpscope/dissect/session"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// decideBytes is how many first bytes of a direction the decisions look
// at: "EHLO " is five (detect.go); a TLS record header needs three.
const decideBytes = 5

// waiting holds the first bytes of one direction (copies, fewer than
// decideBytes) and the frames they came in, until they can decide.
type waiting struct {
	buf    []byte
	chunks []heldChunk
}

type heldChunk struct {
	n      int
	pos    wire.Pos
	refeed bool // handed back by the SMTP parser: counted already
}

func (w *waiting) hold(data []byte, pos wire.Pos, refeed bool) {
	w.buf = append(w.buf, data...)
	w.chunks = append(w.chunks, heldChunk{n: len(data), pos: pos, refeed: refeed})
}

// needsDecision reports whether the next bytes of flow direction fd must
// first decide something: whether the connection is SMTP at all, whether a
// direction speaks SMTP or TLS, whether TLS follows a 220 to STARTTLS.
func (c *conn) needsDecision(fd wire.Dir) bool {
	if !c.decided {
		return true
	}
	m := c.mode[c.dir(fd)]
	return m == modeUnknown || m == modeAfterStartTLS
}

// release decides with prefix (the held bytes and the first of the next
// ones), then routes the held bytes. It reports false when the connection
// turned out not to be SMTP.
func (c *conn) release(fd wire.Dir, prefix []byte, pos wire.Pos) bool {
	w := &c.wait[fd]
	if len(w.chunks) > 0 {
		pos = w.chunks[0].pos
	}
	if !c.resolve(fd, prefix, pos) {
		w.buf, w.chunks = nil, nil
		return false
	}
	buf, chunks := w.buf, w.chunks
	w.buf, w.chunks = nil, nil
	off := 0
	refeed := c.refeed
	for _, ch := range chunks {
		c.refeed = ch.refeed
		c.route(fd, buf[off:off+ch.n], ch.pos)
		off += ch.n
	}
	c.refeed = refeed
	return true
}

// flushWaiting decides with whatever was held (the connection ended, or
// bytes went missing) and routes it.
func (c *conn) flushWaiting(fd wire.Dir) {
	w := &c.wait[fd]
	if len(w.chunks) == 0 || c.dropped {
		return
	}
	prefix := append([]byte(nil), w.buf...)
	c.release(fd, prefix, w.chunks[0].pos)
}

// resolve makes the decisions the first bytes of fd are for.
func (c *conn) resolve(fd wire.Dir, prefix []byte, pos wire.Pos) bool {
	if !c.decided {
		switch {
		case looksLikeBanner(prefix) && !(c.fc.SYNSeen && fd == wire.ClientToServer):
			c.decide(fd == wire.ClientToServer) // the banner's sender is the server
		case looksLikeHello(prefix) && !(c.fc.SYNSeen && fd == wire.ServerToClient):
			c.decide(fd == wire.ServerToClient)
		case c.implicitHello(prefix) && !(c.fc.SYNSeen && fd == wire.ServerToClient):
			c.decide(fd == wire.ServerToClient) // transport.go
		default:
			c.dropped, c.held = true, nil
			c.b.sink.Dropped(c.fc.Stream)
			return false
		}
	}
	d := c.dir(fd)
	switch c.mode[d] {
	case modeUnknown:
		c.mode[d] = c.firstMode(d, prefix)
		if d == wire.ServerToClient {
			c.settle(c.mode[d])
		}
	case modeAfterStartTLS:
		c.decideAfterStartTLS(d, prefix, pos)
	}
	return true
}

// decideAfterStartTLS reads the first bytes of a direction after a 220
// answered STARTTLS (RFC 3207, Section 4): a TLS record goes on as TLS.
// Plaintext from the server before the client started TLS is response
// injection (CVE-2021-38371 class); plaintext from the client breaks RFC
// 3207, Section 4 ("MUST start the TLS negotiation"), as does a server that
// answers a ClientHello in plaintext: both are then read as SMTP (a proxy
// that decrypts in place, or a client that ignored the 220).
func (c *conn) decideAfterStartTLS(d wire.Dir, prefix []byte, pos wire.Pos) {
	if looksLikeTLS(prefix) || (d == wire.ServerToClient && looksLikeRecord(prefix)) {
		c.mode[d] = modeTLS
		return
	}
	if d == wire.ServerToClient && c.mode[wire.ClientToServer] == modeAfterStartTLS {
		if !c.injected {
			c.injected = true
			c.anomaly(d, pos, "starttls.response_injection",
				"server sent plaintext after the 220 to STARTTLS, before the client started TLS: "+quotePrefix(prefix))
		}
		return // stays undecided: these bytes are dropped, the next ones decide again
	}
	who := "client"
	if d == wire.ServerToClient {
		who = "server"
	}
	c.anomaly(d, pos, "starttls.no_tls_after_220", who+" sent no TLS record after the 220 to STARTTLS: "+quotePrefix(prefix))
	if c.mode[wire.ClientToServer] == modeTLS {
		c.mode[d] = modeSMTP // the client's TLS goes on; the server speaks SMTP
	} else {
		c.mode = [2]mode{modeSMTP, modeSMTP}
	}
	if c.s.TLS.Mode == session.TLSStartTLS && len(c.s.TLSRecords) == 0 {
		c.s.TLS.Mode = session.TLSNone
	}
	if c.smtp != nil {
		c.smtp.Resume()
	}
}

// flowDir converts a session direction back to flow's.
func (c *conn) flowDir(d wire.Dir) wire.Dir {
	if c.flip {
		return d.Reverse()
	}
	return d
}

// bytesText says "1 byte" or "N bytes".
func bytesText(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.Itoa(n) + " bytes"
}
