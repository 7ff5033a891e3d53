package errtext

import (
	"errors"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"capture: open /x.pcap: no such file or directory", "cannot open /x.pcap: no such file or directory"},
		{"cmd: key log: open /nope: permission denied", "key log: cannot open /nope: permission denied"},
		{"capture: /etc/passwd: offset 0: unknown file format (magic \"root\")", "/etc/passwd: offset 0: unknown file format (magic \"root\")"},
		{"tui: filter: unknown field", "unknown field"},
		{"capture: truncated record\x1b[31m", `truncated record\x1b[31m`},
		{"plain words", "plain words"},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if Plain(nil) != "" || Plain(errors.New("cmd: x")) != "x" {
		t.Errorf("Plain: wrong")
	}
}
