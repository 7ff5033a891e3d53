package tlsrec

import (
	"testing"

	"golang.org/x/crypto/cryptobyte"
)

// certificate13Body is a TLS 1.3 Certificate message body holding der.
func certificate13Body(der []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8LengthPrefixed(func(*cryptobyte.Builder) {}) // empty request context
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(der) })
		b.AddUint16LengthPrefixed(func(*cryptobyte.Builder) {})
	})
	return b.BytesOrPanic()
}

func TestParseCertificates13(t *testing.T) {
	cert, _ := testCertificate(t)
	body := certificate13Body(cert.Certificate[0])
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
	cert, _ := testCertificate(f)
	f.Add(certificate13Body(cert.Certificate[0]))
	f.Fuzz(func(t *testing.T, body []byte) {
		certs, err := ParseCertificates13(body, nil)
		if len(certs) > maxCerts {
			t.Fatalf("ParseCertificates13(%x) = %d certificates, more than maxCerts (%d)", body, len(certs), maxCerts)
		}
		// The lengths must account for every byte: no strict prefix of a
		// body that parsed whole parses whole.
		if err == nil && len(body) > 0 {
			if _, err := ParseCertificates13(body[:len(body)-1], nil); err == nil {
				t.Fatalf("ParseCertificates13(%x): the prefix without its last byte parses too", body)
			}
		}
	})
}
