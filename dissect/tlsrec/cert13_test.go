package tlsrec

import (
	"testing"

	"golang.org/x/crypto/cryptobyte"
)

func TestParseCertificates13(t *testing.T) {
	cert, _ := testCertificate(t)
	der := cert.Certificate[0]
	var b cryptobyte.Builder
	b.AddUint8LengthPrefixed(func(*cryptobyte.Builder) {}) // empty request context
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(der) })
		b.AddUint16LengthPrefixed(func(*cryptobyte.Builder) {})
	})
	body := b.BytesOrPanic()
	certs, err := ParseCertificates13(body, nil)
	if err != nil || len(certs) != 1 || certs[0].Err != "" || certs[0].Subject == "" {
		t.Fatalf("ParseCertificates13 = %+v, %v; want one decoded certificate", certs, err)
	}
	// No strict prefix parses (cryptobyte: lengths make overruns impossible).
	for n := 0; n < len(body); n++ {
		if c, err := ParseCertificates13(body[:n], nil); err == nil && len(c) > 0 {
			t.Fatalf("prefix of %d bytes parsed as %d certificates", n, len(c))
		}
	}
}

func FuzzParseCertificates13(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = ParseCertificates13(body, nil)
	})
}
