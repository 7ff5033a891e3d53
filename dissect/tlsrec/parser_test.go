package tlsrec

import (
	"bytes"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
	"golang.org/x/crypto/cryptobyte"
)

// record builds one record on the wire.
func record(typ uint8, ver uint16, payload []byte) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint8(typ)
	b.AddUint16(ver)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(payload) })
	return b.BytesOrPanic()
}

// message builds one handshake message.
func message(typ uint8, body []byte) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	return b.BytesOrPanic()
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// newTest returns a parser and its collector.
func newTest(dir wire.Dir, opts Options) (*Parser, *collector) {
	c := &collector{}
	return NewParser(dir, opts, c), c
}

func TestRecordSpanningThreeFeeds(t *testing.T) {
	p, c := newTest(wire.ServerToClient, Options{})
	rec := record(TypeApplicationData, VersionTLS12, bytes.Repeat([]byte{0xab}, 100))
	p.Feed(rec[:3], posOf(0))   // part of the header
	p.Feed(rec[3:50], posOf(1)) // rest of the header, part of the fragment
	if len(c.recs) != 0 {
		t.Fatalf("record reported before its last byte: %s", render(c.recs))
	}
	p.Feed(rec[50:], posOf(2))
	if len(c.recs) != 1 {
		t.Fatalf("got %d records, want 1", len(c.recs))
	}
	r := c.recs[0]
	if r.Pos != posOf(2) || r.FirstPos != posOf(0) || r.Length != 100 || !bytes.Equal(r.Fragment, rec[5:]) ||
		r.Type != TypeApplicationData || !r.Encrypted || r.Dir != wire.ServerToClient {
		t.Errorf("record = %s, want frame 3 first 1 len 100", render(c.recs))
	}
}

func TestSeveralRecordsInOneFeed(t *testing.T) {
	p, c := newTest(wire.ClientToServer, Options{})
	stream := concat(
		record(TypeAlert, VersionTLS12, []byte{2, 40}),
		record(TypeApplicationData, VersionTLS12, nil),
		record(TypeChangeCipherSpec, VersionTLS12, []byte{1}),
		record(TypeHeartbeat, VersionTLS12, []byte{1, 0x40, 0x00}),
	)
	p.Feed(stream, posOf(4))
	want := []struct {
		typ     uint8
		summary string
	}{
		{TypeAlert, "Alert: fatal handshake_failure"},
		{TypeApplicationData, "Application Data"},
		{TypeChangeCipherSpec, "Change Cipher Spec"},
		{TypeHeartbeat, "Encrypted Heartbeat"},
	}
	if len(c.recs) != len(want) {
		t.Fatalf("got %d records:\n%s", len(c.recs), render(c.recs))
	}
	for i, w := range want {
		if r := c.recs[i]; r.Type != w.typ || r.Summary != w.summary || r.Pos != posOf(4) || r.FirstPos != posOf(4) {
			t.Errorf("record %d = %d %q, want %d %q", i, r.Type, r.Summary, w.typ, w.summary)
		}
	}
	if a := c.recs[0].Alert; a == nil || *a != (Alert{Level: 2, Description: 40}) {
		t.Errorf("alert = %v, want fatal handshake_failure", a)
	}
}

func TestHeartbleed(t *testing.T) {
	p, c := newTest(wire.ClientToServer, Options{})
	p.Feed(record(TypeHeartbeat, VersionTLS11, []byte{1, 0x40, 0x00}), posOf(0))
	if got := c.recs[0].Summary; !strings.Contains(got, "Heartbleed") || !strings.HasPrefix(got, "Heartbeat request (payload_length 16384)") {
		t.Errorf("summary = %q, want a Heartbleed over-read", got)
	}
}

func TestCloseReportsPartialRecord(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		want    string
		typ     uint8
		fragLen int
	}{
		{"body", record(TypeApplicationData, VersionTLS12, make([]byte, 50))[:30], "Application Data [partial: 25 of 50 bytes]", TypeApplicationData, 25},
		{"header", []byte{22, 3, 1}, "Handshake [partial header: 3 of 5 bytes]", TypeHandshake, 0},
		{"handshake", record(TypeHandshake, VersionTLS10, message(HandshakeServerHelloDone, nil))[:7],
			"Handshake: partial message header [partial: 2 of 4 bytes]", TypeHandshake, 2},
	}
	for _, tc := range tests {
		p, c := newTest(wire.ClientToServer, Options{})
		p.Feed(tc.data[:2], posOf(0))
		p.Feed(tc.data[2:], posOf(1))
		p.Close(posOf(5))
		p.Feed([]byte{23, 3, 3, 0, 0}, posOf(6)) // ignored after Close
		if len(c.recs) != 1 {
			t.Fatalf("%s: got %d records:\n%s", tc.name, len(c.recs), render(c.recs))
		}
		r := c.recs[0]
		if !r.Partial || r.Summary != tc.want || r.Type != tc.typ || len(r.Fragment) != tc.fragLen || r.Pos != posOf(1) || r.FirstPos != posOf(0) {
			t.Errorf("%s: Close after %q = %s, want partial %q", tc.name, tc.data, render(c.recs), tc.want)
		}
	}
	// Nothing pending: Close reports nothing.
	p, c := newTest(wire.ClientToServer, Options{})
	p.Feed(record(TypeApplicationData, VersionTLS12, []byte{1}), posOf(0))
	p.Close(posOf(1))
	if len(c.recs) != 1 || c.recs[0].Partial {
		t.Errorf("Close at a record boundary reported %s", render(c.recs))
	}
}

func TestNotTLS(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"smtp", []byte("EHLO client.example\r\n"), `not TLS: unknown content type 69 (record header "EHLO ")`},
		{"sslv2", []byte{0x80, 0x2e, 0x01, 0x00, 0x02}, `not TLS: unknown content type 128 (record header "\x80.\x01\x00\x02")`},
		{"version", []byte{22, 2, 0, 0, 1, 1}, `not TLS: record version 0x0200 is not 3.x (record header "\x16\x02\x00\x00\x01")`},
		{"length", []byte{23, 3, 3, 0xff, 0xff}, `not TLS: record length 65535 exceeds 18432 (record header "\x17\x03\x03\xff\xff")`},
	}
	for _, tc := range tests {
		p, c := newTest(wire.ClientToServer, Options{})
		p.Feed(record(TypeApplicationData, VersionTLS12, []byte("ok")), posOf(0))
		for i := range tc.data {
			p.Feed(tc.data[i:i+1], posOf(1+i))
		}
		p.Feed(record(TypeApplicationData, VersionTLS12, []byte("ignored")), posOf(99))
		p.Close(posOf(100))
		if len(c.recs) != 2 || !p.Broken() {
			t.Fatalf("%s: Broken %v, records:\n%s", tc.name, p.Broken(), render(c.recs))
		}
		r := c.recs[1]
		if r.Type != 0 || r.Summary != tc.want || r.FirstPos != posOf(1) || r.Pos != posOf(5) {
			t.Errorf("%s: record = %s, want type 0 %q frames 2..6", tc.name, render(c.recs[1:]), tc.want)
		}
		if st := p.Stats(); st.Ignored != int64(len(tc.data)+12) {
			t.Errorf("%s: Ignored = %d, want %d", tc.name, st.Ignored, len(tc.data)+12)
		}
	}
}

func TestGapInsideRecordKeepsFraming(t *testing.T) {
	p, c := newTest(wire.ServerToClient, Options{})
	a := record(TypeApplicationData, VersionTLS12, bytes.Repeat([]byte{1}, 100))
	b := record(TypeApplicationData, VersionTLS12, []byte("next"))
	p.Feed(a[:40], posOf(0))
	p.Gap(30, posOf(1))
	p.Feed(a[70:], posOf(2))
	p.Feed(b, posOf(3))
	if len(c.recs) != 2 {
		t.Fatalf("records:\n%s", render(c.recs))
	}
	if r := c.recs[0]; r.Missing != 30 || r.Fragment != nil || r.Pos != posOf(2) || r.Summary != "Application Data [30 of 100 bytes missing]" {
		t.Errorf("record with a hole = %s", render(c.recs[:1]))
	}
	if r := c.recs[1]; string(r.Fragment) != "next" || r.Missing != 0 {
		t.Errorf("record after the hole = %s", render(c.recs[1:]))
	}
	// A gap ending exactly at the record's end keeps the framing too.
	p, c = newTest(wire.ServerToClient, Options{})
	p.Feed(a[:40], posOf(0))
	p.Gap(len(a)-40, posOf(1))
	p.Feed(b, posOf(2))
	if len(c.recs) != 2 || c.recs[0].Pos != posOf(1) || c.recs[0].Missing != 65 || string(c.recs[1].Fragment) != "next" {
		t.Errorf("records:\n%s", render(c.recs))
	}
}

func TestGapResync(t *testing.T) {
	// Encrypted-looking bytes (no plausible header inside), then records.
	junk := bytes.Repeat([]byte{0x17, 0x99}, 40)
	next := concat(
		record(TypeApplicationData, VersionTLS12, []byte("first after gap")),
		record(TypeAlert, VersionTLS12, []byte{1, 0}),
	)
	for name, split := range map[string]splitter{"whole": whole, "1-byte": oneByte, "random": randomSplits(7)} {
		p, c := newTest(wire.ServerToClient, Options{})
		p.Feed(record(TypeApplicationData, VersionTLS12, []byte("before")), posOf(0))
		p.Gap(1000, posOf(1))
		for _, piece := range split(concat(junk, next)) {
			p.Feed(piece, posOf(2))
		}
		if len(c.recs) != 3 || string(c.recs[1].Fragment) != "first after gap" || c.recs[2].Summary != "Alert: warning close_notify" {
			t.Fatalf("%s: records after a gap:\n%s", name, render(c.recs))
		}
		st := p.Stats()
		if p.Broken() || st.Resyncs != 1 || st.Ignored != int64(len(junk)) || st.GapBytes != 1000 {
			t.Errorf("%s: Broken %v stats %+v", name, p.Broken(), st)
		}
	}
}

func TestGapFalseResync(t *testing.T) {
	// A plausible header inside the junk claims 3 bytes; the "header" after
	// them is invalid: the parser goes back to scanning, not to "not TLS".
	junk := []byte{0x99, 23, 3, 3, 0, 3, 0xaa, 0xbb, 0xcc, 0xff, 0x00, 0x00, 0x00}
	p, c := newTest(wire.ServerToClient, Options{})
	p.Gap(10, posOf(0))
	p.Feed(concat(junk, record(TypeApplicationData, VersionTLS12, []byte("real"))), posOf(1))
	if p.Broken() || len(c.recs) != 2 || string(c.recs[1].Fragment) != "real" {
		t.Fatalf("Broken %v, records:\n%s", p.Broken(), render(c.recs))
	}
	if st := p.Stats(); st.FalseSync != 1 || st.Resyncs != 2 {
		t.Errorf("stats = %+v, want 1 false sync and 2 resyncs", st)
	}
}

func TestHandshakeSpanningRecords(t *testing.T) {
	body := bytes.Repeat([]byte{0x55}, 300)
	msg := concat(message(HandshakeServerKeyExchange, body), message(HandshakeServerHelloDone, nil))
	stream := concat(
		record(TypeHandshake, VersionTLS12, msg[:2]),
		record(TypeHandshake, VersionTLS12, msg[2:200]),
		record(TypeHandshake, VersionTLS12, msg[200:]),
	)
	p, c := newTest(wire.ServerToClient, Options{})
	p.Feed(stream, posOf(0))
	want := []string{
		"Handshake: partial message header",
		"Handshake: ServerKeyExchange (partial, 196 of 300 bytes)",
		"Handshake: ServerKeyExchange, ServerHelloDone",
	}
	for i, w := range want {
		if c.recs[i].Summary != w {
			t.Errorf("record %d summary = %q, want %q", i, c.recs[i].Summary, w)
		}
	}
	if got := messages(c.recs); len(got) != 2 || len(c.recs[0].Handshake) != 0 || len(c.recs[2].Handshake) != 2 || c.recs[2].Handshake[0].Length != 300 {
		t.Errorf("messages = %v:\n%s", got, render(c.recs))
	}
}

func TestHandshakeOverLimitSkipped(t *testing.T) {
	big := message(HandshakeServerKeyExchange, make([]byte, 3000))
	stream := concat(
		record(TypeHandshake, VersionTLS12, big[:1000]),
		record(TypeHandshake, VersionTLS12, big[1000:]),
		record(TypeHandshake, VersionTLS12, message(HandshakeServerHelloDone, nil)),
	)
	p, c := newTest(wire.ServerToClient, Options{MaxHandshake: 1024})
	p.Feed(stream, posOf(0))
	want := []string{
		"Handshake: ServerKeyExchange claims 3000 bytes, over the limit of 1024: skipped, ServerKeyExchange (skipping, 2004 bytes left)",
		"Handshake",
		"Handshake: ServerHelloDone",
	}
	for i, w := range want {
		if c.recs[i].Summary != w {
			t.Errorf("record %d summary = %q, want %q", i, c.recs[i].Summary, w)
		}
	}
	if st := p.Stats(); st.HandshakeSkipped != 1 {
		t.Errorf("HandshakeSkipped = %d, want 1", st.HandshakeSkipped)
	}
}

func TestHelloRetryRequestCompatCCS(t *testing.T) {
	// RFC 8446, Appendix D.4: ClientHello, HelloRetryRequest, then the
	// client's compatibility CCS and a second, plaintext ClientHello.
	hello := clientHelloBody(t, helloSpec{versions: []uint16{VersionTLS13, VersionTLS12}})
	p, c := newTest(wire.ClientToServer, Options{})
	p.Feed(record(TypeHandshake, VersionTLS10, message(HandshakeClientHello, hello)), posOf(0))
	p.Feed(record(TypeChangeCipherSpec, VersionTLS12, []byte{1}), posOf(1))
	p.Feed(record(TypeHandshake, VersionTLS12, message(HandshakeClientHello, hello)), posOf(1))
	p.SetEncrypted()
	p.Feed(record(TypeApplicationData, VersionTLS12, make([]byte, 40)), posOf(2))
	if len(c.recs) != 4 || len(c.recs[2].Handshake) != 1 || c.recs[2].Encrypted || c.recs[2].Handshake[0].ClientHello == nil {
		t.Errorf("second ClientHello not decoded:\n%s", render(c.recs))
	}
	// The same when the builder calls SetEncrypted after the retry request.
	p, c = newTest(wire.ClientToServer, Options{})
	p.Feed(record(TypeHandshake, VersionTLS10, message(HandshakeClientHello, hello)), posOf(0))
	p.SetEncrypted()
	p.Feed(record(TypeChangeCipherSpec, VersionTLS12, []byte{1}), posOf(1))
	p.Feed(record(TypeHandshake, VersionTLS12, message(HandshakeClientHello, hello)), posOf(1))
	p.SetEncrypted()
	p.Feed(record(TypeHandshake, VersionTLS12, make([]byte, 40)), posOf(2))
	if len(c.recs) != 4 || len(c.recs[2].Handshake) != 1 || c.recs[2].Encrypted || !c.recs[3].Encrypted {
		t.Errorf("second ClientHello after SetEncrypted:\n%s", render(c.recs))
	}
	// Without a retry the same CCS starts encryption (TLS 1.2 selected).
	p, c = newTest(wire.ClientToServer, Options{})
	p.Feed(record(TypeHandshake, VersionTLS10, message(HandshakeClientHello, hello)), posOf(0))
	p.Feed(record(TypeChangeCipherSpec, VersionTLS12, []byte{1}), posOf(1))
	p.Feed(record(TypeHandshake, VersionTLS12, bytes.Repeat([]byte{0x14}, 40)), posOf(1))
	if r := c.recs[2]; !r.Encrypted || len(r.Handshake) != 0 {
		t.Errorf("Finished after CCS = %s", render(c.recs[2:]))
	}
	// The server's own HelloRetryRequest does not start encryption.
	var hrr [32]byte
	copy(hrr[:], hrrRandom)
	p, c = newTest(wire.ServerToClient, Options{})
	p.Feed(record(TypeHandshake, VersionTLS12, message(HandshakeServerHello, serverHelloBody(hrr, VersionTLS13, ""))), posOf(0))
	p.Feed(record(TypeChangeCipherSpec, VersionTLS12, []byte{1}), posOf(1))
	p.Feed(record(TypeHandshake, VersionTLS12, message(HandshakeServerHello, serverHelloBody([32]byte{1}, VersionTLS13, ""))), posOf(2))
	p.Feed(record(TypeApplicationData, VersionTLS12, make([]byte, 40)), posOf(3))
	if len(c.recs) != 4 || c.recs[0].SelectsTLS13() || !c.recs[2].SelectsTLS13() || c.recs[2].Encrypted || p.Version() != VersionTLS13 {
		t.Errorf("HRR flow:\n%s", render(c.recs))
	}
	if c.recs[0].Summary != "Handshake: HelloRetryRequest (TLS 1.3, TLS_AES_128_GCM_SHA256)" {
		t.Errorf("HRR summary = %q", c.recs[0].Summary)
	}
}

func TestEncryptedAlertHeuristic(t *testing.T) {
	p, c := newTest(wire.ClientToServer, Options{})
	p.SetEncrypted()
	p.Feed(record(TypeAlert, VersionTLS12, make([]byte, 26)), posOf(0))
	p.Feed(record(TypeAlert, VersionTLS12, []byte{2, 70}), posOf(1))
	if !c.recs[0].Encrypted || c.recs[0].Alert != nil || c.recs[1].Encrypted || c.recs[1].Summary != "Alert: fatal protocol_version" {
		t.Errorf("alerts:\n%s", render(c.recs))
	}
}
