package tlsdecrypt

import "github.com/smtpscope/smtpscope/dissect/tlsrec"

// decrypt opens a protected record of direction h.
func (c *Conn) decrypt(h *half, r *tlsrec.Record) (Plain, bool) {
	if r.Missing > 0 || r.Partial || r.Fragment == nil {
		// The record was framed but its bytes were lost: its sequence
		// number is used up (RFC 5246, Section 6.1; RFC 8446, Section 5.3).
		h.seq++
		h.gap, h.searches = true, 0
		h.hs.Reset()
		c.failed(ProblemGap, "gap in stream")
		return Plain{}, false
	}
	if h.open == nil && h.appOpen == nil && h.early == nil {
		c.failed(ProblemNoKey, "no key for this direction")
		return Plain{}, false
	}
	if h.buf == nil {
		h.buf = make([]byte, 0, bufCap)
	}
	pt, ok := c.tryOpen(h, r)
	if h.open != nil {
		if a, isAdv := h.open.(advancer); isAdv {
			a.advance(r.Fragment)
		}
	}
	if !ok {
		h.seq++
		if h.gap || h.unsure {
			h.searches++
		}
		if h.gap {
			c.failed(ProblemGap, "gap in stream")
		} else {
			c.failed(ProblemAuth, "record failed authentication (wrong key?)")
		}
		// A record may have been dropped unseen: search ahead next time.
		h.unsure = true
		return Plain{}, false
	}
	h.gap, h.unsure, h.searches = false, false, 0
	p := Plain{Type: r.Type, Data: pt}
	if c.tls13 {
		// RFC 8446, Section 5.4: TLSInnerPlaintext is content, the real
		// content type, then zero padding.
		i := len(pt) - 1
		for i >= 0 && pt[i] == 0 {
			i--
		}
		if i < 0 {
			c.failed(ProblemAuth, "decrypted record has no content type")
			return Plain{}, false
		}
		p.Type, p.Data = pt[i], pt[:i]
	}
	c.status.Decrypted++
	if !c.fixed {
		c.status.Decrypting, c.status.Problem, c.status.Reason = true, ProblemNone, ""
	}
	switch p.Type {
	case tlsrec.TypeHandshake:
		h.types = h.hs.Feed(p.Data, h.types[:0])
		p.Handshake = h.types
		c.afterHandshake(h)
	case tlsrec.TypeChangeCipherSpec:
		if !c.tls13 {
			// A CCS under the current keys: a renegotiation installs keys
			// derived from hellos this Conn cannot read (RFC 5246,
			// Section 7.4.1.1).
			h.open = nil
			c.fix(ProblemRenegotiation, "renegotiation: later records are not decrypted")
		}
	}
	return p, true
}

// failed counts a protected record that did not decrypt.
func (c *Conn) failed(p Problem, reason string) {
	c.status.Failed++
	c.status.Decrypting = false
	c.problem(p, reason)
}

// afterHandshake switches TLS 1.3 keys after the handshake messages that
// change them; the switch applies from the next record (RFC 8446, Section
// 5.1: such messages end at a record boundary).
func (c *Conn) afterHandshake(h *half) {
	if !c.tls13 {
		return
	}
	for _, t := range h.types {
		switch t {
		case tlsrec.HandshakeEndOfEarlyData:
			// RFC 8446, Section 4.5: the client switches to its handshake key.
			h.early = nil
		case tlsrec.HandshakeFinished:
			// RFC 8446, Section 7.1: application traffic secrets follow
			// each side's Finished.
			if h.appOpen != nil {
				h.open, h.secret, h.appOpen, h.seq = h.appOpen, h.app, nil, 0
				h.early = nil
			}
		case tlsrec.HandshakeKeyUpdate:
			c.keyUpdate(h)
		}
	}
}

// keyUpdate moves a direction to its next application traffic secret
// (RFC 8446, Section 4.6.3).
func (c *Conn) keyUpdate(h *half) {
	if h.secret == nil || h.appOpen != nil {
		return
	}
	next, err := nextSecret(c.suite, h.secret)
	if err == nil {
		var o opener
		if o, err = keys13(c.suite, next); err == nil {
			h.open, h.secret, h.seq = o, next, 0
			return
		}
	}
	h.open = nil
	c.fix(ProblemNoKey, "key update failed: "+err.Error())
}

// advancer is an opener whose state moves with every record (TLS 1.0 CBC).
type advancer interface {
	advance(frag []byte)
}

// tryOpen decrypts a record with the expected key and sequence number, then,
// when that fails, with the candidates a lost record or a missed key change
// leave: later sequence numbers (bounded by maxSkip, and only for the first
// maxSearches failures in a row), the application key of TLS 1.3, and the
// client's early data key.
func (c *Conn) tryOpen(h *half, r *tlsrec.Record) ([]byte, bool) {
	frag := r.Fragment
	try := func(o opener, seq uint64) ([]byte, bool) {
		return o.open(h.buf, seq, r.Type, r.Version, frag)
	}
	search := (h.gap || h.unsure) && h.searches < maxSearches
	if h.open != nil {
		if pt, ok := try(h.open, h.seq); ok {
			h.seq++
			return pt, true
		}
		if a, isGCM := h.open.(*aead12); isGCM && search {
			if s, ok := a.explicitSeq(frag); ok && s > h.seq && s-h.seq <= maxExplicitJump {
				if pt, ok := try(h.open, s); ok {
					h.seq = s + 1
					return pt, true
				}
			}
		}
		for k := uint64(1); search && k <= maxSkip; k++ {
			if pt, ok := try(h.open, h.seq+k); ok {
				h.seq += k + 1
				return pt, true
			}
		}
	}
	if h.appOpen != nil {
		// The record carrying Finished may have been lost, or there was
		// no handshake secret: try the application key from its start.
		n := uint64(0)
		if search || h.open == nil {
			n = maxSkip
		}
		for k := uint64(0); k <= n; k++ {
			if pt, ok := try(h.appOpen, k); ok {
				h.open, h.secret, h.appOpen, h.seq = h.appOpen, h.app, nil, k+1
				return pt, true
			}
		}
	}
	if h.early != nil {
		// RFC 8446, Section 2.3: accepted 0-RTT data continues under the
		// early traffic key until EndOfEarlyData.
		if pt, ok := try(h.early, h.earlySeq); ok {
			h.earlySeq++
			return pt, true
		}
	}
	return nil, false
}
