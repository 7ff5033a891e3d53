package tlsdecrypt

import (
	"slices"

	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

const (
	// maxSkip is how many lost records a Conn looks past, after a gap or a
	// failed record, to find its sequence number again.
	maxSkip = 64
	// maxSearches bounds the consecutive failed records that get the
	// maxSkip search, so a wrong key costs one try per record after that.
	maxSearches = 4
	// maxExplicitJump bounds how far ahead a GCM explicit nonce may move the
	// sequence number when it is taken as a hint.
	maxExplicitJump = 1 << 20
	// bufCap is the plaintext buffer of a direction: the largest
	// TLSCiphertext (RFC 5246, Section 6.2.3) holds less plaintext.
	bufCap = 1<<14 + 2048
	// extEncryptThenMAC is the encrypt_then_mac extension (RFC 7366, Section 2).
	extEncryptThenMAC = 22
)

// Plain is the plaintext of one decrypted record.
type Plain struct {
	// Type is the content type of the plaintext: for TLS 1.3 the inner
	// type (RFC 8446, Section 5.2), else the record's; 21 alert,
	// 22 handshake, 23 application data.
	Type uint8
	// Data is the plaintext (padding removed), valid until the next call
	// to Record: copy what you keep.
	Data []byte
	// Handshake lists the types of the handshake messages that complete in
	// this record, following messages split over records (Type 22 only);
	// valid until the next call to Record, like Data.
	Handshake []uint8
}

// half is the decryption state of one direction.
type half struct {
	active  bool   // this direction's records are protected
	open    opener // current protection; nil when its key is unknown
	pending opener // TLS ≤ 1.2: protection starting with this direction's CCS
	seq     uint64
	// TLS 1.3.
	secret   []byte // traffic secret of open, for KeyUpdate
	app      []byte // application traffic secret 0, used after Finished
	appOpen  opener // protection under app; nil once switched
	early    opener // client's 0-RTT protection (RFC 8446, Section 7.1)
	earlySeq uint64

	hs       tlsrec.MessageScanner
	gap      bool // records or bytes were lost since the last decrypted record
	unsure   bool // a record failed since the last decrypted one
	searches int  // consecutive failed records that searched ahead
	buf      []byte
	types    []uint8
}

// Conn decrypts the records of one TLS connection. Create it with NewConn
// and give it every record of both directions, in capture order. It is not
// safe for concurrent use.
type Conn struct {
	keys         *KeyLog
	haveCH       bool
	clientDir    wire.Dir
	clientRandom [32]byte
	clientEtM    bool
	sawSH        bool
	tls13        bool
	suite        suite
	half         [2]half
	status       Status
	fixed        bool // status.Problem cannot change any more
}

// NewConn returns a decryptor that takes its secrets from keys (nil: none).
// keys is consulted when the ServerHello arrives, so entries added to it
// before then are used.
func NewConn(keys *KeyLog) *Conn {
	return &Conn{keys: keys}
}

// Status returns how decryption goes.
func (c *Conn) Status() Status { return c.status }

// Gap tells the Conn that bytes of direction dir were lost between records
// (the session builder calls it on a TCP gap): the next record's sequence
// number is searched for.
func (c *Conn) Gap(dir wire.Dir) {
	if dir > wire.ServerToClient {
		return
	}
	h := &c.half[dir]
	h.gap = true
	h.searches = 0
	h.hs.Reset()
}

// Record takes the next record of direction dir, as dissect/tlsrec reports
// it. It returns the plaintext when the record was protected and decrypted;
// otherwise ok is false and Status says why, if something went wrong.
// r is not retained.
func (c *Conn) Record(dir wire.Dir, r *tlsrec.Record) (p Plain, ok bool) {
	if r == nil || r.Type == 0 || dir > wire.ServerToClient {
		return Plain{}, false
	}
	h := &c.half[dir]
	switch {
	case c.tls13 && r.Type == tlsrec.TypeApplicationData:
		// RFC 8446, Section 5.2: every protected record is typed
		// application data; CCS (Appendix D.4) and alerts sent before the
		// peer has keys stay plaintext.
		return c.decrypt(h, r)
	case !c.tls13 && h.active:
		// RFC 5246, Section 7.1: everything after this direction's CCS.
		return c.decrypt(h, r)
	case r.Encrypted || r.Type == tlsrec.TypeApplicationData:
		c.undecryptable(dir, r)
		return Plain{}, false
	}
	switch r.Type {
	case tlsrec.TypeHandshake:
		for i := range r.Handshake {
			c.hello(dir, &r.Handshake[i])
		}
	case tlsrec.TypeChangeCipherSpec:
		if c.sawSH && !c.tls13 && len(r.Fragment) == 1 {
			// RFC 5246, Section 6.1: the new cipher state starts at
			// sequence number 0.
			h.active, h.open, h.pending, h.seq = true, h.pending, nil, 0
			h.hs.Reset()
		}
	}
	return Plain{}, false
}

// undecryptable accounts for a protected record that arrives without keys.
func (c *Conn) undecryptable(dir wire.Dir, r *tlsrec.Record) {
	c.status.Failed++
	c.status.Decrypting = false
	switch {
	case c.fixed:
	case c.haveCH && !c.sawSH && dir == c.clientDir && r.Type == tlsrec.TypeApplicationData:
		// RFC 8446, Section 2.3: 0-RTT data, sent before the ServerHello.
		c.problem(ProblemEarlyData, "early data (0-RTT) is not decrypted")
	case !c.haveCH:
		c.problem(ProblemNoHello, "no ClientHello seen")
	case !c.sawSH:
		c.problem(ProblemNoHello, "no ServerHello seen")
	}
}

// problem sets the status's problem unless a permanent one is set.
func (c *Conn) problem(p Problem, reason string) {
	if c.fixed {
		return
	}
	c.status.Problem, c.status.Reason = p, reason
}

// fix sets a problem that stays.
func (c *Conn) fix(p Problem, reason string) {
	c.problem(p, reason)
	c.status.Decrypting = false
	c.fixed = true
}

// hello learns what decryption needs from a plaintext hello.
func (c *Conn) hello(dir wire.Dir, hs *tlsrec.Handshake) {
	switch {
	case hs.ClientHello != nil:
		ch := hs.ClientHello
		if c.sawSH && ch.Random != c.clientRandom {
			// A new handshake on the same stream: start over.
			*c = Conn{keys: c.keys}
		}
		c.haveCH, c.clientDir, c.clientRandom = true, dir, ch.Random
		c.clientEtM = slices.Contains(ch.Extensions, extEncryptThenMAC)
	case hs.ServerHello != nil && !hs.ServerHello.HelloRetryRequest && !c.sawSH:
		// RFC 8446, Section 4.1.4: a HelloRetryRequest selects no keys.
		c.setup(hs.ServerHello)
	}
}

// setup looks the secrets up and derives the keys once the ServerHello
// chose the version and suite.
func (c *Conn) setup(sh *tlsrec.ServerHello) {
	c.sawSH = true
	c.status.Version, c.status.Suite = sh.SelectedVersion, sh.CipherSuite
	// A problem noted before the ServerHello (records without keys) is
	// superseded by what the ServerHello allows.
	c.problem(ProblemNone, "")
	if !c.haveCH {
		c.fix(ProblemNoHello, "no ClientHello seen")
		return
	}
	s, ok := lookupSuite(sh.CipherSuite)
	c.suite = s
	c.tls13 = sh.SelectedVersion == tlsrec.VersionTLS13
	switch {
	case !ok || c.tls13 != s.tls13:
		c.fix(ProblemSuite, "unsupported cipher suite "+hex4(sh.CipherSuite))
		return
	case !c.tls13 && !s.supported12(sh.SelectedVersion):
		c.fix(ProblemSuite, "unsupported cipher suite "+hex4(sh.CipherSuite)+" with "+tlsname.VersionName(sh.SelectedVersion))
		return
	}
	sec, ok := c.keys.Lookup(c.clientRandom)
	if !ok {
		reason := "no key for this client random"
		if c.keys != nil {
			if note := c.keys.Stats().CutNote(); note != "" {
				reason += " (" + note + ")"
			}
		}
		c.fix(ProblemNoKey, reason)
		return
	}
	cl, sv := &c.half[c.clientDir], &c.half[c.clientDir.Reverse()]
	if c.tls13 {
		c.setup13(sec, cl, sv)
		return
	}
	if sec.MasterSecret == nil {
		c.fix(ProblemNoKey, "no master secret for this client random")
		return
	}
	// RFC 7366, Section 3: encrypt-then-MAC only when both hellos carry the
	// extension, and only for CBC suites. RFC 7627 (extended master
	// secret) changes how the master secret is computed, not the key
	// block: the key log already holds the result.
	etm := c.clientEtM && slices.Contains(sh.Extensions, extEncryptThenMAC) && s.kind == kindCBC
	co, so, err := keys12(s, sh.SelectedVersion, sec.MasterSecret, c.clientRandom, sh.Random, etm)
	if err != nil {
		c.fix(ProblemSuite, err.Error())
		return
	}
	cl.pending, sv.pending = co, so
	c.status.Decrypting = true
}

// setup13 derives the TLS 1.3 keys: handshake traffic keys now, application
// traffic keys after each direction's Finished (RFC 8446, Section 7.1).
func (c *Conn) setup13(sec Secrets, cl, sv *half) {
	var err error
	for _, x := range []struct {
		h       *half
		hs, app []byte
	}{{cl, sec.ClientHandshake, sec.ClientTraffic0}, {sv, sec.ServerHandshake, sec.ServerTraffic0}} {
		x.h.active = true
		if x.hs != nil && err == nil {
			x.h.open, err = keys13(c.suite, x.hs)
			x.h.secret = x.hs
		}
		if x.app != nil && err == nil {
			x.h.appOpen, err = keys13(c.suite, x.app)
			x.h.app = x.app
		}
	}
	if sec.ClientEarly != nil && err == nil {
		// RFC 8446, Section 4.2.10: 0-RTT uses the PSK's suite, which must
		// match the selected one for the server to accept the data.
		cl.early, _ = keys13(c.suite, sec.ClientEarly)
	}
	switch {
	case err != nil:
		c.fix(ProblemNoKey, "key log secret does not fit the suite: "+err.Error())
	case cl.open == nil && cl.appOpen == nil && sv.open == nil && sv.appOpen == nil:
		c.fix(ProblemNoKey, "no TLS 1.3 traffic secret for this client random")
	default:
		c.status.Decrypting = true
	}
}

// hex4 spells v as 0xNNNN.
func hex4(v uint16) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{'0', 'x', digits[v>>12], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf]})
}
