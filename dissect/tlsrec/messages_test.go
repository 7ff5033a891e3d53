package tlsrec

import (
	"fmt"
	"slices"
	"testing"
)

// msg builds one handshake message: msg_type, uint24 length, body.
func msg(typ uint8, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

func TestHandshakeTypes(t *testing.T) {
	data := slices.Concat(msg(8, []byte{0, 0}), msg(11, make([]byte, 300)), msg(15, make([]byte, 40))[:10])
	tests := []struct {
		in   []byte
		want string
	}{
		{nil, "[]"},
		{[]byte{20}, "[20]"},
		{data, "[8 11 15]"},
		{msg(24, []byte{1}), "[24]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(HandshakeTypes(tt.in)); got != tt.want {
			t.Errorf("HandshakeTypes(%x) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFindMessage(t *testing.T) {
	cert := msg(HandshakeCertificate, []byte{0, 0, 0, 0})
	tests := []struct {
		name     string
		in       []byte
		wantBody []byte
		wantCut  bool
	}{
		{"alone", cert, []byte{0, 0, 0, 0}, false},
		{"after EncryptedExtensions", slices.Concat(msg(8, []byte{0, 0}), cert), []byte{0, 0, 0, 0}, false},
		{"cut short", slices.Concat(msg(8, []byte{0, 0}), cert[:6]), nil, true},
		{"header cut", cert[:3], nil, true},
		{"absent", msg(8, []byte{0, 0}), nil, false},
		{"another message cut", msg(15, make([]byte, 9))[:5], nil, false},
		{"empty", nil, nil, false},
	}
	for _, tt := range tests {
		body, cut := FindMessage(tt.in, HandshakeCertificate)
		if !slices.Equal(body, tt.wantBody) || cut != tt.wantCut || (tt.wantBody != nil) != (body != nil) {
			t.Errorf("%s: FindMessage(%x) = %x, %v, want %x, %v", tt.name, tt.in, body, cut, tt.wantBody, tt.wantCut)
		}
	}
}

// TestMessageScannerSplit: the scanner names the same messages however the
// bytes are split across records.
func TestMessageScannerSplit(t *testing.T) {
	data := slices.Concat(msg(8, []byte{0, 0}), msg(11, make([]byte, 300)), msg(20, nil), msg(15, make([]byte, 40)))
	want := []uint8{8, 11, 20, 15}
	for _, size := range []int{1, 2, 3, 4, 5, 7, 300, len(data)} {
		var h MessageScanner
		var got []uint8
		for rest := data; len(rest) > 0; {
			n := min(size, len(rest))
			got = h.Feed(rest[:n], got)
			rest = rest[n:]
		}
		if !slices.Equal(got, want) {
			t.Errorf("chunks of %d: Feed = %v, want %v", size, got, want)
		}
	}
	var h MessageScanner
	h.Feed(msg(11, make([]byte, 50))[:20], nil)
	h.Reset()
	if got := h.Feed(msg(20, []byte{1, 2}), nil); !slices.Equal(got, []uint8{20}) {
		t.Errorf("after Reset: Feed = %v, want [20]", got)
	}
}
