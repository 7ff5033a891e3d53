package session

import "testing"

func TestSNIMatchesCert(t *testing.T) {
	c := Certificate{Subject: "CN=mx.example.net,O=x", DNSNames: []string{"mail.example.net", "*.example.org"}}
	for sni, want := range map[string]bool{
		"mail.example.net": true, "MAIL.example.net.": true, "a.example.org": true,
		"a.b.example.org": false, "example.org": false, "mx.example.net": false, "other.net": false,
	} {
		if got := SNIMatchesCert(sni, c); got != want {
			t.Errorf("SNIMatchesCert(%q) = %v, want %v", sni, got, want)
		}
	}
	if !SNIMatchesCert("mx.example.net", Certificate{Subject: "CN=mx.example.net,O=x"}) {
		t.Error("the CN is used when there are no DNS names")
	}
}
