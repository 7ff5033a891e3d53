package tlsrec

import (
	"reflect"
	"testing"
)

// A certificate decoded through the cache is the one decoded without it,
// every time, each caller with its own SAN list; the cache stays bounded.
func TestCertCache(t *testing.T) {
	cert, _ := testCertificate(t)
	der := cert.Certificate[0]
	want := decodeCertificate(der)
	if want.Err != "" || len(want.SANs) == 0 {
		t.Fatalf("test certificate: %+v", want)
	}
	c := NewCertCache()
	a, b := c.decode(der), c.decode(der)
	if !reflect.DeepEqual(a, want) || !reflect.DeepEqual(b, want) {
		t.Fatalf("cached %+v / %+v, want %+v", a, b, want)
	}
	a.SANs[0] = "changed"
	if c.decode(der).SANs[0] != want.SANs[0] {
		t.Fatal("a caller's change reached the cache")
	}
	for i := range 3 * maxCachedCerts {
		junk := append([]byte{byte(i), byte(i >> 8)}, der...)
		if got := c.decode(junk); got.Err == "" {
			t.Fatalf("junk %d decoded", i)
		}
	}
	if len(c.m) > maxCachedCerts || c.bytes > maxCachedCertBytes {
		t.Fatalf("cache holds %d certificates, %d bytes", len(c.m), c.bytes)
	}
	var none *CertCache
	if !reflect.DeepEqual(none.decode(der), want) {
		t.Fatal("nil cache")
	}
}
