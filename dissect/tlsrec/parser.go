package tlsrec

import (
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/wire"
	"golang.org/x/crypto/cryptobyte"
)

// headerLen is the size of a record header: type, version, length (RFC 8446,
// Section 5.1; RFC 5246, Section 6.2.1).
const headerLen = 5

// state is where a Parser is in the byte stream.
type state uint8

const (
	// stHeader: reading the 5-byte header of the next record.
	stHeader state = iota
	// stBody: reading the fragment of the current record (need bytes left).
	stBody
	// stScan: after a gap, looking for a plausible record header.
	stScan
	// stIgnore: "not TLS" or closed: bytes are counted and dropped.
	stIgnore
)

// resyncConfirm is how many valid headers in a row must follow a gap before
// the framing is trusted again; until then an invalid header sends the parser
// back to scanning instead of declaring the stream "not TLS".
const resyncConfirm = 2

// Parser frames the TLS records of one direction of a connection. It is not
// safe for concurrent use. Create it with NewParser.
type Parser struct {
	dir   wire.Dir
	opts  Options
	sink  Sink
	state state

	// hdr holds the current header (stHeader) or the scan window (stScan),
	// hdrPos the position of each of its bytes.
	hdr    [headerLen]byte
	hdrPos [headerLen]wire.Pos
	hdrN   int

	// current record
	typ     uint8
	ver     uint16
	length  int
	need    int    // fragment bytes still to come
	frag    []byte // fragment bytes buffered when the record spans Feed calls
	missing int    // fragment bytes lost in gaps
	first   wire.Pos
	last    wire.Pos // position of the last byte received of the current record

	resync int // valid headers still needed to confirm a resynchronisation

	encrypted bool // records of this direction are protected
	// compatCCS is set when this direction sent a ChangeCipherSpec after a
	// ClientHello offering TLS 1.3: it may be the middlebox-compatibility CCS
	// that precedes a second ClientHello (RFC 8446, Appendix D.4).
	compatCCS bool
	// told13 is set by SetEncrypted: TLS 1.3 was selected, so this client
	// sends no plaintext handshake record any more, except a second
	// ClientHello if the "selection" was a HelloRetryRequest.
	told13    bool
	offered13 bool   // this direction sent a ClientHello offering TLS 1.3
	version   uint16 // version selected by a ServerHello of this direction
	broken    bool

	hs       hsReader
	rec      Record
	alertBuf Alert
	out      []Handshake
	stats    Stats
}

// NewParser returns a parser for the direction dir that reports records to sink.
func NewParser(dir wire.Dir, opts Options, sink Sink) *Parser {
	return &Parser{dir: dir, opts: opts.withDefaults(), sink: sink}
}

// Version returns the version selected by a ServerHello seen by this parser
// (so only the server's direction knows it), 0 if none.
func (p *Parser) Version() uint16 { return p.version }

// Broken reports whether the stream was found not to be TLS; the parser then
// ignores the rest of it.
func (p *Parser) Broken() bool { return p.broken }

// Stats returns the parser's counters.
func (p *Parser) Stats() Stats { return p.stats }

// SetEncrypted tells the parser that the records it sees from now on are
// protected: the session builder calls it on the client's parser when the
// server's ServerHello selects TLS 1.3 (RFC 8446, Section 2: everything after
// ServerHello is encrypted). Record.SelectsTLS13 tells when. Should it be
// called after a HelloRetryRequest by mistake, a following plaintext
// ClientHello is still recognised (RFC 8446, Section 4.1.4).
func (p *Parser) SetEncrypted() {
	p.startEncryption()
	p.told13 = true
}

// startEncryption switches to protected records and drops a handshake message
// in progress: its remaining bytes will be encrypted.
func (p *Parser) startEncryption() {
	p.encrypted = true
	p.stats.HandshakeDropped += p.hs.reset()
}

// Feed parses the next bytes of the direction; pos is the frame and time that
// delivered them. data is not retained after Feed returns.
func (p *Parser) Feed(data []byte, pos wire.Pos) {
	p.stats.Bytes += int64(len(data))
	for len(data) > 0 {
		switch p.state {
		case stHeader:
			data = p.readHeader(data, pos)
		case stBody:
			data = p.readBody(data, pos)
		case stScan:
			data = p.scan(data, pos)
		default:
			p.stats.Ignored += int64(len(data))
			return
		}
	}
}

// readHeader consumes header bytes and starts the record once all 5 arrived.
func (p *Parser) readHeader(data []byte, pos wire.Pos) []byte {
	n := copy(p.hdr[p.hdrN:], data)
	for i := p.hdrN; i < p.hdrN+n; i++ {
		p.hdrPos[i] = pos
	}
	p.hdrN += n
	if p.hdrN == headerLen {
		p.startRecord()
	}
	return data[n:]
}

// header is a decoded record header.
type header struct {
	typ    uint8
	ver    uint16
	length int
}

// parseHeader decodes a record header (RFC 8446, Section 5.1).
func parseHeader(b []byte) (header, bool) {
	s := cryptobyte.String(b)
	var h header
	var l uint16
	if !s.ReadUint8(&h.typ) || !s.ReadUint16(&h.ver) || !s.ReadUint16(&l) {
		return h, false
	}
	h.length = int(l)
	return h, true
}

// validType reports the content types this parser frames (RFC 8446,
// Section 5.1; RFC 6520, Section 3 for heartbeat).
func validType(t uint8) bool {
	return t >= TypeChangeCipherSpec && t <= TypeHeartbeat
}

// invalidReason says why a header cannot start a TLS record, "" if it can.
func (p *Parser) invalidReason(h header) string {
	switch {
	case !validType(h.typ):
		return "unknown content type " + itoa(int(h.typ))
	case h.ver>>8 != 3:
		// RFC 8446, Section 5.1 and RFC 5246, Appendix E: every TLS and
		// SSL 3.0 record has major version 3 (SSL 2.0 does not frame this way).
		return "record version " + hex4(h.ver) + " is not 3.x"
	case h.length > p.opts.MaxRecord:
		// RFC 5246, Section 6.2.3 / RFC 8446, Section 5.2: record_overflow.
		return "record length " + itoa(h.length) + " exceeds " + itoa(p.opts.MaxRecord)
	}
	return ""
}

// startRecord validates the header in p.hdr and enters the record's body.
func (p *Parser) startRecord() {
	h, _ := parseHeader(p.hdr[:])
	if reason := p.invalidReason(h); reason != "" {
		if p.resync > 0 {
			// The resynchronisation was a false positive: keep scanning
			// from the second byte of this header.
			p.stats.FalseSync++
			p.state = stScan
			p.dropWindowByte()
			return
		}
		p.notTLS(reason)
		return
	}
	if p.resync > 0 {
		p.resync--
	}
	p.typ, p.ver, p.length, p.need = h.typ, h.ver, h.length, h.length
	p.first, p.last = p.hdrPos[0], p.hdrPos[headerLen-1]
	p.hdrN = 0
	p.missing = 0
	p.frag = p.frag[:0]
	p.state = stBody
	if p.need == 0 {
		p.finish(p.frag, p.last, false)
	}
}

// notTLS reports the one "not TLS" record and ignores the rest of the stream.
func (p *Parser) notTLS(reason string) {
	p.broken = true
	p.state = stIgnore
	p.stats.Ignored += int64(p.hdrN)
	p.stats.HandshakeDropped += p.hs.reset()
	p.rec = Record{
		Pos:      p.hdrPos[p.hdrN-1],
		FirstPos: p.hdrPos[0],
		Dir:      p.dir,
		Summary:  notTLSSummary(p.hdr[:p.hdrN], reason),
	}
	p.hdrN = 0
	p.emit()
}

// readBody consumes fragment bytes of the current record.
func (p *Parser) readBody(data []byte, pos wire.Pos) []byte {
	p.last = pos
	s := cryptobyte.String(data)
	if p.need == p.length && p.missing == 0 && len(data) >= p.need {
		// Fast path: the whole fragment is in data; no copy.
		var frag []byte
		s.ReadBytes(&frag, p.need)
		p.need = 0
		p.finish(frag, pos, false)
		return s
	}
	n := min(p.need, len(data))
	var chunk []byte
	s.ReadBytes(&chunk, n)
	if p.missing == 0 && !(p.opts.SkipAppData && p.typ == TypeApplicationData) {
		p.frag = append(p.frag, chunk...)
	}
	p.need -= n
	if p.need == 0 {
		if p.missing > 0 {
			p.finish(nil, pos, false)
		} else {
			p.finish(p.frag, pos, false)
		}
	}
	return s
}

// Gap tells the parser that n bytes of the direction were not captured; pos
// is where the gap was noticed. Inside a record the framing survives (the
// record is reported with Missing > 0 and its content unread); a gap that
// crosses a record boundary makes the parser scan for the next plausible
// record header (see plausible). Either way a handshake message in progress
// is dropped (counted) and handshake parsing restarts with the next
// handshake record, assuming it starts a message.
func (p *Parser) Gap(n int, pos wire.Pos) {
	if n <= 0 {
		return
	}
	p.stats.Gaps++
	p.stats.GapBytes += int64(n)
	switch p.state {
	case stIgnore:
		return
	case stScan:
		// The window's bytes are no longer adjacent to what follows.
		p.stats.Ignored += int64(p.hdrN)
		p.hdrN = 0
		return
	case stBody:
		if n < p.need {
			p.missing += n
			p.need -= n
			p.stats.HandshakeDropped += p.hs.reset()
			return
		}
		n -= p.need
		p.missing += p.need
		p.need = 0
		p.stats.HandshakeDropped += p.hs.reset()
		p.finish(nil, pos, false)
		if n == 0 {
			// The gap ended exactly at a record boundary: still framed.
			return
		}
	}
	// A gap at or across a record boundary: the next header is somewhere
	// in the bytes that follow.
	p.stats.Ignored += int64(p.hdrN)
	p.hdrN = 0
	p.state = stScan
	p.resync = resyncConfirm
	p.stats.HandshakeDropped += p.hs.reset()
}

// Close ends the stream. A record still incomplete is reported with
// Partial=true and the bytes received; a handshake message still incomplete
// is counted in Stats.HandshakeDropped. pos marks the end of the stream; the
// partial record keeps the position of its last received byte. Later Feed
// calls are ignored (counted).
func (p *Parser) Close(pos wire.Pos) {
	switch p.state {
	case stHeader:
		if p.hdrN > 0 {
			p.partialHeader()
		}
	case stBody:
		frag := p.frag
		if p.missing > 0 {
			frag = nil
		}
		p.finish(frag, p.last, true)
	case stScan:
		p.stats.Ignored += int64(p.hdrN)
		p.hdrN = 0
	}
	p.stats.HandshakeDropped += p.hs.reset()
	p.state = stIgnore
}

// partialHeader reports the 1–4 header bytes left at the end of the stream:
// as "not TLS" when they already cannot start a record, else as a partial
// record with what is known.
func (p *Parser) partialHeader() {
	var h header
	s := cryptobyte.String(p.hdr[:p.hdrN])
	s.ReadUint8(&h.typ)
	hasVer := s.ReadUint16(&h.ver)
	switch {
	case !validType(h.typ):
		p.notTLS("unknown content type " + itoa(int(h.typ)))
		return
	case hasVer && h.ver>>8 != 3:
		p.notTLS("record version " + hex4(h.ver) + " is not 3.x")
		return
	}
	p.rec = Record{
		Pos:      p.hdrPos[p.hdrN-1],
		FirstPos: p.hdrPos[0],
		Dir:      p.dir,
		Type:     h.typ,
		Version:  h.ver,
		Partial:  true,
		Summary:  tlsname.ContentTypeName(h.typ) + " [partial header: " + itoa(p.hdrN) + " of 5 bytes]",
	}
	p.hdrN = 0
	p.emit()
}

// emit hands p.rec to the sink.
func (p *Parser) emit() {
	p.stats.Records++
	p.sink.Record(&p.rec)
}
