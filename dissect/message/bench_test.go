package message

import (
	"encoding/base64"
	"strings"
	"testing"
)

// BenchmarkBase64Attachment: a 4 MB base64 attachment through the layer
// (boundary scan, decoding, MD5, SHA-1 and SHA-256), per encoded byte.
func BenchmarkBase64Attachment(b *testing.B) {
	raw := make([]byte, 3<<20)
	for i := range raw {
		raw[i] = byte(i * 13)
	}
	var sb strings.Builder
	sb.WriteString("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	s := base64.StdEncoding.EncodeToString(raw)
	for len(s) > 76 {
		sb.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	sb.WriteString(s + "\r\n--b--\r\n")
	msg := []byte(sb.String())
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		p := New(Options{})
		for m := msg; len(m) > 0; {
			n := min(len(m), 1460)
			p.Write(m[:n])
			m = m[n:]
		}
		p.Close()
	}
}

// BenchmarkTextMessage: a plain 7bit text message (the common case).
func BenchmarkTextMessage(b *testing.B) {
	msg := []byte("From: a@x\r\nTo: b@y\r\nSubject: s\r\n\r\n" + strings.Repeat("a line of ordinary text in a mail body\r\n", 20000))
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		p := New(Options{})
		for m := msg; len(m) > 0; {
			n := min(len(m), 1460)
			p.Write(m[:n])
			m = m[n:]
		}
		p.Close()
	}
}
