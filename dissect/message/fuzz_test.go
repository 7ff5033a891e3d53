package message

import (
	"reflect"
	"testing"
)

// FuzzParser: never panics, stays bounded, and a 1-byte feed gives the
// same result as a whole one.
func FuzzParser(f *testing.F) {
	f.Add([]byte(sample()))
	f.Add([]byte("Subject: hi\r\n\r\nbody\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: quoted-printable\n\na=3D=\n--b--\n"))
	f.Add([]byte("Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/digest; boundary=x\r\n\r\n--x\r\n\r\n\r\n--x--"))
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := parse(string(data), 0, Options{MaxParts: 50, MaxDepth: 5})
		if len(whole.Parts) > 50 || len(whole.Problems) > maxProblems {
			t.Fatalf("unbounded: %d parts, %d problems", len(whole.Parts), len(whole.Problems))
		}
		if one := parse(string(data), 1, Options{MaxParts: 50, MaxDepth: 5}); !reflect.DeepEqual(one, whole) {
			t.Fatalf("1-byte feed differs:\n%+v\nwant\n%+v", one, whole)
		}
	})
}
