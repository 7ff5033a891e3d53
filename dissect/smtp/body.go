package smtp

import "bytes"

// pieceCap is the longest body line kept whole; longer lines are scanned in
// pieces of this size (holding back two bytes so that "\r.\r" and a CR at a
// piece's end are judged with the bytes that follow).
const pieceCap = 4096

// crDotCR is the "\r.\r" smuggling sequence.
const crDotCR = "\r.\r"

// bodyScanner follows a DATA body (RFC 5321, Section 4.1.1.4) and the
// content of BDAT chunks: it counts and keeps the message bytes, removes
// dot-stuffing and finds the end of data and the smuggling evidence.
//
// Complete lines are scanned in place with bytes.IndexByte; only a partial
// line at the end of a Feed is copied (at most pieceCap bytes).
type bodyScanner struct {
	lineStart bool // the next byte begins a line
	prevCRLF  bool // the previous line ended with CRLF (true at the start)
	buf       []byte
	size      int64
	smuggle   Smuggling
	keep      []byte
	keepMax   int
	truncated bool
	// keepBody keeps bytes past the header section too; by default only
	// the header section (up to the first empty line, RFC 5322,
	// Section 2.1) is kept, as that is all the message summary needs.
	keepBody    bool
	headersDone bool
	// cand is the first end-of-data look-alike ("\n.\n", "\n.\r\n",
	// "\r\n.\n"), 0 if none; candSize is the message size before it and
	// tail the raw bytes after it (up to maxTail; tailCut counts the rest):
	// what a server that ended the message there read as commands.
	cand     Smuggling
	candSize int64
	tail     []byte
	tailCut  int64
	// out receives every message byte as it is found (EvBody).
	out func(b []byte)
}

// maxTail bounds the raw bytes kept after an end-of-data look-alike to
// re-read them as the commands a server ran (smuggling by outcome).
const maxTail = 64 << 10

// toTail keeps raw bytes after the end-of-data look-alike.
func (s *bodyScanner) toTail(b []byte) {
	if s.cand == 0 {
		return
	}
	room := maxTail - len(s.tail)
	if len(b) > room {
		s.tailCut += int64(len(b) - room)
		b = b[:room]
	}
	s.tail = append(s.tail, b...)
}

// reset prepares the scanner for a new message, reusing its buffers.
func (s *bodyScanner) reset(keepMax int) {
	s.lineStart, s.prevCRLF = true, true
	s.buf = s.buf[:0]
	s.size, s.smuggle, s.truncated = 0, 0, false
	s.keep = s.keep[:0]
	s.keepMax = keepMax
	s.headersDone = false
	s.cand, s.candSize, s.tail, s.tailCut = 0, 0, nil, 0
}

// feed scans DATA body bytes. It returns the number of bytes consumed and
// whether the end of data (the line "." after a CRLF, RFC 5321,
// Section 4.1.1.4) was consumed; bytes after it are not consumed.
func (s *bodyScanner) feed(data []byte) (consumed int, done bool) {
	for len(data) > 0 {
		if len(s.buf) == 0 && s.headersDone && s.lineStart && s.prevCRLF && s.cand == 0 {
			// Past the header section, lines matter only for what they
			// end with and start with: a run of plain lines is counted
			// and handed on at once.
			if n := plainLines(data); n > 0 {
				s.emit(data[:n])
				data, consumed = data[n:], consumed+n
				continue
			}
		}
		i := bytes.IndexByte(data, '\n')
		if len(s.buf) > 0 {
			room := pieceCap - len(s.buf)
			if i >= 0 && i < room {
				s.buf = append(s.buf, data[:i+1]...)
				data, consumed = data[i+1:], consumed+i+1
				done = s.line(s.buf)
				s.buf = s.buf[:0]
				if done {
					return consumed, true
				}
				continue
			}
			take := min(room, len(data))
			s.buf = append(s.buf, data[:take]...)
			data, consumed = data[take:], consumed+take
			if len(s.buf) == pieceCap {
				s.piece()
			}
			continue
		}
		if i < 0 {
			take := min(pieceCap, len(data))
			if cap(s.buf) < pieceCap {
				s.buf = make([]byte, 0, pieceCap)
			}
			s.buf = append(s.buf, data[:take]...)
			data, consumed = data[take:], consumed+take
			if len(s.buf) == pieceCap {
				s.piece()
			}
			continue
		}
		line := data[:i+1]
		data, consumed = data[i+1:], consumed+i+1
		if s.line(line) {
			return consumed, true
		}
	}
	return consumed, false
}

// plainLines returns the length of the run of complete lines at the start
// of data that need nothing but counting: each ends with CRLF, none starts
// with a dot (the end of data, a look-alike or dot-stuffing: RFC 5321,
// Section 4.5.2) and none holds a bare CR or LF (Section 2.3.8). Those
// lines go through line, one by one.
//
// Lines of one length (base64, quoted-printable) are common: the next line
// is first guessed to be as long as the last, which costs two byte
// compares; counting the run's CRs and LFs at once then proves every guess
// (a run with one LF and one CR per line has no other), and a wrong guess
// is redone by searching.
func plainLines(data []byte) int {
	if n, lines := plainRun(data, true); n == 0 || bytes.Count(data[:n], []byte{'\n'}) == lines {
		return cutAtBareCR(data, n, lines)
	}
	n, lines := plainRun(data, false)
	return cutAtBareCR(data, n, lines)
}

// plainRun is plainLines' first step: the run of CRLF lines not starting
// with a dot, and how many lines it has. With guess, a line as long as the
// one before is taken when it ends in CRLF, without looking inside it.
func plainRun(data []byte, guess bool) (end, lines int) {
	step := 0
	for end < len(data) && data[end] != '.' {
		i := step - 1
		if !guess || step == 0 || end+step > len(data) || data[end+i] != '\n' {
			if i = bytes.IndexByte(data[end:], '\n'); i < 0 {
				break
			}
		}
		if i < 1 || data[end+i-1] != '\r' {
			break
		}
		step = i + 1
		end += step
		lines++
	}
	return end, lines
}

// cutAtBareCR returns n, or less when data[:n] (lines CRLF lines) holds a
// CR that is not before an LF: then the run ends at the start of its line.
func cutAtBareCR(data []byte, n, lines int) int {
	if n == 0 || bytes.Count(data[:n], []byte{'\r'}) == lines {
		return n
	}
	for k := 0; ; {
		j := bytes.IndexByte(data[k:n], '\r')
		if data[k+j+1] != '\n' {
			return bytes.LastIndexByte(data[:k+j], '\n') + 1
		}
		k += j + 1
	}
}

// line scans one complete line (raw, ending with LF) and reports whether it
// ended the data.
func (s *bodyScanner) line(raw []byte) (end bool) {
	n := len(raw)
	crlf := n >= 2 && raw[n-2] == '\r'
	content := raw[:n-1]
	if crlf {
		content = raw[:n-2]
	}
	if s.lineStart && len(content) == 1 && content[0] == '.' {
		kind := SmuggleLFDotLF
		switch {
		case crlf && s.prevCRLF:
			// RFC 5321, Section 4.1.1.4: "<CRLF>.<CRLF>" ends the data.
			s.toTail(raw)
			return true
		case crlf:
			// RFC 5321, Section 2.3.8 allows CRLF only; "\n.\r\n" ends
			// the data for some servers (CVE-2023-51764).
			kind = SmuggleLFDotCRLF
		}
		s.smuggle |= kind
		if s.cand == 0 {
			// The first look-alike is where a lenient server ends the
			// message; the rest is what it reads as commands.
			s.cand, s.candSize = kind, s.size
		} else {
			s.toTail(raw)
		}
	} else {
		s.toTail(raw)
	}
	if !crlf {
		s.smuggle |= SmuggleBareLF // RFC 5321, Section 2.3.8
	}
	// A complete line has no LF inside, so every CR in its content is bare.
	if bytes.IndexByte(content, '\r') >= 0 {
		s.smuggle |= SmuggleBareCR
		if bytes.Contains(raw, []byte(crDotCR)) {
			s.smuggle |= SmuggleCRDotCR
		}
	}
	if s.lineStart && raw[0] == '.' {
		raw = raw[1:] // RFC 5321, Section 4.5.2: remove the stuffed dot
	}
	s.emit(raw)
	if len(content) == 0 {
		s.headersDone = true // RFC 5322, Section 2.1: an empty line ends the header section
	}
	s.lineStart, s.prevCRLF = true, crlf
	return false
}

// piece scans a full buffer (pieceCap bytes, no LF) of an overlong line,
// keeping its last two bytes for the next piece.
func (s *bodyScanner) piece() {
	raw := s.buf
	// A CR before the last byte is followed by a byte that is not LF.
	if bytes.IndexByte(raw[:len(raw)-1], '\r') >= 0 {
		s.smuggle |= SmuggleBareCR
		if bytes.Contains(raw, []byte(crDotCR)) {
			s.smuggle |= SmuggleCRDotCR
		}
	}
	out := raw[:len(raw)-2]
	s.toTail(out)
	if s.lineStart && out[0] == '.' {
		out = out[1:] // RFC 5321, Section 4.5.2
	}
	s.emit(out)
	s.buf = append(s.buf[:0], raw[len(raw)-2:]...)
	s.lineStart = false
}

// emit counts and keeps message bytes.
func (s *bodyScanner) emit(b []byte) {
	s.size += int64(len(b))
	if s.out != nil && len(b) > 0 {
		s.out(b)
	}
	if s.headersDone && !s.keepBody {
		return
	}
	room := s.keepMax - len(s.keep)
	if len(b) > room {
		b = b[:max(room, 0)]
		s.truncated = true
	}
	if len(b) == 0 {
		return
	}
	if need := len(s.keep) + len(b); need > cap(s.keep) {
		// Grow geometrically from 4 KiB, never beyond keepMax.
		n := min(max(2*cap(s.keep), need, 4<<10), s.keepMax)
		grown := make([]byte, len(s.keep), n)
		copy(grown, s.keep)
		s.keep = grown
	}
	s.keep = append(s.keep, b...)
}

// gap notes that n body bytes were not captured: the partial line is
// dropped (its bytes still count) and the next line is not at a known line
// start.
func (s *bodyScanner) gap() {
	s.flush()
	s.lineStart, s.prevCRLF = false, false
}

// flush scans what is left of a partial line when the message ends without
// its terminator (connection closed, capture cut).
func (s *bodyScanner) flush() {
	if len(s.buf) > 0 {
		if bytes.IndexByte(s.buf[:len(s.buf)-1], '\r') >= 0 {
			s.smuggle |= SmuggleBareCR
		}
		out := s.buf
		s.toTail(out)
		if s.lineStart && out[0] == '.' {
			out = out[1:]
		}
		s.emit(out)
		s.buf = s.buf[:0]
	}
}
