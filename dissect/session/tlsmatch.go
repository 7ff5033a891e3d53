package session

import "strings"

// SNIMatchesCert reports whether a server name (the ClientHello's SNI)
// is one the certificate names: a subjectAltName DNS entry or, failing
// those, the subject's CN, with a wildcard standing for exactly one
// leftmost label (RFC 6125, Section 6.4.3). It is Zeek's ssl.log
// sni_matches_cert.
func SNIMatchesCert(sni string, c Certificate) bool {
	names := c.DNSNames
	if len(names) == 0 {
		for _, part := range strings.Split(c.Subject, ",") {
			if v, ok := strings.CutPrefix(part, "CN="); ok {
				names = []string{v}
			}
		}
	}
	sni = strings.ToLower(strings.TrimSuffix(sni, "."))
	for _, n := range names {
		n = strings.ToLower(n)
		if n == sni {
			return true
		}
		if rest, ok := strings.CutPrefix(n, "*."); ok {
			if i := strings.IndexByte(sni, '.'); i > 0 && sni[i+1:] == rest {
				return true
			}
		}
	}
	return false
}
