package tlsrec

import (
	"crypto/sha256"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/cryptobyte"
)

// ext is one extension to put in a hello.
type ext struct {
	typ  uint16
	data []byte
}

// helloSpec describes a ClientHello to build.
type helloSpec struct {
	legacy   uint16   // default 0x0303
	ciphers  []uint16 // default TLS_AES_128_GCM_SHA256, ECDHE-RSA-AES128-GCM
	versions []uint16 // supported_versions, appended when set
	exts     []ext
	noExts   bool // omit the extensions block
}

func build(f func(b *cryptobyte.Builder)) []byte {
	b := cryptobyte.NewBuilder(nil)
	f(b)
	return b.BytesOrPanic()
}

func u16s(b *cryptobyte.Builder, vs []uint16) {
	for _, v := range vs {
		b.AddUint16(v)
	}
}

func sniExt(host string) ext {
	return ext{extServerName, build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint8(0)
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(host)) })
		})
	})}
}

func alpnExt(names ...string) ext {
	return ext{extALPN, build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, n := range names {
				b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(n)) })
			}
		})
	})}
}

func listExt(typ uint16, vs ...uint16) ext {
	return ext{typ, build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { u16s(b, vs) })
	})}
}

func versionsExt(vs ...uint16) ext {
	return ext{extSupportedVersions, build(func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { u16s(b, vs) })
	})}
}

func keyShareExt(groups ...uint16) ext {
	return ext{extKeyShare, build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, g := range groups {
				b.AddUint16(g)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(make([]byte, 32)) })
			}
		})
	})}
}

func rawExt(typ uint16, data ...byte) ext { return ext{typ, data} }

// clientHelloBody builds a ClientHello body.
func clientHelloBody(t testing.TB, s helloSpec) []byte {
	t.Helper()
	if s.legacy == 0 {
		s.legacy = VersionTLS12
	}
	if s.ciphers == nil {
		s.ciphers = []uint16{0x1301, 0xc02f}
	}
	exts := s.exts
	if s.versions != nil {
		exts = append(slices.Clone(exts), versionsExt(s.versions...))
	}
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16(s.legacy)
		b.AddBytes(make([]byte, 32))
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte{7, 7, 7, 7}) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { u16s(b, s.ciphers) })
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
		if s.noExts {
			return
		}
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, e := range exts {
				b.AddUint16(e.typ)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.data) })
			}
		})
	})
}

// serverHelloBody builds a ServerHello with TLS_AES_128_GCM_SHA256; a TLS 1.3
// version goes in supported_versions.
func serverHelloBody(random [32]byte, version uint16, alpn string) []byte {
	return build(func(b *cryptobyte.Builder) {
		legacy := version
		if version == VersionTLS13 {
			legacy = VersionTLS12
		}
		b.AddUint16(legacy)
		b.AddBytes(random[:])
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {})
		b.AddUint16(0x1301)
		b.AddUint8(0)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			if version == VersionTLS13 {
				b.AddUint16(extSupportedVersions)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint16(version) })
			}
			if alpn != "" {
				e := alpnExt(alpn)
				b.AddUint16(e.typ)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.data) })
			}
		})
	})
}

// browserHello is the Chrome ClientHello published by browserleaks.com with
// its JA3 and JA4 (ja4_ro gives the order of ciphers and extensions), plus
// GREASE values where Chrome puts them.
func browserHello(t testing.TB) []byte {
	return clientHelloBody(t, helloSpec{
		ciphers: []uint16{0x2a2a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035},
		exts: []ext{
			rawExt(0x3a3a),
			rawExt(0x002d, 1, 1),
			keyShareExt(0x4a4a, 4588, 29),
			alpnExt("h2", "http/1.1"),
			rawExt(0xfe0d, 0, 0, 1, 0, 1, 0x42, 0, 0),
			rawExt(0x0017),
			rawExt(0x44cd, 0, 3, 2, 'h', '2'),
			sniExt("tls.browserleaks.com"),
			rawExt(0x000b, 1, 0),
			listExt(0x000a, 0x4a4a, 4588, 29, 23, 24),
			versionsExt(0x5a5a, VersionTLS13, VersionTLS12),
			rawExt(0xff01, 0),
			rawExt(0x0023),
			rawExt(0x0012),
			rawExt(0x0005, 1, 0, 0, 0, 0),
			listExt(0x000d, 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601),
			rawExt(0x001b, 2, 0, 2),
			rawExt(0x1a1a, 0),
		},
	})
}

func TestFingerprintVectors(t *testing.T) {
	tests := []struct {
		name              string
		body              []byte
		ja3, ja3Hash, ja4 string
	}{
		{
			name:    "browserleaks Chrome",
			body:    browserHello(t),
			ja3:     "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0",
			ja3Hash: "98487aa16281980e7d1120d399efb6a4",
			ja4:     "t13d1516h2_8daaf6152771_d8a2da3f94cd",
		},
		{
			// FoxIO JA4.md example: extension order and signature algorithms.
			name: "FoxIO JA4.md",
			body: clientHelloBody(t, helloSpec{
				ciphers: []uint16{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035},
				exts: []ext{
					rawExt(0x001b), sniExt("example.com"), keyShareExt(29), alpnExt("h2"), rawExt(0x4469),
					rawExt(0x0017), rawExt(0x002d, 1, 1),
					listExt(0x000d, 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601),
					rawExt(0x0005, 1, 0, 0, 0, 0), rawExt(0x0023), rawExt(0x0012), versionsExt(VersionTLS13, VersionTLS12),
					rawExt(0xff01, 0), rawExt(0x000b, 1, 0), listExt(0x000a, 29, 23), rawExt(0x0015, 0, 0),
				},
			}),
			ja3:     "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23,0",
			ja3Hash: "",
			ja4:     "t13d1516h2_8daaf6152771_e5627efa2ab1",
		},
		{
			name:    "no extensions",
			body:    clientHelloBody(t, helloSpec{legacy: VersionTLS10, ciphers: []uint16{0x0005, 0x000a}, noExts: true}),
			ja3:     "769,5-10,,,",
			ja3Hash: "",
			ja4:     "t10i020000_ecbe99380d04_000000000000", // sha256("0005,000a"),
		},
	}
	for _, tc := range tests {
		ch, err := parseClientHello(tc.body)
		if err != nil || ch == nil {
			t.Fatalf("%s: parseClientHello = %v, %v", tc.name, ch, err)
		}
		if ch.JA3 != tc.ja3 {
			t.Errorf("%s: JA3 = %q, want %q", tc.name, ch.JA3, tc.ja3)
		}
		if tc.ja3Hash != "" && ch.JA3Hash != tc.ja3Hash {
			t.Errorf("%s: JA3Hash = %q, want %q", tc.name, ch.JA3Hash, tc.ja3Hash)
		}
		if ch.JA4 != tc.ja4 {
			t.Errorf("%s: JA4 = %q, want %q", tc.name, ch.JA4, tc.ja4)
		}
	}
}

func TestJA4Parts(t *testing.T) {
	// Hashes from FoxIO's JA4.md.
	hashes := []struct{ in, want string }{
		{"002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9", "8daaf6152771"},
		{"0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01", "6d807ffa2a79"},
		{"", "000000000000"},
	}
	for _, h := range hashes {
		if got := hash12([]byte(h.in)); got != h.want {
			t.Errorf("hash12(%q) = %q, want %q", h.in, got, h.want)
		}
	}
	alpn := []struct {
		in   []byte
		want string
	}{
		{nil, "00"}, {[]byte("h2"), "h2"}, {[]byte("http/1.1"), "h1"}, {[]byte("smtp"), "sp"}, {[]byte("a"), "aa"},
		{[]byte{0xab}, "ab"}, {[]byte{0xab, 0xcd}, "ad"}, {[]byte{0x30, 0xab}, "3b"},
		{[]byte{0x30, 0x31, 0xab, 0xcd}, "3d"}, {[]byte{0x30, 0xab, 0xcd, 0x31}, "01"},
	}
	for _, a := range alpn {
		if got := ja4ALPN(a.in); got != a.want {
			t.Errorf("ja4ALPN(%q) = %q, want %q", a.in, got, a.want)
		}
	}
}

func TestClientHelloFields(t *testing.T) {
	ch, err := parseClientHello(browserHello(t))
	if err != nil {
		t.Fatal(err)
	}
	if ch.SNI != "tls.browserleaks.com" || !slices.Equal(ch.ALPN, []string{"h2", "http/1.1"}) ||
		!slices.Equal(ch.SupportedVersions, []uint16{0x5a5a, VersionTLS13, VersionTLS12}) || ch.MaxVersion() != VersionTLS13 ||
		!slices.Equal(ch.KeyShareGroups, []uint16{0x4a4a, 4588, 29}) || !slices.Equal(ch.ECPointFormats, []uint8{0}) ||
		len(ch.SessionID) != 4 || len(ch.CipherSuites) != 16 || len(ch.Extensions) != 18 {
		t.Errorf("ClientHello = %+v", ch)
	}
}

func TestClientHelloSanitizesSNI(t *testing.T) {
	body := clientHelloBody(t, helloSpec{exts: []ext{sniExt("evil\x1b[31m\u202e.example"), alpnExt("smtp\r\n")}})
	p, c := newTest(0, Options{})
	p.Feed(record(TypeHandshake, VersionTLS10, message(HandshakeClientHello, body)), posOf(0))
	ch := c.recs[0].Handshake[0].ClientHello
	if ch.SNI != `evil\x1b[31m\xe2\x80\xae.example` || ch.ALPN[0] != `smtp\x0d\x0a` {
		t.Errorf("SNI %q ALPN %q not sanitized", ch.SNI, ch.ALPN)
	}
	if s := c.recs[0].Summary; strings.ContainsAny(s, "\x1b\r\n\u202e") {
		t.Errorf("summary %q carries control characters", s)
	}
}

// TestClientHelloNoPrefixParses checks, cryptobyte style, that no strict
// prefix of a ClientHello parses as that ClientHello.
func TestClientHelloNoPrefixParses(t *testing.T) {
	res := runTLS(t, 0)
	goHello := frameIndependentlyBody(res.frames)
	for name, body := range map[string][]byte{"browser": browserHello(t), "crypto/tls": goHello} {
		full, err := parseClientHello(body)
		if full == nil || err != nil {
			t.Fatalf("%s: full hello = %v, %v", name, full, err)
		}
		// The only prefix that parses is the one ending right after the
		// compression methods: an extension-less ClientHello (RFC 5246,
		// Section 7.4.1.2), which is a different, smaller message.
		extStart := 2 + 32 + 1 + len(full.SessionID) + 2 + 2*len(full.CipherSuites) + 1 + len(full.Compression)
		for i := range len(body) {
			ch, _ := parseClientHello(body[:i])
			if ch != nil && (i != extStart || len(ch.Extensions) != 0) {
				t.Errorf("%s: prefix of %d/%d bytes parsed as %+v", name, i, len(body), ch)
			}
		}
		// Through the handshake layer no strict prefix completes a message.
		msg := message(HandshakeClientHello, body)
		for i := range len(msg) {
			p, c := newTest(0, Options{})
			p.Feed(record(TypeHandshake, VersionTLS10, msg[:i]), posOf(0))
			if n := len(messages(c.recs)); n != 0 {
				t.Errorf("%s: message prefix of %d bytes completed %d messages", name, i, n)
			}
		}
	}
}

// frameIndependentlyBody returns the body of the first client record's
// first handshake message.
func frameIndependentlyBody(frames []frame) []byte {
	for _, f := range frames {
		if f.dir == 0 {
			// record header 5, handshake header 4
			n := int(f.data[6])<<16 | int(f.data[7])<<8 | int(f.data[8])
			return f.data[9 : 9+n]
		}
	}
	return nil
}

func TestServerHello(t *testing.T) {
	var hrr, tls12, tls11, plain [32]byte
	copy(hrr[:], hrrRandom)
	copy(tls12[24:], downgradeTLS12)
	copy(tls11[24:], downgradeTLS11)
	tests := []struct {
		name     string
		body     []byte
		selected uint16
		hrr      bool
		sentinel string
		alpn     string
	}{
		{"tls13", serverHelloBody(plain, VersionTLS13, ""), VersionTLS13, false, "", ""},
		{"hrr", serverHelloBody(hrr, VersionTLS13, ""), VersionTLS13, true, "", ""},
		{"downgrade12", serverHelloBody(tls12, VersionTLS12, "smtp"), VersionTLS12, false, "tls12", "smtp"},
		{"downgrade11", serverHelloBody(tls11, VersionTLS11, ""), VersionTLS11, false, "tls11", ""},
	}
	for _, tc := range tests {
		sh, err := parseServerHello(tc.body)
		if err != nil || sh == nil {
			t.Fatalf("%s: parseServerHello = %v, %v", tc.name, sh, err)
		}
		if sh.SelectedVersion != tc.selected || sh.HelloRetryRequest != tc.hrr || sh.DowngradeSentinel != tc.sentinel || sh.ALPN != tc.alpn || sh.CipherSuite != 0x1301 {
			t.Errorf("%s: ServerHello = %+v", tc.name, sh)
		}
		for i := range len(tc.body) {
			if sh, _ := parseServerHello(tc.body[:i]); sh != nil && i != 2+32+1+2+1 {
				t.Errorf("%s: prefix of %d bytes parsed", tc.name, i)
			}
		}
	}
	if sum := sha256.Sum256([]byte("HelloRetryRequest")); string(sum[:]) != hrrRandom {
		t.Errorf("hrrRandom = %x, want %x", hrrRandom, sum)
	}
}

func TestMalformedExtensionKeepsHello(t *testing.T) {
	body := clientHelloBody(t, helloSpec{exts: []ext{sniExt(testHost), rawExt(extALPN, 0, 5, 9)}})
	ch, err := parseClientHello(body)
	if ch == nil || ch.SNI != testHost || err == nil || !strings.HasPrefix(err.Error(), "tlsrec: ClientHello: malformed extension 16 data") {
		t.Errorf("parseClientHello = %+v, %v", ch, err)
	}
}
