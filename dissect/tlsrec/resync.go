package tlsrec

import "github.com/smtpscope/smtpscope/dissect/wire"

// plausible reports whether b (5 bytes) looks like a record header found
// while resynchronising after a gap. The heuristic is stricter than framing:
//   - content type 20–23 (RFC 8446, Section 5.1; heartbeat is not expected),
//   - version 0x0300–0x0304 (every TLS record, RFC 8446 Appendix D; 1.3
//     uses 0x0303 on the wire),
//   - length 1..MaxRecord (zero-length records are rare), and exactly 1 for
//     ChangeCipherSpec (RFC 5246, Section 7.1: a single byte of value 1).
//
// In random ciphertext a given offset passes with probability about
// 4/256 · 1/256 · 5/256 · 73/256 ≈ 3.4e-7 (for the default MaxRecord), so a
// false match within one 16 KiB record is possible (≈ 0.5 %). To limit the
// damage, resyncConfirm valid headers must follow before the framing is
// trusted again: an invalid header in between sends the parser back to
// scanning (counted in Stats.FalseSync), never to "not TLS". A false match
// can still produce one bogus record before the next real header.
func (p *Parser) plausible(b []byte) bool {
	h, ok := parseHeader(b)
	return ok &&
		h.typ >= TypeChangeCipherSpec && h.typ <= TypeApplicationData &&
		h.ver >= VersionSSL30 && h.ver <= VersionTLS13 &&
		h.length > 0 && h.length <= p.opts.MaxRecord &&
		(h.typ != TypeChangeCipherSpec || h.length == 1)
}

// scan looks for a plausible record header after a gap. Candidate offsets are
// tried in stream order, first those starting in the window (bytes kept from
// earlier calls), then those in data, so the result does not depend on how
// the bytes were split. Bytes passed over are counted in Stats.Ignored.
func (p *Parser) scan(data []byte, pos wire.Pos) []byte {
	for p.hdrN > 0 {
		need := headerLen - p.hdrN
		if len(data) < need {
			p.fillWindow(data, pos)
			return nil
		}
		var cand [headerLen]byte
		copy(cand[:], p.hdr[:p.hdrN])
		copy(cand[p.hdrN:], data[:need])
		if p.plausible(cand[:]) {
			p.fillWindow(data[:need], pos)
			p.resynced()
			return data[need:]
		}
		p.dropWindowByte()
	}
	for i := 0; i+headerLen <= len(data); i++ {
		if p.plausible(data[i : i+headerLen]) {
			p.stats.Ignored += int64(i)
			p.fillWindow(data[i:i+headerLen], pos)
			p.resynced()
			return data[i+headerLen:]
		}
	}
	keep := min(len(data), headerLen-1)
	p.stats.Ignored += int64(len(data) - keep)
	p.fillWindow(data[len(data)-keep:], pos)
	return nil
}

// fillWindow appends b (at most headerLen-hdrN bytes) to the window.
func (p *Parser) fillWindow(b []byte, pos wire.Pos) {
	n := copy(p.hdr[p.hdrN:], b)
	for i := p.hdrN; i < p.hdrN+n; i++ {
		p.hdrPos[i] = pos
	}
	p.hdrN += n
}

// dropWindowByte discards the first byte of the window.
func (p *Parser) dropWindowByte() {
	copy(p.hdr[:], p.hdr[1:p.hdrN])
	copy(p.hdrPos[:], p.hdrPos[1:p.hdrN])
	p.hdrN--
	p.stats.Ignored++
}

// resynced starts the record whose header is the (full) window.
func (p *Parser) resynced() {
	p.stats.Resyncs++
	p.resync = resyncConfirm
	p.startRecord()
}
