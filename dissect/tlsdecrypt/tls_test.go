package tlsdecrypt

import (
	"bytes"
	"crypto/tls"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// checkDecrypted asserts that both directions' application data decrypted
// to exactly what the sides wrote.
func checkDecrypted(t *testing.T, s session, res result) {
	t.Helper()
	for d := range 2 {
		if !bytes.Equal(res.app[d], s.wrote[d]) {
			t.Errorf("%s: decrypted %d bytes of application data, want the %d written (status %+v)",
				wire.Dir(d), len(res.app[d]), len(s.wrote[d]), res.status)
		}
	}
	if !res.status.Decrypting || res.status.Failed != 0 || res.status.Problem != ProblemNone {
		t.Errorf("status = %+v, want decrypting without failures", res.status)
	}
	if res.status.Suite != s.state.CipherSuite || res.status.Version != s.state.Version {
		t.Errorf("status suite %04x version %04x, crypto/tls negotiated %04x %04x",
			res.status.Suite, res.status.Version, s.state.CipherSuite, s.state.Version)
	}
}

func TestTLS13CryptoTLS(t *testing.T) {
	for _, useRSA := range []bool{false, true} {
		cert := testCertificate(t, useRSA)
		// A session cache makes the client offer PSK modes, so the server
		// sends NewSessionTicket (RFC 8446, Section 4.6.1).
		s := runTLS(t, &tls.Config{MinVersion: tls.VersionTLS13, ClientSessionCache: tls.NewLRUClientSessionCache(1)},
			&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13})
		if want := os.Getenv("TLSDECRYPT_WANT_SUITE"); want != "" && strconv.Itoa(int(s.state.CipherSuite)) != want {
			t.Fatalf("crypto/tls chose suite %04x, want %s", s.state.CipherSuite, want)
		}
		res := decryptChunks(t, s.chunks, s.keyLog, nil)
		checkDecrypted(t, s, res)
		// RFC 8446, Section 4: the server's encrypted flight, then the
		// client's Finished; NewSessionTicket after the server's Finished.
		wantS := []uint8{8, 11, 15, 20, 4}
		if got := res.types[wire.ServerToClient]; !slices.Equal(got[:min(len(got), 4)], wantS[:4]) || !slices.Contains(got, 4) {
			t.Errorf("server handshake messages %v, want %v (NewSessionTicket at least once)", got, wantS)
		}
		if got := res.types[wire.ClientToServer]; !slices.Equal(got, []uint8{20}) {
			t.Errorf("client handshake messages %v, want [20]", got)
		}
		// The close_notify alerts decrypt too (RFC 8446, Section 6.1).
		for d := range 2 {
			last := res.plain[d][len(res.plain[d])-1]
			if d == int(wire.ClientToServer) && (last.Type != tlsrec.TypeAlert || !bytes.Equal(last.Data, []byte{1, 0})) {
				t.Errorf("%s: last record %d %x, want close_notify alert", wire.Dir(d), last.Type, last.Data)
			}
		}
	}
}

// TestTLS13ChaCha runs TestTLS13CryptoTLS in a child process without AES
// hardware support, which makes crypto/tls prefer ChaCha20-Poly1305 (its
// TLS 1.3 suite choice cannot be configured).
func TestTLS13ChaCha(t *testing.T) {
	if os.Getenv("TLSDECRYPT_WANT_SUITE") != "" {
		t.Skip("child process")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestTLS13CryptoTLS$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GODEBUG=cpu.aes=off", "TLSDECRYPT_WANT_SUITE="+strconv.Itoa(int(tls.TLS_CHACHA20_POLY1305_SHA256)))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("PASS")) {
		t.Fatalf("child did not pass:\n%s", out)
	}
}

func TestTLS12CryptoTLS(t *testing.T) {
	tests := []struct {
		name    string
		suite   uint16
		rsa     bool
		version uint16
	}{
		{"ECDHE-ECDSA-AES128-GCM-SHA256", tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, false, tls.VersionTLS12},
		{"ECDHE-RSA-AES128-GCM-SHA256", tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true, tls.VersionTLS12},
		{"ECDHE-ECDSA-AES256-GCM-SHA384", tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, false, tls.VersionTLS12},
		{"ECDHE-RSA-AES256-GCM-SHA384", tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, true, tls.VersionTLS12},
		{"ECDHE-ECDSA-CHACHA20-POLY1305", tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, false, tls.VersionTLS12},
		{"ECDHE-RSA-CHACHA20-POLY1305", tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, true, tls.VersionTLS12},
		{"ECDHE-ECDSA-AES128-CBC-SHA", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, false, tls.VersionTLS12},
		{"ECDHE-RSA-AES256-CBC-SHA", tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, true, tls.VersionTLS12},
		{"ECDHE-ECDSA-AES128-CBC-SHA256", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, false, tls.VersionTLS12},
		{"ECDHE-RSA-AES128-CBC-SHA256", tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, true, tls.VersionTLS12},
		{"ECDHE-RSA-3DES-EDE-CBC-SHA", tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, true, tls.VersionTLS12},
		// TLS 1.1: explicit IV and the MD5/SHA-1 PRF; TLS 1.0: chained IVs.
		{"TLS1.1 ECDHE-RSA-AES128-CBC-SHA", tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true, tls.VersionTLS11},
		{"TLS1.0 ECDHE-ECDSA-AES256-CBC-SHA", tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, false, tls.VersionTLS10},
	}
	certs := map[bool]tls.Certificate{false: testCertificate(t, false), true: testCertificate(t, true)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conf := &tls.Config{CipherSuites: []uint16{tt.suite}, MinVersion: tt.version, MaxVersion: tt.version}
			srv := conf.Clone()
			srv.Certificates = []tls.Certificate{certs[tt.rsa]}
			s := runTLS(t, conf, srv)
			if s.state.CipherSuite != tt.suite || s.state.Version != tt.version {
				t.Fatalf("crypto/tls negotiated %04x %04x", s.state.CipherSuite, s.state.Version)
			}
			res := decryptChunks(t, s.chunks, s.keyLog, nil)
			checkDecrypted(t, s, res)
			// RFC 5246, Section 7.4.9: each side's first protected record
			// is its Finished.
			for d := range 2 {
				if len(res.plain[d]) == 0 || res.plain[d][0].Type != tlsrec.TypeHandshake || !slices.Equal(res.plain[d][0].Handshake, []uint8{tlsrec.HandshakeFinished}) {
					t.Errorf("%s: first decrypted record is not a Finished", wire.Dir(d))
				}
			}
		})
	}
}

// TestSplits feeds the same connection whole, byte by byte and in random
// pieces: tlsrec does the framing, so the plaintext must not change.
func TestSplits(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		cert := testCertificate(t, false)
		conf := &tls.Config{MinVersion: version, MaxVersion: version}
		srv := conf.Clone()
		srv.Certificates = []tls.Certificate{cert}
		s := runTLS(t, conf, srv)
		whole := decryptChunks(t, s.chunks, s.keyLog, nil)
		checkDecrypted(t, s, whole)
		rng := rand.New(rand.NewPCG(1, uint64(version)))
		random := func(n int) []int {
			var out []int
			for n > 0 {
				k := min(n, 1+rng.IntN(3000))
				out = append(out, k)
				n -= k
			}
			return out
		}
		for name, split := range map[string]func(int) []int{"1-byte": oneByte, "random": random} {
			got := decryptChunks(t, s.chunks, s.keyLog, split)
			for d := range 2 {
				if len(got.plain[d]) != len(whole.plain[d]) {
					t.Fatalf("%s %s: %d records, whole gave %d", name, wire.Dir(d), len(got.plain[d]), len(whole.plain[d]))
				}
				for i, p := range got.plain[d] {
					w := whole.plain[d][i]
					if p.Type != w.Type || !bytes.Equal(p.Data, w.Data) || !slices.Equal(p.Handshake, w.Handshake) {
						t.Errorf("%s %s record %d = %d %q %v, whole gave %d %q %v", name, wire.Dir(d), i, p.Type, p.Data, p.Handshake, w.Type, w.Data, w.Handshake)
					}
				}
			}
		}
	}
}

// corruptKeyLog flips a bit in every secret of a key log.
func corruptKeyLog(kl []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(kl, []byte("\n")) {
		if len(line) > 10 {
			line = bytes.Clone(line)
			c := &line[len(line)-1]
			if *c == '0' {
				*c = '1'
			} else {
				*c = '0'
			}
		}
		out = append(append(out, line...), '\n')
	}
	return out
}

func TestWrongKeyNoKeyUnsupported(t *testing.T) {
	cert := testCertificate(t, false)
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		conf := &tls.Config{MinVersion: version, MaxVersion: version}
		srv := conf.Clone()
		srv.Certificates = []tls.Certificate{cert}
		s := runTLS(t, conf, srv)

		res := decryptChunks(t, s.chunks, corruptKeyLog(s.keyLog), nil)
		if n := len(res.plain[0]) + len(res.plain[1]); n != 0 || res.status.Problem != ProblemAuth && res.status.Problem != ProblemGap ||
			res.status.Decrypting || res.status.Failed == 0 {
			t.Errorf("%04x wrong key: %d records decrypted, status %+v", version, n, res.status)
		}
		// The first failure names the likely cause.
		f := newFeeder(mustKeyLog(t, corruptKeyLog(s.keyLog)))
		for i, c := range s.chunks {
			f.feed(c, int64(i+1), nil)
			if st := f.conn.Status(); st.Failed > 0 {
				if st.Reason != "record failed authentication (wrong key?)" {
					t.Errorf("%04x wrong key: first failure reason %q", version, st.Reason)
				}
				break
			}
		}

		res = decryptChunks(t, s.chunks, []byte("# nothing\n"), nil)
		if res.status.Problem != ProblemNoKey || res.status.Reason != "no key for this client random" || res.status.Decrypting {
			t.Errorf("%04x no key: status %+v", version, res.status)
		}
	}
}

func mustKeyLog(t testing.TB, b []byte) *KeyLog {
	t.Helper()
	k, err := ParseKeyLog(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
