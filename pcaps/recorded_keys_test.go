package pcaps_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// maillog reads the Postfix log recorded next to a capture and checks it
// holds every line fragment in want.
func maillog(t *testing.T, capture string, want ...string) string {
	t.Helper()
	base := strings.TrimSuffix(strings.TrimSuffix(capture, ".pcap"), ".pcapng")
	log, err := os.ReadFile(base + ".maillog")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(string(log), w) {
			t.Fatalf("%s.maillog lacks %q", base, w)
		}
	}
	return string(log)
}

// findingOf returns the session's finding with code, nil if none.
func findingOf(s *session.Session, code string) *session.Finding {
	for _, f := range findings.Session(s) {
		if f.Code == code {
			return &f
		}
	}
	return nil
}

// TestRecordedCommandInjection: cmd/testdata/issue10/record_keys.sh's
// tls_client.py sent "STARTTLS\r\nRSET\r\n" in one write to Postfix 3.7.11,
// then TLS 1.3 with a key log, EHLO and QUIT inside. Postfix logged
// "ehlo=2 starttls=1 quit=1 commands=4": it never ran the RSET (it discards
// input buffered before the handshake, the CVE-2011-0411 fix). With the key
// log smtpscope sees the same: every reply inside TLS answers a command
// sent inside TLS, and says the injected RSET was discarded.
func TestRecordedCommandInjection(t *testing.T) {
	const name = "recorded-postfix-cmdinject-25.pcap"
	maillog(t, name, "ehlo=2 starttls=1 quit=1 commands=4")
	s := dissectSample(t, name, true)
	if got := verbs(s); !slices.Equal(got, []string{"EHLO", "STARTTLS", "RSET", "EHLO", "QUIT"}) {
		t.Fatalf("commands %q", got)
	}
	if c := s.Commands[2]; !c.AfterStartTLS || c.Reply != nil || c.InTLS {
		t.Errorf("injected RSET %+v: want after STARTTLS, unanswered, in clear", c)
	}
	for i, c := range s.Commands[3:] {
		if !c.InTLS || c.Reply == nil {
			t.Errorf("command %d %s inside TLS: %+v", i+3, c.Verb, c)
		}
	}
	if !s.TLS.Decrypted {
		t.Fatal("not decrypted")
	}
	f := findingOf(s, findings.CodeCommandInjection)
	if f == nil || f.Severity != session.SevMedium || !strings.Contains(f.Summary, "the server discarded it") {
		t.Errorf("finding %+v, want medium: discarded", f)
	}
	s = dissectSample(t, name, false)
	if f := findingOf(s, findings.CodeCommandInjection); f == nil || f.Severity != session.SevHigh {
		t.Errorf("without keys: %+v, want high (outcome unknown)", f)
	}
}
