package tlsrec

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// directionStreams returns each direction's bytes of a recorded handshake.
func directionStreams(frames []frame) (c2s, s2c []byte) {
	for _, f := range frames {
		if f.dir == wire.ClientToServer {
			c2s = append(c2s, f.data...)
		} else {
			s2c = append(s2c, f.data...)
		}
	}
	return c2s, s2c
}

// fuzzRun feeds data (with a 17-byte gap at gapAt when it is inside data)
// through split and renders the records and stats; it fails t when the
// stats do not account for every byte and record.
func fuzzRun(t testing.TB, data []byte, gapAt int, encrypted bool, split splitter) string {
	t.Helper()
	c := &collector{}
	p := NewParser(wire.ServerToClient, Options{MaxRecord: 4096, MaxHandshake: 512, MaxCertChain: 1024}, c)
	if encrypted {
		p.SetEncrypted()
	}
	parts := [][]byte{data}
	if gapAt >= 0 && gapAt <= len(data) {
		parts = [][]byte{data[:gapAt], data[gapAt:]}
	}
	for i, part := range parts {
		if i > 0 {
			p.Gap(17, posOf(10))
		}
		for _, piece := range split(part) {
			p.Feed(piece, posOf(i*20))
		}
	}
	p.Close(posOf(99))
	st := p.Stats()
	if st.Bytes != int64(len(data)) || st.Records != int64(len(c.recs)) {
		t.Fatalf("stats do not add up: %d bytes, %d records counted; %d bytes fed, %d records delivered",
			st.Bytes, st.Records, len(data), len(c.recs))
	}
	return render(c.recs) + strings.Repeat("+", int(st.Resyncs))
}

func FuzzParser(f *testing.F) {
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		c2s, s2c := directionStreams(runTLS(f, v).frames)
		f.Add(c2s, uint64(1), -1, false)
		f.Add(s2c, uint64(2), 100, false)
		f.Add(s2c, uint64(3), len(s2c)/2, true)
	}
	f.Add(record(TypeAlert, VersionTLS12, []byte{2, 40}), uint64(4), -1, false)
	f.Add(record(TypeHeartbeat, VersionTLS12, []byte{1, 0x40, 0}), uint64(5), -1, false)
	f.Add([]byte("EHLO client.example\r\n"), uint64(6), 3, false)
	f.Add(concat(record(TypeHandshake, VersionTLS12, message(HandshakeCertificate, make([]byte, 2000))),
		record(TypeChangeCipherSpec, VersionTLS12, []byte{1})), uint64(7), -1, false)
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, gapAt int, encrypted bool) {
		want := fuzzRun(t, data, gapAt, encrypted, whole)
		if got := fuzzRun(t, data, gapAt, encrypted, oneByte); got != want {
			t.Fatalf("1-byte splits:\n%s\nwhole:\n%s", got, want)
		}
		if got := fuzzRun(t, data, gapAt, encrypted, randomSplits(seed)); got != want {
			t.Fatalf("random splits:\n%s\nwhole:\n%s", got, want)
		}
	})
}

func FuzzClientHello(f *testing.F) {
	f.Add(browserHello(f))
	f.Add(clientHelloBody(f, helloSpec{noExts: true}))
	f.Add(clientHelloBody(f, helloSpec{exts: []ext{sniExt("a\x00b"), alpnExt("\xff"), keyShareExt(29)}, versions: []uint16{0x0304}}))
	f.Add(frameIndependentlyBody(runTLS(f, tls.VersionTLS13).frames))
	f.Fuzz(func(t *testing.T, body []byte) {
		ch, err := parseClientHello(body)
		if ch == nil {
			if err == nil {
				t.Fatalf("parseClientHello(%q) = nil, nil", body)
			}
			return
		}
		if len(ch.JA3Hash) != 32 || len(ch.JA4) != len("t13d1516h2_8daaf6152771_b186095e22b6") {
			t.Errorf("parseClientHello(%q): JA3Hash %q JA4 %q", body, ch.JA3Hash, ch.JA4)
		}
		for _, s := range append([]string{ch.SNI}, ch.ALPN...) {
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Errorf("parseClientHello(%q): unsanitized %q", body, s)
			}
		}
		// A strict prefix never parses with all the extensions.
		if len(ch.Extensions) > 0 {
			if p, _ := parseClientHello(body[:len(body)-1]); p != nil && len(p.Extensions) == len(ch.Extensions) {
				t.Errorf("parseClientHello(%q): prefix parses with the same extensions", body)
			}
		}
		// Other decoders must not panic on the same bytes either.
		_, _ = parseServerHello(body)
		_, _ = parseCertificates(body, nil)
	})
}
