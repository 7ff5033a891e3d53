package smtp

// Resume continues plaintext parsing after an EvStartTLS that no TLS
// followed: a client that ignored RFC 3207, Section 4 ("the client MUST
// start the TLS negotiation before any other command"), or a proxy that
// decrypted the session in place. As after TLS, the state before STARTTLS
// is discarded (RFC 3207, Section 4.2); items stay marked as not in TLS.
func (c *Conn) Resume() {
	if !c.stopped {
		return
	}
	c.SetInTLS(true)
	c.inTLS = false
}
