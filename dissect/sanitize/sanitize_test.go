package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"EHLO mx.example.org", "EHLO mx.example.org"},
		{"a\r\nb", `a\x0d\x0ab`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"caf\u00e9", "caf\u00e9"},
		{"\xff\xfe", `\xff\xfe`},
		{"x\u202ey", `x\u{202e}y`},
		{"\u009b31m", `\u{9b}31m`},
		{"nul\x00", `nul\x00`},
		{"del\x7f", `del\x7f`},
		{"zw\u200bj", `zw\u{200b}j`},
		{"\ufeffbom", `\u{feff}bom`},
		{`back\slash`, `back\slash`},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTagNeutralisesTviewTags(t *testing.T) {
	for _, in := range []string{"[red]x", "[:::https://evil.example]click[:::-]", `["region"]`, "[::b]"} {
		got := Tag(in)
		if strings.Contains(got, "[") && !strings.Contains(got, "["+wordJoiner) {
			t.Errorf("Tag(%q) = %q: a bare '[' is left", in, got)
		}
		if strings.Count(got, "[") != strings.Count(got, "["+wordJoiner) {
			t.Errorf("Tag(%q) = %q: not every '[' is followed by U+2060", in, got)
		}
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]8;;https://x\x07", "[:::https://x]", "\xc0\x80", "\u202e", "\r\n.\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		if !utf8.ValidString(out) {
			t.Fatalf("String(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isFormat(r) {
				t.Fatalf("String(%q) = %q: contains %U", s, out, r)
			}
		}
		tagged := Tag(s)
		if strings.Count(tagged, "[") != strings.Count(tagged, "["+wordJoiner) {
			t.Fatalf("Tag(%q) = %q leaves a bare '['", s, tagged)
		}
	})
}
