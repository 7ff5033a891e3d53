package sanitize

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func TestExactSpelling(t *testing.T) {
	tests := []struct{ in, want string }{
		{"EHLO mx.example.org", "EHLO mx.example.org"},
		{"a\r\nb", `a\x0d\x0ab`},
		{"\x1b[31mred", `\x1b[31mred`},
		{`\x1b`, `\x5cx1b`}, // attacker text is not an ESC (issue 12, defect 5)
		{`a\b`, `a\x5cb`},
		{"caf\u00e9", "caf\u00e9"},
		{"\xff\xfe", `\xff\xfe`},
		{"x\u202ey", `x\xe2\x80\xaey`},
		{"\u009b31m", `\xc2\x9b31m`},
		{"nul\x00", `nul\x00`},
		{"del\x7f", `del\x7f`},
		{"ls\u2028", `ls\xe2\x80\xa8`},
		{"\ufeffbom", `\xef\xbb\xbfbom`},
	}
	for _, tt := range tests {
		if got := Bytes([]byte(tt.in)); got != tt.want {
			t.Errorf("Bytes(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Unescape(tt.want); string(got) != tt.in {
			t.Errorf("Unescape(%q) = %q, want %q", tt.want, got, tt.in)
		}
	}
}

// roundTrip checks that b survives exact text, a JSON string and back.
func roundTrip(t *testing.T, b []byte) {
	t.Helper()
	text := Bytes(b)
	if String(text) != text {
		t.Fatalf("String changes exact text %q", text)
	}
	j, err := json.Marshal(text)
	if err != nil {
		t.Fatal(err)
	}
	var back string
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	if got := Unescape(back); !bytes.Equal(got, b) {
		t.Fatalf("% x: exact %q, JSON %s, back % x", b, text, j, got)
	}
}

// Every byte 0–255 alone, all of them in a row, and every pair (so that each
// byte is seen before and after every other one, including backslashes and
// the lead bytes of multi-byte sequences), come back exactly from the JSON.
func TestExactRoundTripsEveryByte(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
		roundTrip(t, all[i:i+1])
	}
	roundTrip(t, all)
	pair := make([]byte, 2)
	for i := 0; i < 256; i++ {
		for j := 0; j < 256; j++ {
			pair[0], pair[1] = byte(i), byte(j)
			roundTrip(t, pair)
		}
	}
}

func FuzzExact(f *testing.F) {
	for _, s := range []string{"", "plain", `\x1b`, "\x1b", "\xc2\x85", "\u202e", "\\\\x5c", "\xe2\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out := Bytes(b)
		if !utf8.ValidString(out) {
			t.Fatalf("Bytes(%q) = %q: invalid UTF-8", b, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isFormat(r) || r == 0x2028 || r == 0x2029 {
				t.Fatalf("Bytes(%q) = %q: contains %U", b, out, r)
			}
		}
		if Text(string(b)) != out {
			t.Fatalf("Bytes and Text differ on %q", b)
		}
		if got := Unescape(out); !bytes.Equal(got, b) {
			t.Fatalf("Unescape(Bytes(%q)) = %q", b, got)
		}
	})
}
