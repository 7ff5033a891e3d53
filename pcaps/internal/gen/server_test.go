package main

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"
)

// serverCase is a transcript: each line is written on its own and answered
// by exactly one reply.
type serverCase struct {
	name  string
	cfg   serverConfig
	lines []string
	want  []int // reply codes, the 220 greeting first
}

func serverCases(cert tls.Certificate) []serverCase {
	sub := serverConfig{hostname: serverName, tls: serverTLS(cert), requireAuth: true}
	relay := serverConfig{hostname: mxName, rejectRcpt: "nobody"}
	return []serverCase{
		{"auth needs TLS on submission", sub, []string{"EHLO a", "AUTH PLAIN AGEAYg==", "MAIL FROM:<a@b>"}, []int{220, 250, 530, 530}},
		{"commands out of sequence", relay, []string{"MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA", "EHLO a", "RCPT TO:<c@d>"}, []int{220, 503, 503, 503, 250, 503}},
		{"no valid recipients", relay, []string{"EHLO a", "MAIL FROM:<a@b>", "RCPT TO:<nobody@d>", "DATA", "RSET"}, []int{220, 250, 250, 550, 554, 250}},
		{"syntax errors", relay, []string{"EHLO a", "MAIL TO:<a@b>", "MAIL FROM:<a@b>", "RCPT TO:", "BDAT 5", "FOO"}, []int{220, 250, 501, 250, 501, 502, 502}},
		{"nested MAIL", relay, []string{"HELO a", "MAIL FROM:<a@b>", "MAIL FROM:<a@b>", "NOOP"}, []int{220, 250, 250, 503, 250}},
		{"STARTTLS unavailable", relay, []string{"EHLO a", "STARTTLS"}, []int{220, 250, 454}},
		{"AUTH LOGIN in clear when allowed", serverConfig{hostname: mxName, authBeforeTLS: true},
			[]string{"EHLO a", "AUTH LOGIN", "Ym9i", "aHVudGVyMg==", "AUTH PLAIN", "*"}, []int{220, 250, 334, 334, 235, 503, 502}},
		{"AUTH failures", serverConfig{hostname: mxName, authBeforeTLS: true},
			[]string{"EHLO a", "AUTH CRAM-MD5", "AUTH PLAIN", "*", "AUTH PLAIN !!!", "AUTH LOGIN YWxpY2VAZXhhbXBsZS5uZXQ=", "d3Jvbmc="},
			[]int{220, 250, 504, 334, 501, 501, 334, 535}},
	}
}

func TestServerTranscripts(t *testing.T) {
	cert, _, err := serverCert()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range serverCases(cert) {
		t.Run(tc.name, func(t *testing.T) {
			var tp tape
			cc, sc := newPipe(&tp, &net.TCPAddr{}, &net.TCPAddr{})
			done := make(chan error, 1)
			go func() { done <- serveSMTP(sc, tc.cfg) }()
			c := newRawClient(cc)
			var got []int
			read := func() {
				code, _, err := c.r.ReadResponse(0)
				if err != nil {
					t.Fatalf("after %d replies: %v", len(got), err)
				}
				got = append(got, code)
			}
			read()
			for _, l := range tc.lines {
				if err := c.send(l + "\r\n"); err != nil {
					t.Fatal(err)
				}
				read()
			}
			if err := c.quit(); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatalf("server: %v", err)
			}
			if !equalInts(got, tc.want) {
				t.Errorf("replies to %q = %v, want %v", tc.lines, got, tc.want)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzServer feeds arbitrary client bytes to the sample server: it must
// neither panic nor hang, whatever arrives before the client closes.
func FuzzServer(f *testing.F) {
	cert, _, err := serverCert()
	if err != nil {
		f.Fatal(err)
	}
	for _, tc := range serverCases(cert) {
		f.Add(strings.Join(tc.lines, "\r\n")+"\r\n", tc.cfg.tls != nil)
	}
	f.Add("EHLO a\r\nSTARTTLS\r\n\x16\x03\x01\x00\x05hello", true)
	f.Add("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 99999\r\nxx", false)
	f.Add("DATA\r\n"+strings.Repeat("x", maxLine+10), false)
	f.Fuzz(func(t *testing.T, input string, withTLS bool) {
		cfg := serverConfig{hostname: mxName, chunking: true, authBeforeTLS: !withTLS}
		if withTLS {
			cfg.tls = serverTLS(cert)
			cfg.tls.MinVersion = tls.VersionTLS12
		}
		var tp tape
		cc, sc := newPipe(&tp, &net.TCPAddr{}, &net.TCPAddr{})
		done := make(chan error, 1)
		go func() { done <- serveSMTP(sc, cfg) }()
		cc.Write([]byte(input))
		cc.Close()
		<-done // any error is fine; returning is what counts
		sc.Close()
	})
}
