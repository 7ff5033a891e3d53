package report

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

// collect is an engine target that keeps every finished session.
type collect struct {
	engine.Nop
	sessions []*session.Session
}

func (c *collect) Finished(s *session.Session) { c.sessions = append(c.sessions, s) }

// dissect returns the sessions of a capture, decrypted with keys when given.
func dissect(t *testing.T, name string, r io.Reader, keys io.Reader) []*session.Session {
	t.Helper()
	f, err := capture.NewFile(r, name, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	if keys != nil {
		if opts.Session.Keys, err = tlsdecrypt.ParseKeyLog(keys); err != nil {
			t.Fatal(err)
		}
	}
	c := &collect{}
	if _, err := engine.Run(context.Background(), f, opts, c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c.sessions
}

// sameBytes checks that the hand-written encoder writes every session as
// encoding/json writes the reference structs, byte for byte, and returns
// how many bytes were compared.
func sameBytes(t *testing.T, what string, sessions []*session.Session) int {
	t.Helper()
	var got, want bytes.Buffer
	fast, ref := NewJSON(&got), newRefJSON(&want)
	slow := NewJSON(&bytes.Buffer{})
	for _, s := range sessions {
		got.Reset()
		want.Reset()
		if err := fast.Write(s); err != nil {
			t.Fatalf("%s #%d: %v", what, s.Stream, err)
		}
		if err := ref.Write(s); err != nil {
			t.Fatalf("%s #%d: reference: %v", what, s.Stream, err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%s #%d: NDJSON differs from encoding/json at byte %d:\n got %s\nwant %s", what, s.Stream,
				firstByteDiff(got.Bytes(), want.Bytes()), around(got.Bytes(), want.Bytes()), around(want.Bytes(), got.Bytes()))
		}
		// The fallback for model types this file does not know (as after
		// another package added a field) writes the same bytes too.
		slow.hand = handTypes{}
		b, err := slow.appendSession(nil, s)
		if err != nil || !bytes.Equal(append(b, '\n'), want.Bytes()) {
			t.Fatalf("%s #%d: the encoding/json fallback differs (%v)", what, s.Stream, err)
		}
	}
	return len(want.Bytes())
}

func firstByteDiff(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// around shows a's bytes near the first difference from b.
func around(a, b []byte) string {
	i := firstByteDiff(a, b)
	return string(a[max(0, i-60):min(len(a), i+60)])
}

// TestNDJSONSameBytes: every sample capture, with and without its key log,
// written by hand and by encoding/json, gives the same bytes.
func TestNDJSONSameBytes(t *testing.T) {
	n := 0
	for _, name := range pcaps.Names() {
		data, err := fs(name)
		if err != nil {
			t.Fatal(err)
		}
		sessions := dissect(t, name, bytes.NewReader(data), nil)
		if len(sessions) == 0 {
			t.Fatalf("%s: no session", name)
		}
		sameBytes(t, name, sessions)
		n += len(sessions)
		if k := pcaps.KeyLog(name); k != "" {
			keys, err := fs(k)
			if err != nil {
				t.Fatal(err)
			}
			sameBytes(t, name+" with keys", dissect(t, name, bytes.NewReader(data), bytes.NewReader(keys)))
		}
	}
	if n < 20 {
		t.Fatalf("only %d sample sessions compared", n)
	}
}

func fs(name string) ([]byte, error) {
	f, err := pcaps.FS().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// TestNDJSONSameBytesBench compares on a large capture when
// SMTPSCOPE_BENCH_PCAP names one (e.g. /tmp/bench-small.pcap from
// shared/bench, with SMTPSCOPE_BENCH_KEYLOG).
func TestNDJSONSameBytesBench(t *testing.T) {
	p := os.Getenv("SMTPSCOPE_BENCH_PCAP")
	if p == "" {
		t.Skip("SMTPSCOPE_BENCH_PCAP not set (a shared/bench capture to compare on)")
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var keys io.Reader
	if k := os.Getenv("SMTPSCOPE_BENCH_KEYLOG"); k != "" {
		kb, err := os.ReadFile(k)
		if err != nil {
			t.Fatal(err)
		}
		keys = bytes.NewReader(kb)
	}
	sessions := dissect(t, p, f, keys)
	t.Logf("%d sessions, %d bytes of NDJSON compared", len(sessions), sameBytes(t, p, sessions))
}

// TestNDJSONRandomSessions fills every exported field of the model with
// random values (hostile strings: controls, quotes, backslashes, invalid
// UTF-8, U+2028, odd times and durations, nil and empty lists) and
// compares the two encoders: a field someone adds to the model is covered
// without changing this test.
func TestNDJSONRandomSessions(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	var sessions []*session.Session
	for i := 0; i < 3000; i++ {
		s := &session.Session{}
		fill(r, reflect.ValueOf(s).Elem(), 0)
		sessions = append(sessions, s)
	}
	sameBytes(t, "random", sessions)
}

func randString(r *rand.Rand) string {
	// what random strings are made of
	pieces := []string{"", "a", "EHLO x", `"`, `\`, "\x00", "\x1f", "\b\f\n\r\t", "\x7f", "\x80", "\xff", "é", "\u2028", "\u2029",
		"\u202e", "<&>", "\xe2\x80", "\U0001F600", "\\x5c", "[red]", "\ufffd", "\xed\xa0\x80"}
	var sb strings.Builder
	for n := r.IntN(5); n > 0; n-- {
		sb.WriteString(pieces[r.IntN(len(pieces))])
	}
	return sb.String()
}

func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		secs := []int64{0, 1, 1700000000, -62135596800 + 86400, 253402200000}[r.IntN(5)]
		v.Set(reflect.ValueOf(time.Unix(secs+r.Int64N(1000), []int64{0, 1, 1000, 500000000, 999999999}[r.IntN(5)]).In(time.FixedZone("x", 3600*r.IntN(3)))))
		return
	case reflect.TypeFor[time.Duration]():
		v.SetInt([]int64{0, 1, 999, 1000, 1500, 123456789, -5000, 1 << 62, 7}[r.IntN(9)])
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i), depth+1)
			}
		}
	case reflect.String:
		v.SetString(randString(r))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt([]int64{0, 1, -1, 42, 1 << 40, -1 << 31}[r.IntN(6)])
	case reflect.Uint8:
		v.SetUint(uint64(r.IntN(2))) // also wire.Dir, which has two values
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint([]uint64{0, 1, 25, 65535}[r.IntN(4)])
	case reflect.Float32, reflect.Float64:
		v.SetFloat([]float64{0, 1.5, 1e-7, 1e21, 0.001}[r.IntN(5)])
	case reflect.Slice:
		if depth > 6 || r.IntN(4) == 0 {
			return // nil
		}
		n := r.IntN(4)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(r, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Pointer:
		if depth > 6 || r.IntN(3) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Map:
		// none in the model today; encoding/json sorts keys, this file
		// would have to as well.
	}
}

// TestHandTypesCurrent fails when a model type gained a field that
// ndjson.go does not write by hand yet: the output would still be right
// (encoding/json writes that type) but silently slower.
func TestHandTypesCurrent(t *testing.T) {
	if h := checkHandTypes(); h != (handTypes{true, true, true, true}) {
		t.Errorf("written by encoding/json, not by hand (a model field the hand-written encoder does not know: update handFields in ndjson.go): %+v", h)
	}
}

// BenchmarkNDJSON writes the sessions of every sample capture.
func BenchmarkNDJSON(b *testing.B) {
	benchEncode(b, func(w io.Writer) sessionWriter { return NewJSON(w) })
}

// BenchmarkJSONReflect is the same with encoding/json, for comparison.
func BenchmarkJSONReflect(b *testing.B) {
	benchEncode(b, func(w io.Writer) sessionWriter { return newRefJSON(w) })
}

type sessionWriter interface{ Write(*session.Session) error }

func benchEncode(b *testing.B, mk func(io.Writer) sessionWriter) {
	t := &testing.T{}
	var sessions []*session.Session
	for _, name := range pcaps.Names() {
		data, _ := fs(name)
		sessions = append(sessions, dissect(t, name, bytes.NewReader(data), nil)...)
	}
	var out countWriter
	w := mk(&out)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range sessions {
			if err := w.Write(s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.SetBytes(out.n / int64(b.N))
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// safe8 agrees with a byte-by-byte test on every byte value at every
// position, and on random words.
func TestSafe8(t *testing.T) {
	safe := func(c byte) bool { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' }
	check := func(w [8]byte) {
		want := true
		var x uint64
		for k, c := range w {
			want = want && safe(c)
			x |= uint64(c) << (8 * k)
		}
		if got := safe8(x); got != want {
			t.Fatalf("safe8(%q) = %v, want %v", w[:], got, want)
		}
	}
	for p := range 8 {
		for c := range 256 {
			w := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			w[p] = byte(c)
			check(w)
		}
	}
	r := rand.New(rand.NewPCG(8, 8))
	for range 200000 {
		var w [8]byte
		for k := range w {
			w[k] = byte(0x18 + r.IntN(0x70)) // around the edges of the safe range
		}
		check(w)
	}
}
