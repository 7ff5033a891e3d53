package tui

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// The detail of a ServerHello shows JA3S and JA4S; a record with the
// Certificate message lists the chain with SHA-256 fingerprints and
// serials, and whether the SNI names the leaf.
func TestDetailServerFingerprintsAndCertificates(t *testing.T) {
	s := startTLSSession()
	s.TLS.JA3S, s.TLS.JA4S = "ccc514751b175866924439bdbb5bba34", "t120300_c02f_bec8bdbaef8a"
	yes := true
	s.TLS.SNIMatchesCert = &yes
	s.TLS.Certificates = []session.Certificate{{Subject: "CN=mx.example", Issuer: "CN=Example CA",
		SHA256: "4f0a1ac1c6e873c8805fe2fc56c7aac77025f1dcbbbf907e768f1ec88c3485db", Serial: "325D8297987D50B0"}}
	for i := range s.TLSRecords {
		if len(s.TLSRecords[i].Handshake) == 1 && s.TLSRecords[i].Handshake[0] == 2 {
			s.TLSRecords[i].Handshake = []uint8{2, 11} // a TLS 1.2 server flight in one record
		}
	}
	got := detailOf(t, s, "ServerHello")
	for _, w := range []string{"JA3S: ccc514751b175866924439bdbb5bba34", "JA4S: t120300_c02f_bec8bdbaef8a",
		"Handshake: 11 Certificate", "SNI matches cert: true", "Certificate 0: CN=mx.example",
		"SHA-256: 4f0a1ac1c6e873c8805fe2fc56c7aac77025f1dcbbbf907e768f1ec88c3485db", "Serial: 325D8297987D50B0"} {
		if !strings.Contains(got, w) {
			t.Errorf("detail lacks %q; got:\n%s", w, got)
		}
	}
}
