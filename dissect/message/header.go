package message

import (
	"bytes"
	"mime"
	"net/mail"
	"net/netip"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// The limits this package counts.
const (
	wireMIMEDepth       = wire.LimitMIMEDepth
	wireMIMEParts       = wire.LimitMIMEParts
	wireMIMEHeaderBytes = wire.LimitMIMEHeaderBytes
	wireMIMEPreview     = wire.LimitMIMEPreview
)

// header collects the raw bytes of one header section, bounded.
type header struct {
	raw     []byte
	cut     bool // bytes were dropped (counted once per section)
	midLine bool // the last add was a piece of an overlong line
}

func (h *header) reset() { h.raw, h.cut, h.midLine = h.raw[:0], false, false }

// add appends a line (or a piece of one) and reports whether this call was
// the first to hit max.
func (h *header) add(b []byte, complete bool, max int) (firstCut bool) {
	h.midLine = !complete
	if h.cut {
		return false
	}
	need := len(b)
	if complete {
		need++
	}
	if len(h.raw)+need > max {
		h.cut = true
		return true
	}
	h.raw = append(h.raw, b...)
	if complete {
		h.raw = append(h.raw, '\n')
	}
	return false
}

// fields splits a header section into unfolded fields (RFC 5322,
// Section 2.2: "name:" body; a line starting with WSP continues the
// previous field, Section 2.2.3). Lines that are neither are reported.
func (h *header) fields(max int, bad func(string)) (out []rawField, cut bool) {
	raw := h.raw
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(out) > 0 {
				// RFC 5322, Section 2.2.3: unfolding removes the CRLF only.
				f := &out[len(out)-1]
				if len(f.value) < maxValue {
					f.value = append(f.value, line...)
				}
			}
			continue
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 || !validName(bytes.TrimRight(line[:c], " \t")) {
			bad("header line without a field name: " + quote(line))
			continue
		}
		if len(out) >= max {
			cut = true
			continue
		}
		out = append(out, rawField{name: string(bytes.TrimRight(line[:c], " \t")), value: append([]byte(nil), line[c+1:]...)})
	}
	return out, cut
}

// rawField is a field before decoding.
type rawField struct {
	name  string
	value []byte
}

// validName: printable US-ASCII except colon (RFC 5322, Section 2.2).
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

func quote(b []byte) string {
	if len(b) > 60 {
		b = b[:60]
	}
	return "\"" + sanitize.Bytes(b) + "\""
}

// unfold returns v without its CR and LF bytes (RFC 5322, Section 2.2.3),
// in one copy (a strings.Replacer built per value cost more than the
// whole header section).
func unfold(v []byte) string {
	if bytes.IndexByte(v, '\r') < 0 && bytes.IndexByte(v, '\n') < 0 {
		return string(v)
	}
	out := make([]byte, 0, len(v))
	for _, c := range v {
		if c != '\r' && c != '\n' {
			out = append(out, c)
		}
	}
	return string(out)
}

// decode unfolds, trims, RFC 2047-decodes (RFC 2047, Section 6: unknown
// charsets leave the word as it was) and sanitizes one value.
func decode(v []byte) string {
	s := strings.TrimSpace(unfold(v))
	if len(s) > maxValue {
		s = s[:maxValue]
	}
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder().DecodeHeader(s); err == nil {
			s = d
		}
	}
	return sanitize.String(s)
}

// rawDecode is decode without sanitizing (for file names made safe by
// SafeFilename, never shown).
func rawDecode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxValue {
		s = s[:maxValue]
	}
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder().DecodeHeader(s); err == nil {
			s = d
		}
	}
	return s
}

// endHeader parses the header section of the top entity and decides what
// its body is.
func (p *Parser) endHeader() {
	e := p.top()
	if e.state != stHeader {
		return
	}
	fields, cut := p.hdr.fields(p.opts.MaxFields, p.problem)
	if cut && !p.hdr.cut {
		p.hit(wireMIMEHeaderBytes)
	}
	if e.part < 0 {
		e.state = stSkip
		return
	}
	pt := &p.msg.Parts[e.part]
	top := e.part == 0
	var ctype, cdisp, cte []byte
	for _, f := range fields {
		switch {
		case strings.EqualFold(f.name, "Content-Type"):
			ctype = f.value
		case strings.EqualFold(f.name, "Content-Disposition"):
			cdisp = f.value
		case strings.EqualFold(f.name, "Content-Transfer-Encoding"):
			cte = f.value
		case strings.EqualFold(f.name, "Content-ID"):
			pt.ContentID = decode(f.value)
		case strings.EqualFold(f.name, "Content-Description"):
			pt.Description = decode(f.value)
		}
		if top {
			p.named(f)
		}
	}
	// RFC 2045, Section 5.2: the default is text/plain; us-ascii, and
	// RFC 2046, Section 5.1.5: message/rfc822 inside multipart/digest.
	mt, params := "text/plain", map[string]string{}
	if e.digest {
		mt = "message/rfc822"
	}
	if ctype != nil {
		m, ps, err := mime.ParseMediaType(strings.TrimSpace(string(ctype)))
		switch {
		case err == nil || err == mime.ErrInvalidMediaParameter:
			mt, params = m, ps
		default:
			p.problem("part " + section(e) + ": Content-Type " + quote(ctype) + ": " + err.Error())
		}
	}
	pt.ContentType = sanitize.String(mt)
	pt.Charset = sanitize.String(strings.ToLower(params["charset"]))
	pt.Encoding = "7bit"
	if cte != nil {
		pt.Encoding = sanitize.String(strings.ToLower(strings.TrimSpace(string(cte))))
	}
	name := params["name"]
	if cdisp != nil {
		d, ps, err := mime.ParseMediaType(strings.TrimSpace(string(cdisp)))
		if err == nil || err == mime.ErrInvalidMediaParameter {
			pt.Disposition = sanitize.String(d)
			if f := ps["filename"]; f != "" {
				name = f
			}
		} else {
			p.problem("part " + section(e) + ": Content-Disposition " + quote(cdisp) + ": " + err.Error())
		}
	}
	if name != "" {
		// Many mailers put RFC 2047 words in quoted filenames, which
		// RFC 2047, Section 5 forbids; decode them as mail clients do.
		pt.RawFilename = rawDecode(name)
		pt.Filename = sanitize.String(pt.RawFilename)
	}
	b := params["boundary"]
	switch {
	case strings.HasPrefix(mt, "multipart/") && b != "":
		if e.depth >= p.opts.MaxDepth {
			p.hit(wireMIMEDepth)
			break
		}
		pt.Multipart = true
		e.state = stPreamble
		e.boundary = append([]byte("--"), b...)
		e.digest = mt == "multipart/digest"
		return
	case strings.HasPrefix(mt, "multipart/"):
		p.problem("part " + section(e) + ": multipart without a boundary")
	case (mt == "message/rfc822" || mt == "message/global") && identity(pt.Encoding):
		if e.depth >= p.opts.MaxDepth {
			p.hit(wireMIMEDepth)
			break
		}
		// RFC 2046, Section 5.2.1: the body is a whole message.
		pt.Multipart = true
		e.state = stEncap
		sec := "1"
		if e.section != "" {
			sec = e.section + ".1"
		}
		p.open(e.part, e.depth+1, sec, false)
		return
	}
	e.state = stBody
	p.leaf.reset(pt.Encoding, mt, pt.Charset)
	p.leaf.part = e.part
	if p.leaf.sink != nil {
		p.leaf.sink.Start(pt)
	}
}

// identity reports whether a transfer encoding leaves bytes as they are.
func identity(enc string) bool {
	switch enc {
	case "", "7bit", "8bit", "binary":
		return true
	}
	return false
}

func section(e *entity) string {
	if e.section == "" {
		return "(message)"
	}
	return e.section
}

// named extracts the fields of the message's own header section.
func (p *Parser) named(f rawField) {
	m := &p.msg
	if len(m.Headers) < p.opts.MaxFields {
		m.Headers = append(m.Headers, Field{Name: sanitize.String(f.name), Value: decode(f.value)})
	}
	first := func(dst *string) {
		if *dst == "" {
			*dst = decode(f.value)
		}
	}
	switch strings.ToLower(f.name) {
	case "from":
		first(&m.From)
	case "sender":
		first(&m.Sender)
	case "reply-to":
		first(&m.ReplyTo)
	case "subject":
		first(&m.Subject)
	case "date":
		first(&m.Date)
	case "message-id":
		first(&m.MessageID)
	case "in-reply-to":
		first(&m.InReplyTo)
	case "references":
		first(&m.References)
	case "to":
		m.To = append(m.To, addresses(f.value)...)
	case "cc":
		m.Cc = append(m.Cc, addresses(f.value)...)
	case "bcc":
		m.Bcc = append(m.Bcc, addresses(f.value)...)
	case "received":
		v := decode(f.value)
		m.Received = append(m.Received, v)
		if ip := lastIP(v); ip != "" {
			m.ReceivedIPs = append(m.ReceivedIPs, ip)
		}
	case "x-mailer":
		m.UserAgent = decode(f.value)
	case "user-agent":
		first(&m.UserAgent)
	case "x-originating-ip":
		first(&m.XOriginatingIP)
	case "dkim-signature":
		t := tags(decode(f.value))
		m.DKIM = append(m.DKIM, DKIM{Domain: t["d"], Selector: t["s"]})
	case "arc-seal":
		t := tags(decode(f.value))
		m.ARC = append(m.ARC, ARC{Instance: t["i"], Domain: t["d"], Selector: t["s"], CV: t["cv"]})
	case "authentication-results":
		m.AuthResults = append(m.AuthResults, decode(f.value))
	case "received-spf":
		m.ReceivedSPF = append(m.ReceivedSPF, decode(f.value))
	}
}

// addresses lists the addresses of an address-list field (RFC 5322,
// Section 3.4) as "Name <addr>" or "addr", names RFC 2047-decoded; a value
// net/mail cannot parse is kept whole.
func addresses(v []byte) []string {
	s := strings.TrimSpace(unfold(v))
	if s == "" {
		return nil
	}
	ap := mail.AddressParser{WordDecoder: wordDecoder()}
	list, err := ap.ParseList(s)
	if err != nil || len(list) == 0 {
		return []string{decode(v)}
	}
	out := make([]string, 0, len(list))
	for _, a := range list {
		t := a.Address
		if a.Name != "" {
			t = a.Name + " <" + a.Address + ">"
		}
		out = append(out, sanitize.String(t))
	}
	return out
}

// tags parses a DKIM-style tag list (RFC 6376, Section 3.2): "k=v" pairs
// separated by ";", white space around them ignored.
func tags(v string) map[string]string {
	out := map[string]string{}
	for _, t := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := out[k]; !dup {
			out[k] = strings.Join(strings.Fields(val), "")
		}
	}
	return out
}

// lastIP returns the last IPv4 or IPv6 address in a Received value (how
// Zeek builds smtp.log's path), "" if none.
func lastIP(v string) string {
	last := ""
	isIPByte := func(r rune) bool {
		return r == '.' || r == ':' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !isIPByte(r) }) {
		w = strings.Trim(w, ".:")
		if strings.HasPrefix(strings.ToLower(w), "ipv6:") {
			w = w[5:]
		}
		a, err := netip.ParseAddr(w)
		if err != nil || (a.Is6() && strings.Count(w, ":") < 2) {
			continue
		}
		last = a.String()
	}
	return last
}
