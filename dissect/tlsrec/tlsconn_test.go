package tlsrec

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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

	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

const testHost = "mail.example.org"

// testCertificate returns a fresh self-signed ECDSA certificate for testHost.
func testCertificate(t testing.TB) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(42),
		Subject:               pkix.Name{CommonName: testHost, Organization: []string{"smtpscope test"}},
		DNSNames:              []string{testHost},
		NotBefore:             time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf
}

// recorder keeps the bytes each side wrote, in order, one frame per Write.
type recorder struct {
	mu     sync.Mutex
	frames []frame
}

type recConn struct {
	net.Conn
	dir wire.Dir
	rec *recorder
}

func (c *recConn) Write(b []byte) (int, error) {
	// Record under the lock, before the peer can read and answer, so the
	// recorded order is the capture order.
	c.rec.mu.Lock()
	defer c.rec.mu.Unlock()
	n, err := c.Conn.Write(b)
	if n > 0 {
		c.rec.frames = append(c.rec.frames, frame{dir: c.dir, data: slices.Clone(b[:n])})
	}
	return n, err
}

// handshakeResult is what crypto/tls says happened.
type handshakeResult struct {
	frames []frame
	hello  *tls.ClientHelloInfo
	state  tls.ConnectionState
	leaf   *x509.Certificate
}

// runTLS runs a crypto/tls client and server over net.Pipe with SNI and
// ALPN, exchanges one SMTP command and reply, closes, and returns the bytes.
func runTLS(t testing.TB, version uint16) handshakeResult {
	t.Helper()
	cert, leaf := testCertificate(t)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	cRaw, sRaw := net.Pipe()
	rec := &recorder{}
	var res handshakeResult
	res.leaf = leaf
	serverConf := &tls.Config{
		Certificates:           []tls.Certificate{cert},
		NextProtos:             []string{"smtp"},
		MaxVersion:             version,
		SessionTicketsDisabled: true, // no unsolicited writes that deadlock net.Pipe
		GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
			cp := *h
			res.hello = &cp
			return nil, nil
		},
	}
	clientConf := &tls.Config{ServerName: testHost, NextProtos: []string{"smtp"}, RootCAs: pool, MaxVersion: version}
	server := tls.Server(&recConn{Conn: sRaw, dir: wire.ServerToClient, rec: rec}, serverConf)
	client := tls.Client(&recConn{Conn: cRaw, dir: wire.ClientToServer, rec: rec}, clientConf)

	done := make(chan error, 1)
	go func() {
		err := server.Handshake()
		if err == nil {
			buf := make([]byte, len("EHLO client.example\r\n"))
			if _, err = io.ReadFull(server, buf); err == nil {
				_, err = server.Write([]byte("250 mail.example.org\r\n"))
			}
		}
		_, _ = io.Copy(io.Discard, server) // until the client's close_notify
		sRaw.Close()
		done <- err
	}()
	if err := client.Handshake(); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	if _, err := client.Write([]byte("EHLO client.example\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, len("250 mail.example.org\r\n"))
	if _, err := io.ReadFull(client, buf); err != nil {
		t.Fatal(err)
	}
	res.state = client.ConnectionState()
	client.Close()
	if err := <-done; err != nil {
		t.Fatalf("server: %v", err)
	}
	res.frames = rec.frames
	return res
}

// checkFraming compares the parser's records with an independent framing.
func checkFraming(t *testing.T, frames []frame, dir wire.Dir, got []Record) {
	t.Helper()
	want := frameIndependently(frames, dir)
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, want %d:\n%s", dir, len(got), len(want), render(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Type != w.typ || g.Version != w.ver || g.Length != w.length || g.Pos.Frame != w.frame ||
			g.FirstPos.Frame != w.first || g.Dir != dir || g.Partial || g.Missing != 0 {
			t.Errorf("%s record %d = type %d ver %04x len %d frame %d first %d, want type %d ver %04x len %d frame %d first %d",
				dir, i, g.Type, g.Version, g.Length, g.Pos.Frame, g.FirstPos.Frame, w.typ, w.ver, w.length, w.frame, w.first)
		}
	}
}

// messages lists the handshake message types of plaintext records.
func messages(recs []Record) []uint8 {
	var out []uint8
	for _, r := range recs {
		for _, h := range r.Handshake {
			out = append(out, h.Type)
		}
	}
	return out
}

// checkClientHello compares the parsed ClientHello with what crypto/tls saw.
func checkClientHello(t *testing.T, ch *ClientHello, info *tls.ClientHelloInfo) {
	t.Helper()
	if ch == nil {
		t.Fatal("no ClientHello decoded")
	}
	if ch.SNI != testHost || info.ServerName != testHost {
		t.Errorf("SNI = %q (crypto/tls %q), want %q", ch.SNI, info.ServerName, testHost)
	}
	if !slices.Equal(ch.ALPN, []string{"smtp"}) {
		t.Errorf("ALPN = %q, want [smtp]", ch.ALPN)
	}
	checks := []struct {
		name      string
		got, want []uint16
	}{
		{"CipherSuites", ch.CipherSuites, info.CipherSuites},
		{"SupportedVersions", ch.SupportedVersions, info.SupportedVersions},
		{"Extensions", ch.Extensions, info.Extensions},
		{"SupportedGroups", ch.SupportedGroups, curves(info.SupportedCurves)},
		{"SignatureAlgorithms", ch.SignatureAlgorithms, schemes(info.SignatureSchemes)},
	}
	for _, c := range checks {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %04x, crypto/tls saw %04x", c.name, c.got, c.want)
		}
	}
	if !slices.Equal(ch.ECPointFormats, info.SupportedPoints) {
		t.Errorf("ECPointFormats = %v, crypto/tls saw %v", ch.ECPointFormats, info.SupportedPoints)
	}
	// JA3 rebuilt from crypto/tls's view of the same hello (Go sends no GREASE).
	want := "771," + dashed(info.CipherSuites) + "," + dashed(info.Extensions) + "," +
		dashed(curves(info.SupportedCurves)) + "," + dashed8(info.SupportedPoints)
	if ch.JA3 != want {
		t.Errorf("JA3 = %q, want %q", ch.JA3, want)
	}
	if len(ch.JA3Hash) != 32 || len(ch.JA4) != len("t13d1516h2_8daaf6152771_b186095e22b6") {
		t.Errorf("JA3Hash %q / JA4 %q malformed", ch.JA3Hash, ch.JA4)
	}
}

func TestCryptoTLSHandshakes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version uint16
	}{
		{"TLS1.2", tls.VersionTLS12},
		{"TLS1.3", tls.VersionTLS13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runTLS(t, tc.version)
			c2s, s2c := replay(t, res.frames, whole)
			checkFraming(t, res.frames, wire.ClientToServer, c2s)
			checkFraming(t, res.frames, wire.ServerToClient, s2c)

			// ClientHello: first client record, version 0x0301 on the wire.
			if c2s[0].Type != TypeHandshake || len(c2s[0].Handshake) != 1 || c2s[0].Handshake[0].Type != HandshakeClientHello {
				t.Fatalf("first client record = %s", render(c2s[:1]))
			}
			checkClientHello(t, c2s[0].Handshake[0].ClientHello, res.hello)
			if want := "Handshake: ClientHello (SNI mail.example.org, ALPN smtp)"; c2s[0].Summary != want {
				t.Errorf("ClientHello summary = %q, want %q", c2s[0].Summary, want)
			}

			// ServerHello.
			if s2c[0].Type != TypeHandshake || len(s2c[0].Handshake) == 0 || s2c[0].Handshake[0].ServerHello == nil {
				t.Fatalf("first server record = %s", render(s2c[:1]))
			}
			sh := s2c[0].Handshake[0].ServerHello
			// ALPN is in the ServerHello up to TLS 1.2 (RFC 7301, Section 3.1),
			// in the encrypted EncryptedExtensions in TLS 1.3 (RFC 8446, Section 4.3.1).
			wantALPN := "smtp"
			if tc.version == tls.VersionTLS13 {
				wantALPN = ""
			}
			if sh.SelectedVersion != res.state.Version || sh.CipherSuite != res.state.CipherSuite || sh.ALPN != wantALPN {
				t.Errorf("ServerHello = version %04x suite %04x ALPN %q, crypto/tls negotiated %04x %04x %q",
					sh.SelectedVersion, sh.CipherSuite, sh.ALPN, res.state.Version, res.state.CipherSuite, res.state.NegotiatedProtocol)
			}
			if sh.HelloRetryRequest || sh.DowngradeSentinel != "" && tc.version == tls.VersionTLS13 {
				t.Errorf("ServerHello HRR %v sentinel %q", sh.HelloRetryRequest, sh.DowngradeSentinel)
			}

			if tc.version == tls.VersionTLS12 {
				checkTLS12(t, res, c2s, s2c)
			} else {
				checkTLS13(t, c2s, s2c)
			}
		})
	}
}

func checkTLS12(t *testing.T, res handshakeResult, c2s, s2c []Record) {
	t.Helper()
	// RFC 5246, Section 7.3: ServerHello, Certificate, ServerKeyExchange,
	// ServerHelloDone; then ChangeCipherSpec and an encrypted Finished.
	want := []uint8{HandshakeServerHello, HandshakeCertificate, HandshakeServerKeyExchange, HandshakeServerHelloDone}
	if got := messages(s2c); !slices.Equal(got, want) {
		t.Errorf("server messages = %v, want %v", got, want)
	}
	if got, want := messages(c2s), []uint8{HandshakeClientHello, HandshakeClientKeyExchange}; !slices.Equal(got, want) {
		t.Errorf("client messages = %v, want %v", got, want)
	}
	var certs []Certificate
	for _, r := range s2c {
		for _, h := range r.Handshake {
			if h.Type == HandshakeCertificate {
				certs = h.Certificates
			}
		}
	}
	if len(certs) != 1 {
		t.Fatalf("certificates = %+v, want 1", certs)
	}
	c := certs[0]
	if c.Subject != res.leaf.Subject.String() || c.Subject != "CN=mail.example.org,O=smtpscope test" ||
		!slices.Equal(c.SANs, []string{testHost}) || c.KeyAlgo != "ECDSA" || c.KeyBits != 256 ||
		c.SigAlgo != "ECDSA-SHA256" || !c.SelfSigned || !c.NotAfter.Equal(res.leaf.NotAfter) || c.Err != "" {
		t.Errorf("certificate = %+v", c)
	}
	for _, recs := range [][]Record{c2s, s2c} {
		ccs := slices.IndexFunc(recs, func(r Record) bool { return r.Type == TypeChangeCipherSpec })
		if ccs < 0 || ccs+1 >= len(recs) {
			t.Fatalf("no CCS followed by a record:\n%s", render(recs))
		}
		if recs[ccs].Encrypted || recs[ccs].Summary != "Change Cipher Spec" {
			t.Errorf("CCS record = %s", render(recs[ccs:ccs+1]))
		}
		fin := recs[ccs+1]
		if fin.Type != TypeHandshake || !fin.Encrypted || len(fin.Handshake) != 0 || fin.Summary != "Encrypted Handshake Message" {
			t.Errorf("record after CCS = %s", render(recs[ccs+1:ccs+2]))
		}
		for _, r := range recs[ccs+1:] {
			if !r.Encrypted {
				t.Errorf("plaintext record after CCS: %s", render([]Record{r}))
			}
		}
	}
	// The client's close_notify is an encrypted alert (type 21).
	if last := c2s[len(c2s)-1]; last.Type != TypeAlert || !last.Encrypted || last.Alert != nil {
		t.Errorf("last client record = %s", render([]Record{last}))
	}
}

func checkTLS13(t *testing.T, c2s, s2c []Record) {
	t.Helper()
	// RFC 8446, Section 2: only ServerHello (and compatibility CCS) in clear.
	if got := messages(s2c); !slices.Equal(got, []uint8{HandshakeServerHello}) {
		t.Errorf("server plaintext messages = %v, want [ServerHello]", got)
	}
	if !s2c[0].SelectsTLS13() {
		t.Errorf("SelectsTLS13 false on %s", render(s2c[:1]))
	}
	for _, recs := range [][]Record{c2s, s2c} {
		for i, r := range recs[1:] {
			switch r.Type {
			case TypeChangeCipherSpec:
				if r.Encrypted || r.Length != 1 {
					t.Errorf("record %d: CCS %s", i+1, render([]Record{r}))
				}
			case TypeApplicationData:
				if !r.Encrypted || r.Summary != "Application Data" {
					t.Errorf("record %d: %s", i+1, render([]Record{r}))
				}
			default:
				t.Errorf("record %d: unexpected type on the wire: %s", i+1, render([]Record{r}))
			}
		}
	}
}

func curves(cs []tls.CurveID) []uint16 {
	out := make([]uint16, len(cs))
	for i, c := range cs {
		out[i] = uint16(c)
	}
	return out
}

func schemes(ss []tls.SignatureScheme) []uint16 {
	out := make([]uint16, len(ss))
	for i, s := range ss {
		out[i] = uint16(s)
	}
	return out
}

func dashed(vs []uint16) string {
	b := []byte{}
	for i, v := range vs {
		if i > 0 {
			b = append(b, '-')
		}
		b = append(b, []byte(itoa(int(v)))...)
	}
	return string(b)
}

func dashed8(vs []uint8) string {
	b := []byte{}
	for i, v := range vs {
		if i > 0 {
			b = append(b, '-')
		}
		b = append(b, []byte(itoa(int(v)))...)
	}
	return string(b)
}

func TestSplitInvariance(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		res := runTLS(t, version)
		wc, ws := replay(t, res.frames, whole)
		want := render(wc) + render(ws)
		for name, split := range map[string]splitter{
			"1-byte":   oneByte,
			"random1":  randomSplits(1),
			"random2":  randomSplits(2),
			"random99": randomSplits(99),
		} {
			gc, gs := replay(t, res.frames, split)
			if got := render(gc) + render(gs); got != want {
				t.Errorf("%s %s splits:\n%s\nwant (whole):\n%s", tlsname.VersionName(version), name, got, want)
			}
		}
	}
}
