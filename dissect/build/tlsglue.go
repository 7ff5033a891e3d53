package build

import (
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// tlsSink receives the records of one direction.
type tlsSink struct {
	c *conn
	d wire.Dir
}

// feedTLS gives bytes of direction d to its TLS record parser.
func (c *conn) feedTLS(d wire.Dir, data []byte, pos wire.Pos) {
	p := c.tls[d]
	if p == nil {
		opts := c.b.opts.TLS
		if keys := c.b.opts.Keys; keys == nil || keys.Len() == 0 {
			opts.SkipAppData = true // nothing will decrypt them: do not copy them
		}
		p = tlsrec.NewParser(d, opts, &tlsSink{c: c, d: d})
		c.tls[d] = p
		if d == wire.ClientToServer && c.tls13 {
			p.SetEncrypted()
		}
	}
	p.Feed(data, pos)
}

// Record implements tlsrec.Sink.
func (t *tlsSink) Record(r *tlsrec.Record) {
	c, s := t.c, t.c.s
	if r.Type == 0 {
		// Not TLS at all: an anomaly, and this direction stops here.
		c.anomaly(t.d, r.Pos, "tls.not_tls", r.Summary)
		return
	}
	plain, decrypted := c.decrypt(t.d, r)
	rec := session.TLSRecord{
		Frame: r.Pos.Frame, Time: r.Pos.Time, Dir: t.d, Type: r.Type, Version: r.Version,
		Length: r.Length, Handshake: []uint8{}, Encrypted: r.Encrypted, Summary: r.Summary, Decrypted: decrypted,
	}
	if decrypted {
		rec.Summary = decryptedSummary(plain)
		rec.Handshake = append(rec.Handshake, plain.Handshake...)
		if plain.Type == tlsrec.TypeHandshake && t.d == wire.ServerToClient && s.TLS.Certificates == nil {
			c.certificates13(plain.Data, r.Pos.Frame)
		}
	}
	for _, h := range r.Handshake {
		rec.Handshake = append(rec.Handshake, h.Type)
		if h.ClientHello != nil {
			ch := h.ClientHello
			s.TLS.SNI = sanitize.String(ch.SNI)
			if len(ch.ALPN) > 0 {
				s.TLS.ALPN = sanitize.String(ch.ALPN[0])
			}
			s.TLS.JA3, s.TLS.JA4 = ch.JA3Hash, ch.JA4
			s.TLS.OfferedVersions, s.TLS.OfferedSuites = s.TLS.OfferedVersions[:0], s.TLS.OfferedSuites[:0]
			versions := ch.SupportedVersions
			if len(versions) == 0 {
				versions = []uint16{ch.LegacyVersion}
			}
			for _, v := range versions {
				if !tlsname.IsGREASE(v) {
					s.TLS.OfferedVersions = append(s.TLS.OfferedVersions, tlsname.VersionName(v))
				}
			}
			for _, cs := range ch.CipherSuites {
				if !tlsname.IsGREASE(cs) {
					s.TLS.OfferedSuites = append(s.TLS.OfferedSuites, tlsname.CipherSuiteName(cs))
				}
			}
		}
		if len(h.Certificates) > 0 && t.d == wire.ServerToClient && s.TLS.Certificates == nil {
			c.setCertificates(h.Certificates, r.Pos.Frame)
		}
		if h.NamedCurve != 0 && t.d == wire.ServerToClient {
			s.TLS.Curve = tlsname.GroupName(h.NamedCurve)
		}
		if h.ServerHello != nil {
			sh := h.ServerHello
			if sh.KeyShareGroup != 0 {
				s.TLS.Curve = tlsname.GroupName(sh.KeyShareGroup)
			}
			s.TLS.Version = tlsname.VersionName(sh.SelectedVersion)
			s.TLS.Cipher = tlsname.CipherSuiteName(sh.CipherSuite)
			_, s.TLS.JA3S = tlsrec.JA3S(sh)
			s.TLS.JA4S = tlsrec.JA4S(sh)
			// RFC 8446, Section 4.1.4: after a HelloRetryRequest the
			// client's second ClientHello is still plaintext.
			if r.SelectsTLS13() {
				c.tls13 = true
				if p := c.tls[wire.ClientToServer]; p != nil {
					p.SetEncrypted()
				}
			}
		}
	}
	idx := len(s.TLSRecords)
	s.TLSRecords = append(s.TLSRecords, rec)
	c.raw = c.recordBytes(r)
	if r.Encrypted {
		if !decrypted {
			s.TLS.EncryptedRecords++
			s.TLS.EncryptedBytes += int64(r.Length)
		}
		c.encSeen[t.d] = true
		if c.encSeen[0] && c.encSeen[1] && !c.tlsDone {
			// Both sides now encrypt: this record carries the last
			// Finished, and the handshake is over.
			c.tlsDone = true
			if !decrypted {
				c.phase = session.PhaseEncrypted
			}
			if !decrypted || plain.Type != tlsrec.TypeApplicationData {
				c.addRecordEvent(t.d, rec, idx, session.PhaseTLSHandshake)
				return
			}
		}
	}
	if decrypted && plain.Type == tlsrec.TypeApplicationData {
		// The SMTP inside stands for the record on the timeline.
		c.feedInner(t.d, plain.Data, r.Pos)
		return
	}
	if c.tlsDone && r.Encrypted && !decrypted {
		c.addBulk(t.d, rec, idx)
		return
	}
	phase := session.PhaseTLSHandshake
	if c.tlsDone && (r.Type == tlsrec.TypeAlert && !r.Encrypted || decrypted && plain.Type == tlsrec.TypeAlert) {
		phase = session.PhaseTeardown // an alert after the handshake: close_notify, usually
	}
	c.addRecordEvent(t.d, rec, idx, phase)
}

func (c *conn) addRecordEvent(d wire.Dir, rec session.TLSRecord, idx int, phase session.Phase) {
	sum := rec.Summary
	switch {
	case rec.Decrypted:
	case rec.Encrypted && rec.Type == tlsrec.TypeApplicationData:
		// RFC 8446, Section 5.2: after the ServerHello every TLS 1.3
		// handshake message travels in records typed application data.
		sum = "encrypted handshake record"
	case sum == "":
		sum = tlsname.ContentTypeName(rec.Type)
	}
	sum = c.b.recordSummary(sum, rec.Length)
	c.add(session.Event{Frame: rec.Frame, Time: rec.Time, Dir: d, Phase: phase, Kind: session.KindTLS, Summary: sum, Ref: idx, Raw: c.raw})
}

// addBulk folds an encrypted record into the open run of encrypted records,
// or starts one: without keys these records are "N records, M bytes".
func (c *conn) addBulk(d wire.Dir, rec session.TLSRecord, idx int) {
	tl := c.s.Timeline
	// A run holds consecutive records of one direction: a conversation
	// inside TLS shows as alternating runs, its request/response shape.
	if i := c.bulkIdx; i >= 0 && i < len(tl) && tl[i].Kind == session.KindTLSBulk && tl[i].Dir == d && c.lastEventIs(i) {
		e := &tl[i]
		e.Count++
		e.Bytes += int64(rec.Length)
		e.Frames = c.appendFrame(e.Frames, rec.Frame)
		if !c.bulkStale {
			c.bulkStale = true
			c.b.stale = append(c.b.stale, c)
		}
		return
	}
	phase := session.PhaseEncrypted
	if c.finSeen {
		phase = session.PhaseTeardown // close_notify after a FIN
	}
	c.bulkIdx = c.add(session.Event{Frame: rec.Frame, Time: rec.Time, Dir: d, Phase: phase, Kind: session.KindTLSBulk,
		Summary: bulkSummary(1, int64(rec.Length)), Ref: idx, Count: 1, Bytes: int64(rec.Length), Frames: []int64{rec.Frame}})
}

// settleBulk writes the summary of the latest run of encrypted records
// when it grew (Builder.Settle).
func (c *conn) settleBulk() {
	if !c.bulkStale {
		return
	}
	c.bulkStale = false
	if tl := c.s.Timeline; c.bulkIdx >= 0 && c.bulkIdx < len(tl) {
		e := &tl[c.bulkIdx]
		e.Summary = bulkSummary(e.Count, e.Bytes)
	}
}

// lastEventIs reports whether timeline index i is the latest event added.
func (c *conn) lastEventIs(i int) bool { return i == len(c.s.Timeline)-1 }

// maxRunFrames bounds the frames listed on one run of encrypted records (a
// long transfer has one per segment); more are counted (limit
// "run-frames"), the run's Count and Bytes stay exact.
const maxRunFrames = 4096

func (c *conn) appendFrame(fs []int64, f int64) []int64 {
	if n := len(fs); n > 0 && fs[n-1] == f {
		return fs
	}
	if len(fs) >= maxRunFrames {
		c.b.limits[wire.LimitRunFrames]++
		return fs
	}
	return append(fs, f)
}

// recordSummary is what + ", " + the record length as text, interned.
func (b *Builder) recordSummary(what string, length int) string {
	k := recordSum{what, length}
	if s, ok := b.recordSums[k]; ok {
		return s
	}
	if b.recordSums == nil || len(b.recordSums) >= maxRecordSums {
		b.recordSums = make(map[recordSum]string)
	}
	s := what + ", " + bytesText(length)
	b.recordSums[k] = s
	return s
}

func bulkSummary(n int, b int64) string {
	rec := " encrypted records, "
	if n == 1 {
		rec = " encrypted record, "
	}
	return strconv.Itoa(n) + rec + strconv.FormatInt(b, 10) + " bytes"
}

// recordBytes rebuilds a record's first bytes for Event.Raw: its 5-byte
// header (RFC 8446, Section 5.1) and up to 1 KiB of its fragment.
func (c *conn) recordBytes(r *tlsrec.Record) []byte {
	if !c.b.opts.KeepBytes {
		return nil
	}
	const maxFragment = 1 << 10
	var hdr [5]byte
	hdr[0], hdr[1], hdr[2] = r.Type, byte(r.Version>>8), byte(r.Version)
	hdr[3], hdr[4] = byte(r.Length>>8), byte(r.Length)
	b := append(hdr[:], r.Fragment[:min(len(r.Fragment), maxFragment)]...)
	return c.keep(b, len(b))
}

func sanitizeAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, x := range ss {
		out[i] = sanitize.String(x)
	}
	return out
}

// setCertificates keeps the server's chain (leaf first) in the model.
func (c *conn) setCertificates(chain []tlsrec.Certificate, frame int64) {
	s := c.s
	s.TLS.CertFrame = frame
	defer func() {
		if s.TLS.SNI != "" && len(s.TLS.Certificates) > 0 {
			m := session.SNIMatchesCert(s.TLS.SNI, s.TLS.Certificates[0])
			s.TLS.SNIMatchesCert = &m
		}
	}()
	for _, ct := range chain {
		s.TLS.Certificates = append(s.TLS.Certificates, session.Certificate{
			Subject: sanitize.String(ct.Subject), Issuer: sanitize.String(ct.Issuer), SANs: sanitizeAll(ct.SANs),
			NotBefore: ct.NotBefore, NotAfter: ct.NotAfter, KeyAlgo: ct.KeyAlgo, KeyBits: ct.KeyBits,
			SigAlgo: ct.SigAlgo, SelfSigned: ct.SelfSigned, Err: sanitize.String(ct.Err),
			SHA256: ct.SHA256, Serial: ct.Serial, Version: ct.Version, Exponent: ct.Exponent, Curve: ct.Curve,
			DNSNames: sanitizeAll(ct.DNSNames), Emails: sanitizeAll(ct.Emails), IPs: ct.IPs, URIs: sanitizeAll(ct.URIs),
			BasicConstraints: ct.BasicConstraints, CA: ct.CA, MaxPathLen: ct.MaxPathLen})
	}
}

// certificates13 reads the server's Certificate message from decrypted TLS
// 1.3 handshake data (RFC 8446, Section 4.4.2) when the whole message is in
// this record. A Certificate split across records is counted (limit
// "tls13-certificate-split"), not read.
func (c *conn) certificates13(data []byte, frame int64) {
	body, cut := tlsrec.FindMessage(data, tlsrec.HandshakeCertificate)
	if cut {
		c.b.limits[wire.LimitTLS13CertificateSplit]++
		return
	}
	if body == nil {
		return
	}
	if chain, _ := tlsrec.ParseCertificates13(body, c.b.opts.TLS.Certs); len(chain) > 0 {
		c.setCertificates(chain, frame)
	}
}
