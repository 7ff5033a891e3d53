package message

import (
	"bytes"
	"strconv"
)

// Why not mime/multipart: multipart.Reader is pull-based (it reads from an
// io.Reader), so using it on bytes pushed to us packet by packet would need
// a goroutine and a pipe per message (losing the single-threaded, split-
// independent design of every smtpscope parser) or the whole message in
// memory. Header fields and media types are still parsed by the standard
// library (mime.ParseMediaType, mime.WordDecoder, net/mail); only the
// boundary scan below is our own: a line-at-a-time push scanner.

// state is what the bytes of an entity are, at the current position.
type state uint8

const (
	// stHeader: the entity's header section (RFC 5322, Section 2.1).
	stHeader state = iota
	// stBody: a leaf entity's content, decoded and hashed.
	stBody
	// stPreamble: a multipart's bytes before its first delimiter
	// (RFC 2046, Section 5.1.1: to be ignored).
	stPreamble
	// stParts: a multipart between delimiters; the bytes belong to the
	// child on top of the stack.
	stParts
	// stEpilogue: after a multipart's close delimiter (ignored).
	stEpilogue
	// stEncap: a message/rfc822 entity whose child (the encapsulated
	// message) is on top of the stack.
	stEncap
	// stSkip: a part past Options.MaxParts: ignored up to its delimiter.
	stSkip
)

// entity is one open MIME entity on the parser's stack.
type entity struct {
	part     int // index in Message.Parts, -1 when not recorded
	state    state
	depth    int
	children int
	digest   bool   // multipart/digest: children default to message/rfc822
	boundary []byte // "--" + boundary, for a multipart
	section  string
}

// Parser builds a Message from its bytes, pushed with Write in any split.
// It is not safe for concurrent use.
type Parser struct {
	opts  Options
	msg   Message
	stack []entity
	// line holds a partial line between Writes (at most maxLine bytes);
	// midLine says the bytes being read continue a line whose start was
	// already passed on (an overlong line, or after a gap).
	line    []byte
	midLine bool
	// eol is the line ending of the previous body line, held back until
	// the next line shows it is not followed by a delimiter: the CRLF
	// before a delimiter belongs to the delimiter (RFC 2046,
	// Section 5.1.1).
	eol  [2]byte
	eolN int
	hdr  header
	leaf leaf
	done bool
}

// New returns a Parser for one message.
func New(opts Options) *Parser {
	p := &Parser{opts: opts.withDefaults()}
	p.leaf.init(p.opts.MaxPreview, p.opts.HashAsync, p.opts.NoHashes)
	p.open(-1, 0, "", false)
	return p
}

// PartSink receives the decoded content of the leaf parts as it streams
// (for export): Start when a part's header has been read, Write with its
// decoded bytes (valid only during the call), End once its sizes and
// hashes are final.
type PartSink interface {
	Start(p *Part)
	Write(p *Part, b []byte)
	End(p *Part)
}

// SetPartSink makes the parser report decoded content to s. Call it before
// the first Write.
func (p *Parser) SetPartSink(s PartSink) { p.leaf.sink, p.leaf.parts = s, &p.msg.Parts }

// Write passes on the next bytes of the message. It never fails.
func (p *Parser) Write(b []byte) (int, error) {
	n := len(b)
	if p.done {
		return n, nil
	}
	p.msg.Size += int64(n)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if len(p.line) == 0 && i >= 0 {
			p.onLine(b[:i+1])
			b = b[i+1:]
			continue
		}
		if i >= 0 && len(p.line)+i+1 <= maxLine {
			p.line = append(p.line, b[:i+1]...)
			b = b[i+1:]
			p.onLine(p.line)
			p.line = p.line[:0]
			continue
		}
		take := min(maxLine-len(p.line), len(b))
		if i >= 0 {
			take = min(take, i+1)
		}
		if cap(p.line) < maxLine {
			p.line = make([]byte, 0, maxLine)
		}
		p.line = append(p.line, b[:take]...)
		b = b[take:]
		if len(p.line) == maxLine {
			// An overlong line: pass it on without its last byte (a CR
			// that may start the line's CRLF).
			p.content(p.line[:maxLine-1], nil, false)
			p.midLine = true
			p.line[0] = p.line[maxLine-1]
			p.line = p.line[:1]
		}
	}
	return n, nil
}

// Gap reports that n bytes of the message were not captured: the line
// being read is lost and the part it belonged to is incomplete.
func (p *Parser) Gap(n int64) {
	if p.done || n <= 0 {
		return
	}
	p.msg.GapBytes += n
	if len(p.line) > 0 {
		// The partial line was captured; what follows the gap is not its
		// continuation as far as we know.
		p.content(p.line, nil, false)
		p.line = p.line[:0]
	}
	p.flushEOL()
	p.midLine = true
	if top := p.top(); top.part >= 0 {
		p.msg.Parts[top.part].Incomplete = true
	}
	p.problem("bytes not captured: " + strconv.FormatInt(n, 10))
}

// Close ends the message and returns what it carries. Entities still open
// (no close delimiter) are finished and marked Incomplete where a boundary
// was missing. Close may be called once; later Writes are ignored.
func (p *Parser) Close() *Message {
	if p.done {
		return &p.msg
	}
	if len(p.line) > 0 {
		content, eol := splitEOL(p.line)
		// A BDAT message may end with the close delimiter and no CRLF
		// (RFC 3030 chunks need not end in one): it is still a delimiter.
		if k, closing := p.delimiterAtEnd(content); k >= 0 {
			p.eolN = 0
			p.onDelimiter(k, closing)
		} else {
			p.content(content, eol, len(eol) > 0)
		}
		p.line = p.line[:0]
	}
	// The message's last line ending is content (no delimiter follows).
	p.flushEOL()
	for len(p.stack) > 0 {
		e := p.top()
		if e.state == stPreamble || e.state == stParts {
			p.problem("multipart " + section(e) + " has no close delimiter")
			if e.part >= 0 {
				p.msg.Parts[e.part].Incomplete = true
			}
		}
		p.finish()
	}
	p.done = true
	return &p.msg
}

func (p *Parser) top() *entity { return &p.stack[len(p.stack)-1] }

// problem notes what did not follow the RFCs (bounded).
func (p *Parser) problem(s string) {
	if len(p.msg.Problems) < maxProblems {
		p.msg.Problems = append(p.msg.Problems, s)
	}
}

// splitEOL splits a line into its content and its line ending.
func splitEOL(raw []byte) (content, eol []byte) {
	n := len(raw)
	switch {
	case n >= 2 && raw[n-2] == '\r' && raw[n-1] == '\n':
		return raw[:n-2], raw[n-2:]
	case n >= 1 && raw[n-1] == '\n':
		return raw[:n-1], raw[n-1:]
	}
	return raw, nil
}

// onLine handles one line ending in LF.
func (p *Parser) onLine(raw []byte) {
	content, eol := splitEOL(raw)
	if !p.midLine && len(content) >= 2 && content[0] == '-' && content[1] == '-' {
		if k, closing := p.delimiter(content); k >= 0 {
			p.eolN = 0 // the CRLF before a delimiter is part of it
			p.onDelimiter(k, closing)
			p.midLine = false
			return
		}
	}
	p.midLine = false
	p.content(content, eol, true)
}

// delimiterAtEnd is delimiter for the message's last, unterminated line.
func (p *Parser) delimiterAtEnd(content []byte) (int, bool) {
	if p.midLine || len(content) < 2 || content[0] != '-' || content[1] != '-' {
		return -1, false
	}
	return p.delimiter(content)
}

// delimiter returns the stack index of the multipart whose boundary the
// line is, innermost first (an enclosing boundary also ends the inner
// parts, RFC 2046, Section 5.1.2), and whether it is the close delimiter.
// Linear white space after the boundary is transport padding (RFC 2046,
// Section 5.1.1).
func (p *Parser) delimiter(line []byte) (int, bool) {
	line = bytes.TrimRight(line, " \t")
	for k := len(p.stack) - 1; k >= 0; k-- {
		e := &p.stack[k]
		if e.boundary == nil || e.state == stEpilogue {
			continue
		}
		rest, ok := bytes.CutPrefix(line, e.boundary)
		if !ok {
			continue
		}
		switch {
		case len(rest) == 0:
			return k, false
		case len(rest) == 2 && rest[0] == '-' && rest[1] == '-':
			return k, true
		}
	}
	return -1, false
}

// onDelimiter ends the entities inside multipart k and starts its next
// child, or its epilogue after the close delimiter.
func (p *Parser) onDelimiter(k int, closing bool) {
	for len(p.stack)-1 > k {
		e := p.top()
		if e.state == stPreamble || e.state == stParts {
			p.problem("multipart " + section(e) + " ended by an enclosing boundary")
			if e.part >= 0 {
				p.msg.Parts[e.part].Incomplete = true
			}
		}
		p.finish()
	}
	mp := p.top()
	if closing {
		mp.state = stEpilogue
		return
	}
	mp.state = stParts
	mp.children++
	sec := strconv.Itoa(mp.children)
	if mp.section != "" {
		sec = mp.section + "." + sec
	}
	p.open(mp.part, mp.depth+1, sec, mp.digest)
}

// open pushes a new entity in its header section.
func (p *Parser) open(parent, depth int, section string, digest bool) {
	e := entity{part: -1, state: stHeader, depth: depth, section: section, digest: digest}
	if len(p.msg.Parts) >= p.opts.MaxParts {
		p.hit(wireMIMEParts)
		e.state = stSkip
	} else {
		e.part = len(p.msg.Parts)
		p.msg.Parts = append(p.msg.Parts, Part{Index: e.part, Parent: parent, Depth: depth, Section: section})
	}
	p.stack = append(p.stack, e)
	p.hdr.reset()
}

// finish pops the top entity, completing its part.
func (p *Parser) finish() {
	e := p.top()
	switch e.state {
	case stHeader:
		// The header section never ended (no empty line): what was read
		// is still the entity's header.
		p.endHeader()
		e = p.top()
		if e.state == stBody {
			p.finishLeaf(e)
		}
	case stBody:
		p.finishLeaf(e)
	}
	p.stack = p.stack[:len(p.stack)-1]
}

func (p *Parser) finishLeaf(e *entity) {
	if e.part >= 0 {
		p.leaf.finish(&p.msg.Parts[e.part], p)
		if p.leaf.sink != nil {
			p.leaf.sink.End(&p.msg.Parts[e.part])
		}
	}
}

// content handles the bytes of one line (or a piece of an overlong one),
// without its line ending eol; complete says the line ended here.
func (p *Parser) content(b, eol []byte, complete bool) {
	e := p.top()
	switch e.state {
	case stHeader:
		if complete && len(b) == 0 && !p.hdr.midLine {
			// RFC 5322, Section 2.1: an empty line ends the header.
			p.endHeader()
			return
		}
		if p.hdr.add(b, complete, p.opts.MaxHeaderBytes) {
			p.hit(wireMIMEHeaderBytes)
		}
	case stBody:
		p.flushEOL()
		if e.part >= 0 {
			p.leaf.write(b)
		}
		if len(eol) > 0 {
			p.eolN = copy(p.eol[:], eol)
		}
	default:
		// Preamble, epilogue, skipped parts: ignored (RFC 2046, 5.1.1).
	}
}

// flushEOL passes the held line ending on to the leaf: a line followed it,
// so it was content.
func (p *Parser) flushEOL() {
	if p.eolN == 0 {
		return
	}
	if e := p.top(); e.state == stBody && e.part >= 0 {
		p.leaf.lineEnd(p.eol[:p.eolN])
	}
	p.eolN = 0
}
