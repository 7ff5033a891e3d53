package message

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"testing"
)

// A message may end with the close delimiter and no CRLF (a BDAT LAST
// chunk need not end in one, RFC 3030; zeek__rfc3030-bdat-multipart-
// chunked.pcap does this): the delimiter still ends the last part, which
// keeps only its content, at every split.
func TestCloseDelimiterWithoutCRLF(t *testing.T) {
	content := []byte("\x89PNG\r\n\x1a\nnot really a picture, but binary enough \x00\x01\x02")
	enc := base64.StdEncoding.EncodeToString(content)
	msg := "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n" +
		"--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n" + enc + "\r\n--b1--"
	sum := sha1.Sum(content)
	want := hex.EncodeToString(sum[:])
	for _, split := range []int{0, 1, 7, 129} {
		m := parse(msg, split, Options{})
		if len(m.Parts) != 3 {
			t.Fatalf("split %d: %d parts, want 3", split, len(m.Parts))
		}
		png := m.Parts[2]
		if png.SHA1 != want || png.Size != int64(len(content)) {
			t.Errorf("split %d: image part size %d sha1 %s, want %d %s", split, png.Size, png.SHA1, len(content), want)
		}
		if m.Parts[0].Incomplete {
			t.Errorf("split %d: the multipart is marked incomplete despite its close delimiter", split)
		}
	}
}
