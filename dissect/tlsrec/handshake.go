package tlsrec

import (
	"strings"

	"golang.org/x/crypto/cryptobyte"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
)

// hsHeaderLen is the size of a handshake message header: msg_type and a
// 24-bit length (RFC 8446, Section 4; RFC 5246, Section 7.4).
const hsHeaderLen = 4

// maxCerts bounds the certificates decoded from one Certificate message; the
// rest are counted in the message's Err.
const maxCerts = 32

// keepHandshakeBuf is the largest message buffer kept for reuse.
const keepHandshakeBuf = 16 << 10

// hsReader joins handshake messages across records (RFC 8446, Section 5.1;
// RFC 5246, Section 6.2.1: a message may span records and a record may hold
// several messages).
type hsReader struct {
	hdr  [hsHeaderLen]byte
	hdrN int // header bytes read; hsHeaderLen while reading the body
	typ  uint8
	size int    // body length announced in the header
	need int    // body bytes still to come
	buf  []byte // body bytes so far, when the message spans records
	skip int    // bytes still to skip of a message over the limit
}

// reset drops a message in progress and returns 1 if there was one.
func (h *hsReader) reset() int64 {
	busy := h.hdrN > 0
	h.hdrN, h.need, h.skip = 0, 0, 0
	h.buf = h.buf[:0]
	if busy {
		return 1
	}
	return 0
}

// readHandshake feeds a plaintext handshake fragment to the message reader,
// decodes the messages that complete, and writes the record's summary. It
// reports whether encryption starts after this record.
func (p *Parser) readHandshake(frag []byte) bool {
	h := &p.hs
	var notes []string
	encrypt := false
	s := cryptobyte.String(frag)
	for {
		switch {
		case h.skip > 0:
			if s.Empty() {
				notes = append(notes, tlsname.HandshakeName(h.typ)+" (skipping, "+itoa(h.skip)+" bytes left)")
				return p.handshakeSummary(notes, encrypt)
			}
			n := min(h.skip, len(s))
			s.Skip(n)
			h.skip -= n
		case h.hdrN < hsHeaderLen:
			if s.Empty() {
				if h.hdrN > 0 {
					notes = append(notes, "partial message header")
				}
				return p.handshakeSummary(notes, encrypt)
			}
			var b []byte
			s.ReadBytes(&b, min(hsHeaderLen-h.hdrN, len(s)))
			h.hdrN += copy(h.hdr[h.hdrN:], b)
			if h.hdrN == hsHeaderLen {
				if note := p.startMessage(); note != "" {
					notes = append(notes, note)
				}
			}
		case h.need > 0 && s.Empty():
			notes = append(notes, tlsname.HandshakeName(h.typ)+" (partial, "+itoa(h.size-h.need)+" of "+itoa(h.size)+" bytes)")
			return p.handshakeSummary(notes, encrypt)
		default:
			if len(h.buf) == 0 && len(s) >= h.need {
				// The whole body is in this fragment: no copy.
				var body []byte
				s.ReadBytes(&body, h.need)
				h.need = 0
				encrypt = p.completeMessage(body, &notes) || encrypt
				continue
			}
			var chunk []byte
			s.ReadBytes(&chunk, min(h.need, len(s)))
			h.buf = append(h.buf, chunk...)
			h.need -= len(chunk)
			if h.need == 0 {
				encrypt = p.completeMessage(h.buf, &notes) || encrypt
			}
		}
	}
}

// completeMessage decodes a complete message body, lists it in the record
// and resets the reader for the next message.
func (p *Parser) completeMessage(body []byte, notes *[]string) bool {
	h := &p.hs
	m, encrypt := p.decodeHandshake(h.typ, body)
	p.out = append(p.out, m)
	*notes = append(*notes, describe(&m))
	h.hdrN = 0
	h.buf = h.buf[:0]
	if cap(h.buf) > keepHandshakeBuf {
		// Certificate chains are rare and big: do not keep their buffer.
		h.buf = nil
	}
	return encrypt
}

// startMessage decodes the message header in h.hdr. A message longer than
// the limit is skipped by count (never allocated): the returned note says so.
func (p *Parser) startMessage() string {
	h := &p.hs
	s := cryptobyte.String(h.hdr[:])
	var n uint32
	s.ReadUint8(&h.typ)
	s.ReadUint24(&n)
	h.size = int(n)
	limit := p.opts.MaxHandshake
	if h.typ == HandshakeCertificate {
		limit = max(limit, p.opts.MaxCertChain)
	}
	if h.size > limit {
		p.stats.HandshakeSkipped++
		h.skip = h.size
		h.hdrN = 0
		return tlsname.HandshakeName(h.typ) + " claims " + itoa(h.size) + " bytes, over the limit of " + itoa(limit) + ": skipped"
	}
	h.need = h.size
	h.buf = h.buf[:0]
	return ""
}

// decodeHandshake decodes one complete message and reports whether
// encryption starts after the record that completed it.
func (p *Parser) decodeHandshake(typ uint8, body []byte) (Handshake, bool) {
	m := Handshake{Type: typ, Length: len(body)}
	encrypt := false
	var err error
	switch typ {
	case HandshakeClientHello:
		m.ClientHello, err = parseClientHello(body)
		if m.ClientHello != nil && contains(m.ClientHello.SupportedVersions, VersionTLS13) {
			p.offered13 = true
		}
	case HandshakeServerHello:
		m.ServerHello, err = parseServerHello(body)
		if sh := m.ServerHello; sh != nil {
			p.version = sh.SelectedVersion
			// RFC 8446, Section 2: everything after a (non-retry) TLS 1.3
			// ServerHello is encrypted; RFC 8446, Section 4.1.4: a
			// HelloRetryRequest is followed by a plaintext ServerHello.
			encrypt = sh.SelectedVersion == VersionTLS13 && !sh.HelloRetryRequest
		}
	case HandshakeCertificate:
		if p.version != VersionTLS13 {
			// RFC 5246, Section 7.4.2 layout; TLS 1.3 certificates are
			// encrypted (RFC 8446, Section 4.4.2).
			m.Certificates, err = parseCertificates(body, p.opts.Certs)
		}
	case HandshakeServerKeyExchange:
		m.NamedCurve = namedCurve(body)
	}
	if err != nil {
		m.Err = sanitize.String(err.Error())
	}
	return m, encrypt
}

// handshakeSummary writes the summary of a plaintext handshake record.
func (p *Parser) handshakeSummary(notes []string, encrypt bool) bool {
	if len(notes) == 0 {
		p.rec.Summary = "Handshake"
	} else {
		p.rec.Summary = sanitize.String("Handshake: " + strings.Join(notes, ", "))
	}
	return encrypt
}

// describe is the summary of one message.
func describe(m *Handshake) string {
	name := tlsname.HandshakeName(m.Type)
	var parts []string
	switch {
	case m.ClientHello != nil:
		ch := m.ClientHello
		if ch.SNI != "" {
			parts = append(parts, "SNI "+ch.SNI)
		}
		if len(ch.ALPN) > 0 {
			parts = append(parts, "ALPN "+strings.Join(ch.ALPN, ","))
		}
	case m.ServerHello != nil:
		sh := m.ServerHello
		if sh.HelloRetryRequest {
			name = "HelloRetryRequest"
		}
		parts = append(parts, tlsname.VersionName(sh.SelectedVersion), tlsname.CipherSuiteName(sh.CipherSuite))
		if sh.ALPN != "" {
			parts = append(parts, "ALPN "+sh.ALPN)
		}
		if sh.DowngradeSentinel != "" {
			parts = append(parts, "downgrade sentinel "+sh.DowngradeSentinel)
		}
	case len(m.Certificates) > 0:
		c := m.Certificates[0]
		leaf := c.Subject
		if c.Err != "" {
			leaf = "unparsable"
		}
		parts = append(parts, itoa(len(m.Certificates))+" cert(s), leaf "+leaf)
	}
	if m.Err != "" {
		parts = append(parts, "malformed: "+m.Err)
	}
	if len(parts) == 0 {
		return name
	}
	return name + " (" + strings.Join(parts, ", ") + ")"
}

// contains reports whether v is in list.
func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// namedCurve returns the named curve of an ECDHE ServerKeyExchange: RFC
// 8422, Section 5.4, ServerECDHParams starts with ECCurveType curve_type
// (named_curve = 3), NamedCurve namedcurve and a non-empty point. Other key
// exchanges (DHE's dh_p<1..2^16-1>, RFC 5246, Section 7.4.3) would need a
// p of 768 bytes or more to read alike.
func namedCurve(body []byte) uint16 {
	s := cryptobyte.String(body)
	var typ uint8
	var curve uint16
	var point cryptobyte.String
	if !s.ReadUint8(&typ) || typ != 3 || !s.ReadUint16(&curve) ||
		!s.ReadUint8LengthPrefixed(&point) || len(point) == 0 {
		return 0
	}
	return curve
}
