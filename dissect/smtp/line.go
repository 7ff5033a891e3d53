package smtp

import "bytes"

// lineBuf frames one direction's bytes into lines ending at LF
// (RFC 5321, Section 2.3.8: lines end with CRLF; a bare LF also ends a line
// here, as it does for most servers, and is flagged).
type lineBuf struct {
	buf     []byte
	discard bool // dropping bytes up to the next LF (overlong line)
	// probe is set after a gap: the next line may start anywhere in a
	// line. probed tells the caller that the line just returned is that
	// line, to be kept only if it looks like the start of one.
	probe, probed bool
}

// take consumes data up to and including the next LF. When a line is
// complete it returns it (with its line ending; it may alias buf or data and
// is valid until the next call). A line whose content exceeds max bytes is
// returned cut to max bytes with cut set; the bytes up to its LF are then
// discarded. Splitting data differently never changes the lines returned.
func (l *lineBuf) take(data []byte, max int) (n int, line []byte, complete, cut bool) {
	if len(l.buf) > 0 && l.buf[len(l.buf)-1] == '\n' {
		l.buf = l.buf[:0] // the previous call returned buf as a line
	}
	l.probed = false
	i := bytes.IndexByte(data, '\n')
	if l.discard {
		if i < 0 {
			return len(data), nil, false, false
		}
		l.discard = false
		return i + 1, nil, false, false
	}
	room := max - len(l.buf)
	if (i < 0 && len(data) > room) || i > room {
		// The content would exceed max bytes: cut the line at max.
		l.buf = append(l.buf, data[:room]...)
		line = append(l.buf, '\n') // marks buf as returned
		l.buf = line
		l.discard = true
		l.returned()
		return room, line[:len(line)-1], true, true
	}
	if i < 0 {
		l.buf = append(l.buf, data...)
		return len(data), nil, false, false
	}
	l.returned()
	if len(l.buf) == 0 {
		return i + 1, data[:i+1], true, false
	}
	l.buf = append(l.buf, data[:i+1]...)
	return i + 1, l.buf, true, false
}

// returned notes that take returns a line: the first after a gap is probed,
// whether it was cut or not and however its bytes were split (issue 12,
// defect 4: the mark used to need the LF in the same chunk).
func (l *lineBuf) returned() {
	if l.probe {
		l.probe, l.probed = false, true
	}
}

// reset drops a partial line and resynchronises at the next LF when
// resync is set.
func (l *lineBuf) reset(resync bool) {
	l.buf = l.buf[:0]
	l.discard = resync
}

// resyncAfterGap drops a partial line after n bytes went missing. The next
// complete line is returned with probed set: the bytes after a gap may
// start a line (a gap ending at a segment boundary usually does), and the
// caller keeps that line only if it looks like one (a command verb, a
// reply code), else drops it as the rest of an unknown line.
func (l *lineBuf) resyncAfterGap() {
	l.buf = l.buf[:0]
	l.discard = false
	l.probe = true
}

// pending returns the bytes of the partial line.
func (l *lineBuf) pending() []byte {
	if len(l.buf) > 0 && l.buf[len(l.buf)-1] == '\n' {
		return nil
	}
	return l.buf
}

// trimEOL removes the line ending and reports whether it was CRLF.
func trimEOL(line []byte) (content []byte, crlf bool) {
	n := len(line)
	if n == 0 || line[n-1] != '\n' {
		return line, false
	}
	if n >= 2 && line[n-2] == '\r' {
		return line[:n-2], true
	}
	return line[:n-1], false
}
