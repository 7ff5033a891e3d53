package build

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// decrypt offers every record of the connection to its decryptor (it
// learns the hellos from the plaintext ones) and returns the plaintext of
// a record it could decrypt. Without a key log nothing is tried.
func (c *conn) decrypt(d wire.Dir, r *tlsrec.Record) (tlsdecrypt.Plain, bool) {
	if c.dec == nil {
		keys := c.b.opts.Keys
		// A key log cut at its bounds is consulted even when empty, so
		// that decrypt_problem says the cut (issue 12, defect 2).
		if keys == nil || (keys.Len() == 0 && !keys.Stats().Truncated) {
			return tlsdecrypt.Plain{}, false
		}
		c.dec = tlsdecrypt.NewConn(keys)
	}
	p, ok := c.dec.Record(d, r)
	st := c.dec.Status()
	c.s.TLS.Decrypted = st.Decrypted > 0
	c.s.TLS.DecryptProblem = ""
	if st.Problem != tlsdecrypt.ProblemNone {
		c.s.TLS.DecryptProblem = st.Reason
	}
	return p, ok
}

// feedInner gives decrypted application data to the SMTP parser: after a
// STARTTLS or on an implicit-TLS connection, everything inside TLS is a
// fresh SMTP conversation (RFC 3207, Section 4.2; RFC 8314, Section 3.3).
func (c *conn) feedInner(d wire.Dir, data []byte, pos wire.Pos) {
	p := c.parser()
	if p == nil {
		return
	}
	if !c.inner {
		c.inner = true
		p.SetInTLS(true)
	}
	p.Feed(d, data, pos)
}

// decryptedSummary describes a record smtpscope could read.
func decryptedSummary(p tlsdecrypt.Plain) string {
	switch p.Type {
	case tlsrec.TypeHandshake:
		names := make([]string, 0, len(p.Handshake))
		for _, h := range p.Handshake {
			names = append(names, tlsname.HandshakeName(h))
		}
		return "Handshake (decrypted): " + strings.Join(names, ", ")
	case tlsrec.TypeAlert:
		if len(p.Data) >= 2 {
			return "Alert (decrypted): " + tlsname.AlertName(p.Data[1])
		}
		return "Alert (decrypted)"
	case tlsrec.TypeApplicationData:
		return "Application Data (decrypted)"
	}
	return tlsname.ContentTypeName(p.Type) + " (decrypted)"
}
