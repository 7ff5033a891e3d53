package tlsrec

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// finish reports the current record: frag is its fragment (nil when bytes
// were lost), pos the position of its last byte.
func (p *Parser) finish(frag []byte, pos wire.Pos, partial bool) {
	p.rec = Record{
		Pos:      pos,
		FirstPos: p.first,
		Dir:      p.dir,
		Type:     p.typ,
		Version:  p.ver,
		Length:   p.length,
		Fragment: frag,
		Partial:  partial,
		Missing:  p.missing,
	}
	p.out = p.out[:0]
	pendingEncrypt := false
	switch {
	case p.missing > 0:
		// Content lost in a gap: framed, not read.
		p.rec.Encrypted = p.encrypted || p.typ == TypeApplicationData
		p.rec.Summary = tlsname.ContentTypeName(p.typ)
	case p.typ == TypeApplicationData:
		// RFC 8446, Section 5.2 / RFC 5246, Section 6.2.3: always protected
		// (and TLS 1.3 hides every content type behind 23).
		p.rec.Encrypted = true
		p.rec.Summary = tlsname.ContentTypeName(TypeApplicationData)
	case p.typ == TypeChangeCipherSpec:
		pendingEncrypt = p.changeCipherSpec(frag)
	case p.typ == TypeAlert:
		p.alert(frag)
	case p.typ == TypeHandshake:
		pendingEncrypt = p.handshake(frag)
	case p.typ == TypeHeartbeat:
		p.heartbeat(frag)
	}
	if p.missing > 0 {
		p.rec.Summary += " [" + itoa(p.missing) + " of " + itoa(p.length) + " bytes missing]"
	}
	if partial {
		p.rec.Summary += " [partial: " + itoa(len(frag)) + " of " + itoa(p.length) + " bytes]"
	}
	if len(p.out) > 0 {
		p.rec.Handshake = p.out
	}
	p.state = stHeader
	p.missing = 0
	p.emit()
	if pendingEncrypt {
		p.startEncryption()
	}
}

// changeCipherSpec decodes a CCS record and reports whether the records that
// follow in this direction are protected.
func (p *Parser) changeCipherSpec(frag []byte) bool {
	r := &p.rec
	if p.encrypted && p.length != 1 {
		// A CCS sent under the current cipher (TLS ≤ 1.2 renegotiation).
		r.Encrypted = true
		r.Summary = "Encrypted " + tlsname.ContentTypeName(TypeChangeCipherSpec)
		return false
	}
	r.Summary = tlsname.ContentTypeName(TypeChangeCipherSpec)
	s := cryptobyte.String(frag)
	var v uint8
	if !s.ReadUint8(&v) || v != 1 || !s.Empty() {
		// RFC 5246, Section 7.1: a single byte of value 1.
		r.Summary += " (malformed: " + strconv.QuoteToASCII(string(frag)) + ")"
	}
	switch {
	case p.encrypted || len(frag) == 0:
		return false
	case p.version == VersionTLS13:
		// RFC 8446, Appendix D.4: the server's middlebox-compatibility CCS
		// (after ServerHello or HelloRetryRequest) changes nothing.
		return false
	case p.offered13:
		// Either TLS ≤ 1.2 was selected (RFC 5246, Section 7.1: protected
		// from now on) or this is the client's compatibility CCS, which may
		// precede a second, plaintext ClientHello after a HelloRetryRequest
		// (RFC 8446, Appendix D.4). See handshake.
		p.compatCCS = true
		return true
	}
	// RFC 5246, Section 7.1: records after this one use the new cipher spec.
	return true
}

// alert decodes an alert record.
func (p *Parser) alert(frag []byte) {
	r := &p.rec
	if p.encrypted && p.length != 2 {
		// Heuristic: a protected alert always carries a MAC or an AEAD tag
		// (RFC 5246, Section 6.2.3; RFC 8446, Section 5.2), so only a 2-byte
		// alert record can be plaintext once encryption started.
		r.Encrypted = true
		r.Summary = "Encrypted Alert"
		return
	}
	s := cryptobyte.String(frag)
	var a Alert
	if !s.ReadUint8(&a.Level) || !s.ReadUint8(&a.Description) {
		r.Summary = "Alert (truncated)"
		return
	}
	p.alertBuf = a
	r.Alert = &p.alertBuf
	r.Summary = "Alert: " + a.String()
	if !s.Empty() {
		// RFC 5246, Section 6.2.1 allows several alerts per record; rare.
		r.Summary += " (+" + itoa(len(s)) + " more bytes)"
	}
}

// heartbeat decodes a heartbeat record (RFC 6520, Section 4).
func (p *Parser) heartbeat(frag []byte) {
	r := &p.rec
	if p.encrypted {
		r.Encrypted = true
		r.Summary = "Encrypted Heartbeat"
		return
	}
	s := cryptobyte.String(frag)
	var typ uint8
	var plen uint16
	if !s.ReadUint8(&typ) || !s.ReadUint16(&plen) {
		r.Summary = "Heartbeat (truncated)"
		return
	}
	kind := "Heartbeat type " + itoa(int(typ))
	switch typ {
	case 1:
		kind = "Heartbeat request"
	case 2:
		kind = "Heartbeat response"
	}
	r.Summary = kind + " (payload_length " + itoa(int(plen)) + ")"
	// RFC 6520, Section 4: type(1) + payload_length(2) + payload + padding(>= 16).
	if int(plen)+3+16 > p.length {
		r.Summary += " exceeds the record: over-read attempt (CVE-2014-0160, Heartbleed)"
	}
}

// handshake decodes the handshake messages of a plaintext record (or marks
// it encrypted) and reports whether encryption starts after this record.
func (p *Parser) handshake(frag []byte) bool {
	r := &p.rec
	if p.encrypted {
		compat := p.compatCCS
		p.compatCCS = false
		// Three cases: the protected Finished after a TLS <= 1.2 CCS; the
		// compatibility CCS of TLS 1.3 followed by protected records; and
		// that CCS followed by the second ClientHello after a
		// HelloRetryRequest, which is still plaintext.
		secondHello := (compat || p.told13) && looksLikeClientHello(frag)
		if !secondHello {
			// RFC 5246, Section 7.4.9: the Finished after CCS is protected.
			r.Encrypted = true
			r.Summary = "Encrypted Handshake Message"
			return false
		}
		// RFC 8446, Appendix D.4: the CCS was the compatibility one and
		// this is the second ClientHello after a HelloRetryRequest.
		p.encrypted = false
	}
	return p.readHandshake(frag)
}

// looksLikeClientHello reports whether a fragment starts with a ClientHello
// header whose length fills the record exactly, or overflows a full-size
// record. A protected Finished passes this by chance with probability ≈ 2^-32.
func looksLikeClientHello(frag []byte) bool {
	s := cryptobyte.String(frag)
	var typ uint8
	var n uint32
	if !s.ReadUint8(&typ) || typ != HandshakeClientHello || !s.ReadUint24(&n) {
		return false
	}
	return int(n) == len(s) || (int(n) > len(s) && len(frag) == 1<<14)
}

// notTLSSummary is the summary of the "not TLS" record.
func notTLSSummary(hdr []byte, reason string) string {
	return sanitize.String("not TLS: " + reason + " (record header " + strconv.QuoteToASCII(string(hdr)) + ")")
}

func itoa(n int) string { return strconv.Itoa(n) }

// hex4 spells v as 0xNNNN.
func hex4(v uint16) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{'0', 'x', digits[v>>12], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf]})
}
