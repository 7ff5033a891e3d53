package tlsrec

import "testing"

// JA3S and JA4S of a ServerHello, by their specifications: JA3S
// (salesforce/ja3) is "version,cipher,extensions" in decimal and its MD5;
// JA4S (FoxIO-LLC/ja4, JA4S.md) is t + version + extension count + ALPN
// ends, the cipher in hex and a SHA-256 prefix of the extensions in order.
func TestServerFingerprints(t *testing.T) {
	sh := &ServerHello{LegacyVersion: 0x0303, SelectedVersion: 0x0303, CipherSuite: 0xc030,
		Extensions: []uint16{0xff01, 0x0000, 0x000b, 0x0023, 0x0010}, ALPN: "h2"}
	s, h := JA3S(sh)
	if s != "771,49200,65281-0-11-35-16" || h != "c8d5b17a0fd5b4ee799ca8bd692fee69" {
		t.Errorf("JA3S = %q %q", s, h)
	}
	// sha256("ff01,0000,000b,0023,0010") begins 4527d988f689.
	if got := JA4S(sh); got != "t1205h2_c030_4527d988f689" {
		t.Errorf("JA4S = %q", got)
	}
	tls13 := &ServerHello{LegacyVersion: 0x0303, SelectedVersion: 0x0304, CipherSuite: 0x1301}
	if got := JA4S(tls13); got != "t130000_1301_000000000000" {
		t.Errorf("JA4S without extensions = %q", got)
	}
	if s, _ := JA3S(tls13); s != "771,4865," {
		t.Errorf("JA3S without extensions = %q", s)
	}
}
