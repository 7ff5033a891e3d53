package tlsdecrypt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/cryptobyte"
)

// This file builds TLS connections record by record, for what crypto/tls
// never sends: TLS_AES_256_GCM_SHA384, KeyUpdate, encrypt-then-MAC, lost
// records. The sealing side is written independently of the package (the
// standard library's HKDF and CBC, labels spelled out by hand).

// record frames a fragment (RFC 8446, Section 5.1).
func record(typ uint8, ver uint16, frag []byte) []byte {
	return append([]byte{typ, byte(ver >> 8), byte(ver), byte(len(frag) >> 8), byte(len(frag))}, frag...)
}

// hello builds a ClientHello (client) or ServerHello record.
func hello(client bool, random [32]byte, suite uint16, exts map[uint16][]byte) []byte {
	var b cryptobyte.Builder
	typ := uint8(tlsrec.HandshakeServerHello)
	if client {
		typ = tlsrec.HandshakeClientHello
	}
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(0x0303)
		b.AddBytes(random[:])
		b.AddUint8LengthPrefixed(func(*cryptobyte.Builder) {})
		if client {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint16(suite) })
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
		} else {
			b.AddUint16(suite)
			b.AddUint8(0)
		}
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, typ := range []uint16{22, 43} {
				if data, ok := exts[typ]; ok {
					b.AddUint16(typ)
					b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(data) })
				}
			}
		})
	})
	return record(tlsrec.TypeHandshake, 0x0303, b.BytesOrPanic())
}

// hsMsg builds a handshake message.
func hsMsg(typ uint8, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// testLabel is HKDF-Expand-Label, spelled out (RFC 8446, Section 7.1).
func testLabel(t testing.TB, h func() hash.Hash, secret []byte, label string, n int) []byte {
	t.Helper()
	full := "tls13 " + label
	info := append([]byte{byte(n >> 8), byte(n), byte(len(full))}, full...)
	info = append(info, 0)
	out, err := hkdf.Expand(h, secret, string(info), n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sealer13 protects TLS 1.3 records of one direction.
type sealer13 struct {
	t      testing.TB
	suite  uint16
	secret []byte
	aead   cipher.AEAD
	iv     []byte
	seq    uint64
}

func (s *sealer13) hash() func() hash.Hash {
	if s.suite == tlsAES256GCMSHA384 {
		return sha512.New384
	}
	return sha256.New
}

// setSecret installs a traffic secret (RFC 8446, Section 7.3).
func (s *sealer13) setSecret(secret []byte) {
	s.secret = secret
	keyLen := 16
	if s.suite != tlsAES128GCMSHA256 {
		keyLen = 32
	}
	key := testLabel(s.t, s.hash(), secret, "key", keyLen)
	s.iv = testLabel(s.t, s.hash(), secret, "iv", 12)
	var err error
	if s.suite == tlsCHACHA20POLY1305SHA256 {
		s.aead, err = chacha20poly1305.New(key)
	} else {
		var b cipher.Block
		if b, err = aes.NewCipher(key); err == nil {
			s.aead, err = cipher.NewGCM(b)
		}
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.seq = 0
}

// seal returns a protected record with inner type typ and pad zero bytes.
func (s *sealer13) seal(typ uint8, data []byte, pad int) []byte {
	inner := append(append(bytes.Clone(data), typ), make([]byte, pad)...)
	n := len(inner) + s.aead.Overhead()
	hdr := []byte{tlsrec.TypeApplicationData, 3, 3, byte(n >> 8), byte(n)}
	nonce := bytes.Clone(s.iv)
	for i := range 8 {
		nonce[4+i] ^= byte(s.seq >> (56 - 8*i))
	}
	s.seq++
	return append(hdr, s.aead.Seal(nil, nonce, inner, hdr)...)
}

// secretOf returns a deterministic test secret.
func secretOf(name string, n int) []byte {
	h := sha512.Sum512([]byte(name))
	return h[:n]
}

// conn13 is a synthetic TLS 1.3 connection: hellos, the server's flight,
// the client's Finished, then the given application records.
type conn13 struct {
	chunks []chunk
	keyLog []byte
	seal   [2]*sealer13
}

func newConn13(t testing.TB, suite uint16) *conn13 {
	hl := 32
	if suite == tlsAES256GCMSHA384 {
		hl = 48
	}
	var cr, sr [32]byte
	copy(cr[:], secretOf("client random", 32))
	copy(sr[:], secretOf("server random", 32))
	c := &conn13{}
	secrets := map[string][]byte{}
	for _, l := range []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
		secrets[l] = secretOf(l, hl)
		c.keyLog = fmt.Appendf(c.keyLog, "%s %x %x\n", l, cr, secrets[l])
	}
	for d := range c.seal {
		c.seal[d] = &sealer13{t: t, suite: suite}
	}
	cs, ss := c.seal[wire.ClientToServer], c.seal[wire.ServerToClient]
	cs.setSecret(secrets["CLIENT_HANDSHAKE_TRAFFIC_SECRET"])
	ss.setSecret(secrets["SERVER_HANDSHAKE_TRAFFIC_SECRET"])
	c.add(wire.ClientToServer, hello(true, cr, suite, map[uint16][]byte{43: {2, 3, 4}}))
	c.add(wire.ServerToClient, hello(false, sr, suite, map[uint16][]byte{43: {3, 4}}))
	c.add(wire.ServerToClient, record(tlsrec.TypeChangeCipherSpec, 0x0303, []byte{1}))
	// EncryptedExtensions and Certificate in one record, then
	// CertificateVerify split over two records, then Finished.
	cv := hsMsg(15, bytes.Repeat([]byte{0xcc}, 40))
	c.add(wire.ServerToClient, ss.seal(tlsrec.TypeHandshake, append(hsMsg(8, []byte{0, 0}), hsMsg(11, make([]byte, 300))...), 0))
	c.add(wire.ServerToClient, ss.seal(tlsrec.TypeHandshake, cv[:10], 3))
	c.add(wire.ServerToClient, ss.seal(tlsrec.TypeHandshake, cv[10:], 0))
	c.add(wire.ServerToClient, ss.seal(tlsrec.TypeHandshake, hsMsg(tlsrec.HandshakeFinished, make([]byte, hl)), 0))
	ss.setSecret(secrets["SERVER_TRAFFIC_SECRET_0"])
	c.add(wire.ClientToServer, record(tlsrec.TypeChangeCipherSpec, 0x0303, []byte{1}))
	c.add(wire.ClientToServer, cs.seal(tlsrec.TypeHandshake, hsMsg(tlsrec.HandshakeFinished, make([]byte, hl)), 0))
	cs.setSecret(secrets["CLIENT_TRAFFIC_SECRET_0"])
	return c
}

func (c *conn13) add(d wire.Dir, b []byte) { c.chunks = append(c.chunks, chunk{dir: d, data: b}) }

// app adds an application data record.
func (c *conn13) app(d wire.Dir, text string, pad int) {
	c.add(d, c.seal[d].seal(tlsrec.TypeApplicationData, []byte(text), pad))
}

// keyUpdate sends KeyUpdate and moves d to its next secret (RFC 8446,
// Section 4.6.3).
func (c *conn13) keyUpdate(t testing.TB, d wire.Dir) {
	s := c.seal[d]
	c.add(d, s.seal(tlsrec.TypeHandshake, hsMsg(tlsrec.HandshakeKeyUpdate, []byte{0}), 0))
	s.setSecret(testLabel(t, s.hash(), s.secret, "traffic upd", len(s.secret)))
}

func TestTLS13Synthetic(t *testing.T) {
	for _, suite := range []uint16{tlsAES128GCMSHA256, tlsAES256GCMSHA384, tlsCHACHA20POLY1305SHA256} {
		t.Run(hex4(suite), func(t *testing.T) {
			c := newConn13(t, suite)
			c.app(wire.ServerToClient, "220 mail.example.org ESMTP\r\n", 0)
			c.app(wire.ClientToServer, "EHLO client.example\r\n", 100)
			c.keyUpdate(t, wire.ClientToServer)
			c.app(wire.ClientToServer, "MAIL FROM:<a@example.org>\r\n", 0)
			c.keyUpdate(t, wire.ServerToClient)
			c.keyUpdate(t, wire.ServerToClient)
			c.app(wire.ServerToClient, "250 OK\r\n", 7)
			c.add(wire.ClientToServer, c.seal[wire.ClientToServer].seal(tlsrec.TypeAlert, []byte{1, 0}, 0))
			res := decryptChunks(t, c.chunks, c.keyLog, nil)
			want := [2]string{"EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n", "220 mail.example.org ESMTP\r\n250 OK\r\n"}
			for d := range 2 {
				if string(res.app[d]) != want[d] {
					t.Errorf("%s: %q, want %q", wire.Dir(d), res.app[d], want[d])
				}
			}
			if got := fmt.Sprint(res.types); got != "[[20 24] [8 11 15 20 24 24]]" {
				t.Errorf("handshake types %s", got)
			}
			if st := res.status; !st.Decrypting || st.Failed != 0 || st.Decrypted != 13 {
				t.Errorf("status %+v, want 13 records decrypted", st)
			}
			last := res.plain[wire.ClientToServer][len(res.plain[wire.ClientToServer])-1]
			if last.Type != tlsrec.TypeAlert || !bytes.Equal(last.Data, []byte{1, 0}) {
				t.Errorf("last client record %d %x, want alert 0100", last.Type, last.Data)
			}
		})
	}
}

// TestTLS13LostRecords drops records: a whole-record gap the Conn is told
// about (Gap), the record with the server's Finished, and a framed record
// whose bytes were lost (tlsrec reports it with Missing).
func TestTLS13LostRecords(t *testing.T) {
	c := newConn13(t, tlsAES128GCMSHA256)
	finished := len(c.chunks) - 3 // the server's Finished record
	c.app(wire.ClientToServer, "EHLO a\r\n", 0)
	c.app(wire.ClientToServer, "lost\r\n", 0)
	lost := len(c.chunks) - 1
	c.app(wire.ClientToServer, "MAIL FROM:<>\r\n", 0)
	c.app(wire.ServerToClient, "250 first\r\n", 0)
	c.app(wire.ServerToClient, "250 second\r\n", 0)
	keys := mustKeyLog(t, c.keyLog)
	f := newFeeder(keys)
	for i, ch := range c.chunks {
		switch i {
		case finished:
			// Not even framed: the server parser is told of a gap at a
			// record boundary (it then scans for the next header).
			f.parsers[ch.dir].Gap(len(ch.data), wire.Pos{Frame: int64(i + 1)})
			f.conn.Gap(ch.dir)
			continue
		case lost:
			// Framed, content lost: the record's sequence number is used.
			f.parsers[ch.dir].Feed(ch.data[:5], wire.Pos{Frame: int64(i + 1)})
			f.parsers[ch.dir].Gap(len(ch.data)-5, wire.Pos{Frame: int64(i + 1)})
			continue
		}
		f.feed(ch, int64(i+1), nil)
	}
	res := f.close()
	if got, want := string(res.app[wire.ClientToServer]), "EHLO a\r\nMAIL FROM:<>\r\n"; got != want {
		t.Errorf("client: %q, want %q", got, want)
	}
	if got, want := string(res.app[wire.ServerToClient]), "250 first\r\n250 second\r\n"; got != want {
		t.Errorf("server: %q, want %q", got, want)
	}
	if st := res.status; !st.Decrypting || st.Failed != 1 {
		t.Errorf("status %+v, want decrypting after one lost record", st)
	}
}

// TestUnsupportedSuite: a TLS 1.3 ServerHello selecting TLS_AES_128_CCM_SHA256.
func TestUnsupportedSuite(t *testing.T) {
	c := newConn13(t, tlsAES128GCMSHA256)
	var sr [32]byte
	c.chunks[1].data = hello(false, sr, 0x1304, map[uint16][]byte{43: {3, 4}})
	res := decryptChunks(t, c.chunks, c.keyLog, nil)
	if st := res.status; st.Problem != ProblemSuite || st.Reason != "unsupported cipher suite 0x1304" || st.Decrypting || st.Decrypted != 0 {
		t.Errorf("status %+v", st)
	}
}

// TestNoHello: protected records without the handshake.
func TestNoHello(t *testing.T) {
	c := newConn13(t, tlsAES128GCMSHA256)
	c.app(wire.ClientToServer, "EHLO a\r\n", 0)
	res := decryptChunks(t, c.chunks[len(c.chunks)-1:], c.keyLog, nil)
	if st := res.status; st.Problem != ProblemNoHello || st.Failed != 1 {
		t.Errorf("status %+v", st)
	}
}

// seal12CBC protects a TLS 1.2 CBC record with encrypt-then-MAC (RFC 7366,
// Section 3) or MAC-then-encrypt (RFC 5246, Section 6.2.3.2), with
// HMAC-SHA1 and AES, independently of the package.
func seal12CBC(t testing.TB, etm bool, macKey, key []byte, seq uint64, typ uint8, data []byte, pad int) []byte {
	t.Helper()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	mac := func(content []byte) []byte {
		m := hmac.New(sha1.New, macKey)
		var h [13]byte
		binary.BigEndian.PutUint64(h[:], seq)
		h[8], h[9], h[10] = typ, 3, 3
		binary.BigEndian.PutUint16(h[11:], uint16(len(content)))
		m.Write(h[:])
		m.Write(content)
		return m.Sum(nil)
	}
	pt := bytes.Clone(data)
	if !etm {
		pt = append(pt, mac(data)...)
	}
	for (len(pt)+pad+1)%16 != 0 {
		pad++
	}
	for range pad + 1 {
		pt = append(pt, byte(pad))
	}
	iv := secretOf(fmt.Sprint("iv", seq), 16)
	ct := make([]byte, len(pt))
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(ct, pt)
	frag := append(iv, ct...)
	if etm {
		frag = append(frag, mac(frag)...)
	}
	return record(typ, 0x0303, frag)
}

// conn12 builds a TLS 1.2 AES-128-CBC-SHA connection, with
// encrypt_then_mac in both hellos when etm is set.
func conn12(t testing.TB, etm bool) ([]chunk, []byte) {
	const suite = 0xC013 // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
	var cr, sr [32]byte
	copy(cr[:], secretOf("cr12", 32))
	copy(sr[:], secretOf("sr12", 32))
	master := secretOf("master", 48)
	keyLog := fmt.Appendf(nil, "# test\nCLIENT_RANDOM %X %x\n", cr, master)
	// RFC 5246, Section 6.3: the key block, computed with the package's PRF
	// (checked against crypto/tls by TestTLS12CryptoTLS).
	kb := make([]byte, 2*(20+16))
	prf12(kb, master, "key expansion", append(sr[:], cr[:]...), sha256.New)
	cMAC, sMAC, cKey, sKey := kb[:20], kb[20:40], kb[40:56], kb[56:72]
	exts := map[uint16][]byte{}
	if etm {
		exts[22] = nil
	}
	return []chunk{
		{wire.ClientToServer, hello(true, cr, suite, exts)},
		{wire.ServerToClient, hello(false, sr, suite, exts)},
		{wire.ClientToServer, record(tlsrec.TypeChangeCipherSpec, 0x0303, []byte{1})},
		{wire.ClientToServer, seal12CBC(t, etm, cMAC, cKey, 0, tlsrec.TypeHandshake, hsMsg(tlsrec.HandshakeFinished, make([]byte, 12)), 0)},
		{wire.ServerToClient, record(tlsrec.TypeChangeCipherSpec, 0x0303, []byte{1})},
		{wire.ServerToClient, seal12CBC(t, etm, sMAC, sKey, 0, tlsrec.TypeHandshake, hsMsg(tlsrec.HandshakeFinished, make([]byte, 12)), 32)},
		{wire.ServerToClient, seal12CBC(t, etm, sMAC, sKey, 1, tlsrec.TypeApplicationData, []byte("220 ready\r\n"), 0)},
		{wire.ClientToServer, seal12CBC(t, etm, cMAC, cKey, 1, tlsrec.TypeApplicationData, []byte("EHLO x\r\n"), 16)},
		{wire.ClientToServer, seal12CBC(t, etm, cMAC, cKey, 2, tlsrec.TypeAlert, []byte{1, 0}, 0)},
	}, keyLog
}

// TestTLS12EncryptThenMAC decrypts TLS 1.2 CBC records with and without
// encrypt-then-MAC (RFC 7366).
func TestTLS12EncryptThenMAC(t *testing.T) {
	for _, etm := range []bool{true, false} {
		chunks, keyLog := conn12(t, etm)
		res := decryptChunks(t, chunks, keyLog, nil)
		if string(res.app[0]) != "EHLO x\r\n" || string(res.app[1]) != "220 ready\r\n" || res.status.Failed != 0 || res.status.Decrypted != 5 {
			t.Errorf("etm=%v: %q %q, status %+v", etm, res.app[0], res.app[1], res.status)
		}
		// With the extension in one hello only, RFC 7366 is not in force:
		// the EtM records no longer authenticate.
		if etm {
			plain, _ := conn12(t, false)
			chunks[1] = plain[1]
			res = decryptChunks(t, chunks, keyLog, nil)
			if res.status.Decrypted != 0 || res.status.Problem != ProblemAuth {
				t.Errorf("etm offered only: status %+v", res.status)
			}
		}
	}
}
