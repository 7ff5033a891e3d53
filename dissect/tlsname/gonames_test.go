package tlsname

import (
	"crypto/tls"
	"testing"
)

// goSuiteName must agree with crypto/tls for every suite it implements.
func TestGoSuiteNameMatchesCryptoTLS(t *testing.T) {
	for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		if got := CipherSuiteName(cs.ID); got != cs.Name {
			t.Errorf("CipherSuiteName(%#04x) = %q, want %q", cs.ID, got, cs.Name)
		}
	}
}
