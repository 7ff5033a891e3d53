package tlsdecrypt

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

const testHost = "mail.example.org"

// testCertificate returns a self-signed certificate for testHost with an
// ECDSA P-256 or an RSA-2048 key.
func testCertificate(t testing.TB, useRSA bool) tls.Certificate {
	t.Helper()
	var pub, priv any
	if useRSA {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = &k.PublicKey, k
	} else {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = &k.PublicKey, k
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: testHost},
		DNSNames:     []string{testHost},
		NotBefore:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}
}

// chunk is what one side wrote in one Write call.
type chunk struct {
	dir  wire.Dir
	data []byte
}

// recorder keeps the writes of both sides in an order consistent with
// causality: a write is recorded before its bytes can reach the peer.
type recorder struct {
	mu     sync.Mutex
	chunks []chunk
}

type recConn struct {
	net.Conn
	dir wire.Dir
	rec *recorder
}

func (c *recConn) Write(b []byte) (int, error) {
	c.rec.mu.Lock()
	c.rec.chunks = append(c.rec.chunks, chunk{dir: c.dir, data: slices.Clone(b)})
	c.rec.mu.Unlock()
	return c.Conn.Write(b)
}

// lockedBuffer is a KeyLogWriter safe for both sides.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// session is a recorded TLS connection and what each side wrote in it.
type session struct {
	chunks []chunk
	keyLog []byte
	wrote  [2][]byte // application data written, by direction
	state  tls.ConnectionState
}

// payload returns n bytes of SMTP-looking text.
func payload(prefix string, n int) []byte {
	var b bytes.Buffer
	b.WriteString(prefix)
	for i := 0; b.Len() < n; i++ {
		b.WriteString("line ")
		b.WriteString(itoa(i))
		b.WriteString(" of the message body\r\n")
	}
	return b.Bytes()[:n]
}

// runTLS connects a crypto/tls client and server over TCP loopback (whose
// buffers let both sides write at once), with the client's KeyLogWriter on.
// The client sends EHLO, a large body and QUIT; the server a banner and a
// large reply. Both directions' writes are recorded.
func runTLS(t testing.TB, client, server *tls.Config) session {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	defer ln.Close()
	rec := &recorder{}
	kl := &lockedBuffer{}
	client = client.Clone()
	client.KeyLogWriter = kl
	client.ServerName = testHost
	client.InsecureSkipVerify = true
	var s session
	s.wrote[wire.ClientToServer] = slices.Concat([]byte("EHLO client.example\r\n"), payload("DATA ", 40000), []byte("QUIT\r\n"))
	s.wrote[wire.ServerToClient] = slices.Concat([]byte("250-mail.example.org\r\n"), payload("250 ", 30000))

	done := make(chan error, 1)
	go func() {
		raw, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer raw.Close()
		srv := tls.Server(&recConn{Conn: raw, dir: wire.ServerToClient, rec: rec}, server)
		if err := srv.Handshake(); err != nil {
			done <- err
			return
		}
		got := make(chan []byte, 1)
		go func() {
			b, _ := io.ReadAll(srv) // until the client's close_notify
			got <- b
		}()
		if _, err := srv.Write(s.wrote[wire.ServerToClient]); err != nil {
			done <- err
			return
		}
		if b := <-got; !bytes.Equal(b, s.wrote[wire.ClientToServer]) {
			t.Errorf("server read %d bytes, want %d", len(b), len(s.wrote[wire.ClientToServer]))
		}
		done <- srv.Close()
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	cl := tls.Client(&recConn{Conn: raw, dir: wire.ClientToServer, rec: rec}, client)
	if err := cl.Handshake(); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		b := make([]byte, len(s.wrote[wire.ServerToClient]))
		n, _ := io.ReadFull(cl, b)
		got <- b[:n]
	}()
	if _, err := cl.Write(s.wrote[wire.ClientToServer]); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, s.wrote[wire.ServerToClient]) {
		t.Fatalf("client read %d bytes, want %d", len(b), len(s.wrote[wire.ServerToClient]))
	}
	s.state = cl.ConnectionState()
	if err := cl.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("server: %v", err)
	}
	rec.mu.Lock()
	s.chunks = rec.chunks
	rec.mu.Unlock()
	kl.mu.Lock()
	s.keyLog = bytes.Clone(kl.b.Bytes())
	kl.mu.Unlock()
	return s
}

// result is what a Conn made of a recorded connection.
type result struct {
	plain  [2][]Plain // every decrypted record, copied, by direction
	app    [2][]byte  // application data, joined, by direction
	types  [2][]uint8 // handshake messages decrypted, by direction
	status Status
}

// feeder runs two tlsrec parsers into a Conn, as the session builder does.
type feeder struct {
	conn    *Conn
	parsers [2]*tlsrec.Parser
	res     result
}

// dirSink is the tlsrec.Sink of one direction.
type dirSink struct {
	f *feeder
}

func (s dirSink) Record(r *tlsrec.Record) {
	f := s.f
	if r.SelectsTLS13() {
		// As session/tlsglue.go does: the client's records are protected
		// from now on (RFC 8446, Section 2).
		f.parsers[r.Dir.Reverse()].SetEncrypted()
	}
	p, ok := f.conn.Record(r.Dir, r)
	if !ok {
		return
	}
	p.Data = bytes.Clone(p.Data)
	p.Handshake = slices.Clone(p.Handshake)
	f.res.plain[r.Dir] = append(f.res.plain[r.Dir], p)
	switch p.Type {
	case tlsrec.TypeApplicationData:
		f.res.app[r.Dir] = append(f.res.app[r.Dir], p.Data...)
	case tlsrec.TypeHandshake:
		f.res.types[r.Dir] = append(f.res.types[r.Dir], p.Handshake...)
	}
}

func newFeeder(keys *KeyLog) *feeder {
	f := &feeder{conn: NewConn(keys)}
	for d := range f.parsers {
		f.parsers[d] = tlsrec.NewParser(wire.Dir(d), tlsrec.Options{}, dirSink{f})
	}
	return f
}

// feed gives the parser of dir the bytes of one chunk, split as split says
// (nil: whole).
func (f *feeder) feed(c chunk, frame int64, split func(n int) []int) {
	p := f.parsers[c.dir]
	pos := wire.Pos{Frame: frame}
	if split == nil {
		p.Feed(c.data, pos)
		return
	}
	data := c.data
	for _, n := range split(len(data)) {
		p.Feed(data[:n], pos)
		data = data[n:]
	}
	p.Feed(data, pos)
}

func (f *feeder) close() result {
	for _, p := range f.parsers {
		p.Close(wire.Pos{})
	}
	f.res.status = f.conn.Status()
	return f.res
}

// decryptChunks runs recorded chunks through parsers and a Conn.
func decryptChunks(t testing.TB, chunks []chunk, keyLog []byte, split func(n int) []int) result {
	t.Helper()
	keys, err := ParseKeyLog(bytes.NewReader(keyLog))
	if err != nil {
		t.Fatal(err)
	}
	f := newFeeder(keys)
	for i, c := range chunks {
		f.feed(c, int64(i+1), split)
	}
	return f.close()
}

// oneByte splits n bytes into 1-byte pieces.
func oneByte(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}
