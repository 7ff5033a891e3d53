package message

import (
	"encoding/base64"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// coding is a content transfer encoding (RFC 2045, Section 6).
type coding uint8

const (
	codeIdentity coding = iota // 7bit, 8bit, binary (and unknown ones)
	codeBase64                 // RFC 2045, Section 6.8
	codeQP                     // RFC 2045, Section 6.7
)

// leaf decodes, hashes and previews the content of the current leaf part.
// One leaf is reused for every part: only the innermost entity has content.
type leaf struct {
	code    coding
	text    bool // a text/* or message/* part: keep a preview
	charset string
	hashes  partHashes
	size    int64
	encSize int64
	bad     int64
	preview []byte
	max     int
	cut     bool
	out     []byte // decoded bytes waiting for flush
	b64     b64state
	qp      qpState
	// sink (SetPartSink) gets the decoded bytes of part (an index in
	// *parts).
	sink  PartSink
	parts *[]Part
	part  int
}

func (l *leaf) init(max int, hashAsync, noHashes bool) {
	l.hashes.init(hashAsync, noHashes)
	l.max = max
	l.out = make([]byte, 0, 8<<10)
}

// reset prepares the leaf for a part with this transfer encoding, media
// type and charset.
func (l *leaf) reset(enc, mediaType, charset string) {
	switch enc {
	case "base64":
		l.code = codeBase64
	case "quoted-printable":
		l.code = codeQP
	default:
		l.code = codeIdentity
	}
	l.text = strings.HasPrefix(mediaType, "text/") || strings.HasPrefix(mediaType, "message/")
	l.charset = charset
	l.hashes.reset()
	l.size, l.encSize, l.bad, l.cut = 0, 0, 0, false
	l.preview = l.preview[:0]
	l.out = l.out[:0]
	l.b64 = b64state{}
	l.qp = qpState{}
}

// write passes on content bytes (no line ending).
func (l *leaf) write(b []byte) {
	l.encSize += int64(len(b))
	switch l.code {
	case codeBase64:
		l.base64(b)
	case codeQP:
		l.qpWrite(b)
	default:
		l.emit(b)
	}
	// Decoded bytes are hashed in batches (flush when the buffer is full,
	// and at the end of the part): one hash call per 8 KiB, not per line.
}

// lineEnd passes on a line ending that turned out to be content.
func (l *leaf) lineEnd(eol []byte) {
	l.encSize += int64(len(eol))
	switch l.code {
	case codeBase64:
		// RFC 2045, Section 6.8: line breaks are not part of the data.
	case codeQP:
		l.qpLineEnd(eol)
	default:
		l.emit(eol)
	}
}

// emit queues decoded bytes.
func (l *leaf) emit(b []byte) {
	for len(b) > 0 {
		room := cap(l.out) - len(l.out)
		if room == 0 {
			l.flush()
			room = cap(l.out)
		}
		n := min(room, len(b))
		l.out = append(l.out, b[:n]...)
		b = b[n:]
	}
}

func (l *leaf) emitByte(c byte) {
	if len(l.out) == cap(l.out) {
		l.flush()
	}
	l.out = append(l.out, c)
}

// flush hashes, counts and previews the queued decoded bytes.
func (l *leaf) flush() {
	b := l.out
	if len(b) == 0 {
		return
	}
	if l.sink != nil {
		l.sink.Write(&(*l.parts)[l.part], b)
	}
	l.hashes.write(b)
	l.size += int64(len(b))
	if l.text && !l.cut {
		room := l.max - len(l.preview)
		if len(b) > room {
			b = b[:room]
			l.cut = true
		}
		l.preview = append(l.preview, b...)
	}
	l.out = l.out[:0]
}

// finish completes the part's fields.
func (l *leaf) finish(pt *Part, p *Parser) {
	switch l.code {
	case codeBase64:
		l.b64End()
	case codeQP:
		l.qpEnd()
	}
	l.flush()
	pt.Size, pt.EncodedSize, pt.BadBytes = l.size, l.encSize, l.bad
	pt.MD5, pt.SHA1, pt.SHA256 = l.hashes.sums()
	if l.bad > 0 {
		p.problem("part " + pt.Section + ": " + pt.Encoding + " content has bytes it cannot hold")
	}
	if l.text {
		s, err := toUTF8(l.preview, l.charset)
		if err != nil {
			p.problem("part " + pt.Section + ": " + err.Error())
		}
		if l.cut {
			// A character cut by the bound decodes as U+FFFD.
			s = strings.TrimSuffix(s, "\uFFFD")
		}
		pt.Preview = previewText(s)
		pt.PreviewCut = l.cut
		if l.cut {
			p.hit(wireMIMEPreview)
		}
	}
}

// b64state is the incremental base64 decoder: up to three 6-bit values
// waiting for the fourth.
type b64state struct {
	acc uint32
	n   int
	pad bool // '=' seen: the rest of the quantum is padding
}

// b64Value returns a byte's value in the base64 alphabet (RFC 4648,
// Table 1), 0xff outside it.
func b64Value(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26
	case c >= '0' && c <= '9':
		return c - '0' + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return 0xff
}

// base64 decodes a piece of base64 content. RFC 2045, Section 6.8:
// characters outside the alphabet are ignored (counted as BadBytes unless
// white space); "=" ends a quantum early.
func (l *leaf) base64(b []byte) {
	// Fast path: whole quanta of clean base64 (the usual 76-byte lines).
	for l.b64.n == 0 && !l.b64.pad && len(b) >= 4 {
		n := min(len(b), 4<<10) &^ 3
		if cap(l.out)-len(l.out) < n {
			l.flush()
		}
		dst := l.out[len(l.out) : len(l.out)+n/4*3]
		k, err := base64.StdEncoding.Decode(dst, b[:n])
		if err != nil || (n < len(b) && b[n-1] == '=') {
			break // the slow path below handles it from the start
		}
		l.out = l.out[:len(l.out)+k]
		if b[n-1] == '=' {
			b = b[n:]
			break
		}
		b = b[n:]
	}
	for _, c := range b {
		v := b64Value(c)
		if v == 0xff {
			switch c {
			case '=':
				l.b64Quantum()
				l.b64.pad = true
			case ' ', '\t', '\r', '\n':
			default:
				l.bad++
			}
			continue
		}
		if l.b64.pad {
			l.b64.pad = false // a new run after padding
		}
		l.b64.acc = l.b64.acc<<6 | uint32(v)
		l.b64.n++
		if l.b64.n == 4 {
			a := l.b64.acc
			l.emitByte(byte(a >> 16))
			l.emitByte(byte(a >> 8))
			l.emitByte(byte(a))
			l.b64.acc, l.b64.n = 0, 0
		}
	}
}

// b64Quantum emits what a partial quantum holds (before "=" or at the end).
func (l *leaf) b64Quantum() {
	a := l.b64.acc
	switch l.b64.n {
	case 1:
		l.bad++ // six bits cannot make a byte
	case 2:
		l.emitByte(byte(a >> 4))
	case 3:
		l.emitByte(byte(a >> 10))
		l.emitByte(byte(a >> 2))
	}
	l.b64.acc, l.b64.n = 0, 0
}

func (l *leaf) b64End() { l.b64Quantum() }

// qpState is the incremental quoted-printable decoder (RFC 2045,
// Section 6.7).
type qpState struct {
	eq   int      // 0, or 1/2 after "=" and that many hex digits read - 1
	hex  byte     // the first hex digit after "="
	ws   [76]byte // trailing white space not yet known to be content
	wsN  int
	soft bool // "=" then only white space: a soft line break if the line ends
}

// qpWrite decodes a piece of a quoted-printable line.
func (l *leaf) qpWrite(b []byte) {
	q := &l.qp
	for _, c := range b {
		if q.soft {
			if c == ' ' || c == '\t' {
				continue
			}
			// "=" followed by white space and then text: not a soft
			// break; keep the bytes literally (rule 1 broken).
			q.soft = false
			l.bad++
			l.emitByte('=')
		}
		switch q.eq {
		case 1:
			if unhex(c) < 16 {
				q.hex, q.eq = c, 2
				continue
			}
			if c == ' ' || c == '\t' {
				q.eq, q.soft = 0, true
				continue
			}
			q.eq = 0
			l.bad++
			l.emitByte('=')
		case 2:
			q.eq = 0
			if unhex(c) < 16 {
				l.emitByte(unhex(q.hex)<<4 | unhex(c))
				continue
			}
			l.bad++
			l.emitByte('=')
			l.emitByte(q.hex)
		}
		switch c {
		case ' ', '\t':
			// Rule 3: trailing white space is not content; hold it
			// until a non-blank byte shows it was inside the line.
			if q.wsN == len(q.ws) {
				l.emit(q.ws[:q.wsN])
				q.wsN = 0
			}
			q.ws[q.wsN] = c
			q.wsN++
			continue
		case '=':
			l.qpWS()
			q.eq = 1
			continue
		}
		l.qpWS()
		l.emitByte(c)
	}
}

// qpWS emits held white space: more text followed it.
func (l *leaf) qpWS() {
	if l.qp.wsN > 0 {
		l.emit(l.qp.ws[:l.qp.wsN])
		l.qp.wsN = 0
	}
}

// qpLineEnd ends a line: a soft break ("=" at the end) joins it to the
// next; otherwise the line break is content. Trailing white space is
// dropped (RFC 2045, Section 6.7, rule 3).
func (l *leaf) qpLineEnd(eol []byte) {
	q := &l.qp
	q.wsN = 0
	if q.eq == 1 || q.soft {
		q.eq, q.soft = 0, false
		return
	}
	if q.eq == 2 {
		l.bad++
		l.emitByte('=')
		l.emitByte(q.hex)
		q.eq = 0
	}
	l.emit(eol)
}

// qpEnd ends the content: like a line end without a line break.
func (l *leaf) qpEnd() { l.qpLineEnd(nil) }

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return 0xff
}

// previewText sanitizes text line by line, so that line breaks stay line
// breaks ("\n") while every other control byte is shown escaped.
func previewText(s string) string {
	lines := strings.Split(s, "\n")
	for i, ln := range lines {
		lines[i] = sanitize.String(strings.TrimSuffix(ln, "\r"))
	}
	return strings.Join(lines, "\n")
}
