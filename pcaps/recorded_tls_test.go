package pcaps_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/findings"
)

// TestRecordedTLSInClear checks the captures of cmd/testdata/issue10/
// record_tls.sh (openssl s_client 3.0 -starttls smtp against Postfix 3.7.11
// without TLS, and with TLS enabled but unusable, so 454) against Postfix's
// own log: it counted EHLO and STARTTLS as the only commands
// ("commands=1/2"), so the ClientHello s_client sent anyway was no command
// to it; smtpscope shows it as one TLS record in clear with its SNI, pairs
// Postfix's three 500 replies with it, and reports starttls.tls_in_clear.
func TestRecordedTLSInClear(t *testing.T) {
	for _, c := range []struct {
		name, stCode, log string
		finding           string // the STARTTLS verdict besides tls_in_clear
	}{
		{"recorded-postfix-tls-refused-25.pcap", "454", "disabling TLS support", findings.CodeRefused},
		{"recorded-postfix-tls-not-offered-25.pcap", "502", "", findings.CodeNotOffered},
	} {
		t.Run(c.name, func(t *testing.T) {
			log, err := os.ReadFile(strings.TrimSuffix(c.name, ".pcap") + ".maillog")
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"lost connection after STARTTLS", "ehlo=1 starttls=0/1 commands=1/2", c.log} {
				if !strings.Contains(string(log), want) {
					t.Fatalf("maillog lacks %q", want)
				}
			}
			s := dissectSample(t, c.name, false)
			if got := verbs(s); !slices.Equal(got, []string{"EHLO", "STARTTLS"}) {
				t.Errorf("commands %q, want EHLO, STARTTLS (what postfix counted)", got)
			}
			if r := s.Commands[1].Reply; r == nil || strconv.Itoa(r.Code) != c.stCode {
				t.Errorf("STARTTLS reply %+v, want %s", r, c.stCode)
			}
			if len(s.TLSRecords) != 1 {
				t.Fatalf("%d TLS records, want 1", len(s.TLSRecords))
			}
			rec := s.TLSRecords[0]
			if !rec.InClear || rec.Frame != 11 || !slices.Equal(rec.Handshake, []uint8{1}) || rec.Replies != 3 ||
				!strings.Contains(rec.Summary, "ClientHello (SNI mail.example.net; offers TLS 1.3, TLS 1.2") {
				t.Errorf("record %+v", rec)
			}
			var paired int
			for _, r := range s.Replies {
				if r.TLSRecord != nil {
					paired++
					if *r.TLSRecord != 0 || r.Code != 500 || r.Command != -1 || r.Frame != 12 {
						t.Errorf("reply %+v", r)
					}
				}
			}
			if paired != 3 || s.TLS.Mode != "none" {
				t.Errorf("%d replies paired with the record, TLS mode %q", paired, s.TLS.Mode)
			}
			for _, a := range s.Anomalies {
				t.Errorf("anomaly %s: %s", a.Code, a.Summary)
			}
			var codes []string
			for _, f := range findings.Session(s) {
				codes = append(codes, f.Code)
			}
			slices.Sort(codes)
			want := []string{c.finding, findings.CodeTLSInClear}
			slices.Sort(want)
			if !slices.Equal(codes, want) {
				t.Errorf("findings %q, want %q", codes, want)
			}
		})
	}
}
