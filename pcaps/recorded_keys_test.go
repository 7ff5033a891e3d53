package pcaps_test

import (
	"os"
	"slices"
	"strconv"
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

// TestRecordedTransport checks record_keys.sh's transport cases against
// Postfix's log: what it queued and the commands it counted.
func TestRecordedTransport(t *testing.T) {
	t.Run("plain SMTP on 465", func(t *testing.T) {
		// swaks to smtpd on 465 without smtpd_tls_wrappermode.
		const name = "recorded-postfix-plain465.pcap"
		maillog(t, name, "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5", ": client=localhost[127.0.0.1]")
		s := dissectSample(t, name, false)
		if got := verbs(s); !slices.Equal(got, []string{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}) {
			t.Errorf("commands %q, want postfix's ehlo mail rcpt data quit", got)
		}
		for _, c := range s.Commands {
			if c.Reply == nil {
				t.Errorf("%s unanswered", c.Verb)
			}
		}
		queuedAs(t, s, maillog(t, name))
		if s.TLS.Mode != session.TLSNone || s.Server.Port != 465 || len(s.Anomalies) > 0 {
			t.Errorf("TLS %q port %d anomalies %v", s.TLS.Mode, s.Server.Port, s.Anomalies)
		}
		for _, code := range []string{findings.CodePortTransport, findings.CodeMailPlaintext} {
			if findingOf(s, code) == nil {
				t.Errorf("no %s", code)
			}
		}
	})
	t.Run("implicit TLS on 10465", func(t *testing.T) {
		// smtplib.SMTP_SSL with a key log to smtpd -o smtpd_tls_wrappermode=yes.
		// Not embedded: without its key log nothing says port 10465 is SMTP.
		dir := os.DirFS("needkeys")
		const name = "recorded-postfix-wrapper-10465.pcap"
		log := maillog(t, "needkeys/"+name, "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
		if got := dissectFS(t, dir, name, ""); len(got) != 0 {
			t.Errorf("without keys: %d sessions, want none", len(got))
		}
		got := dissectFS(t, dir, name, "recorded-postfix-wrapper-10465.keys")
		if len(got) != 1 {
			t.Fatalf("%d sessions, want 1", len(got))
		}
		s := got[0]
		if s.TLS.Mode != session.TLSImplicit || !s.TLS.Decrypted || s.TLS.Version != "TLS 1.3" || s.Server.Port != 10465 {
			t.Errorf("TLS %+v port %d", s.TLS, s.Server.Port)
		}
		if v := verbs(s); !slices.Equal(v, []string{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}) {
			t.Errorf("commands %q", v)
		}
		if len(s.Replies) == 0 || s.Replies[0].Code != 220 || s.Replies[0].Command != -1 || !s.Replies[0].InTLS {
			t.Errorf("first reply %+v, want the greeting inside TLS", s.Replies[0])
		}
		// smtplib sends its verbs in lower case: shown as sent.
		if c := s.Commands[0]; c.VerbSent != "ehlo" || s.Commands[1].VerbSent != "mail" {
			t.Errorf("verbs sent %q, %q, want ehlo, mail (as smtplib sends them)", c.VerbSent, s.Commands[1].VerbSent)
		}
		queuedAs(t, s, log)
		for _, m := range s.Messages {
			if m.Frame == 0 || m.Time.IsZero() || !m.InTLS || m.Subject != "smtpscope implicit TLS sample" {
				t.Errorf("message %+v", m)
			}
		}
	})
	t.Run("implicit TLS client, plaintext server on 25", func(t *testing.T) {
		// smtplib.SMTP_SSL to port 25: its ClientHello is its first
		// bytes, Postfix greets in plaintext and answers the ClientHello's
		// lines; it logged no command ("commands=0/0").
		const name = "recorded-postfix-smtps-to-25.pcap"
		maillog(t, name, "improper command pipelining after CONNECT", "commands=0/0")
		s := dissectSample(t, name, false)
		if s.TLS.Mode != session.TLSNone || len(s.Commands) != 0 || len(s.TLSRecords) != 1 || !s.TLSRecords[0].InClear {
			t.Errorf("TLS %q, %d commands, records %+v: want plaintext, none, one ClientHello in clear", s.TLS.Mode, len(s.Commands), s.TLSRecords)
		}
		if f := findingOf(s, findings.CodeTLSInClear); f == nil || !strings.Contains(f.Summary, "first bytes") {
			t.Errorf("finding %+v", f)
		}
	})
}

// queuedAs checks that the queue IDs in the session's "queued as" replies
// are the ones Postfix logged as received ("ID: client=").
func queuedAs(t *testing.T, s *session.Session, log string) {
	t.Helper()
	var ids []string
	for _, r := range s.Replies {
		if r.Code == 250 && len(r.Lines) == 1 && strings.Contains(r.Lines[0], "queued as ") {
			ids = append(ids, r.Lines[0][strings.LastIndex(r.Lines[0], " ")+1:])
		}
	}
	if len(ids) != len(s.Messages) || len(ids) == 0 {
		t.Fatalf("queued %q for %d messages", ids, len(s.Messages))
	}
	for _, id := range ids {
		if !strings.Contains(log, id+": client=") {
			t.Errorf("postfix did not log %s as received", id)
		}
	}
}

// TestRecordedLMTP: cmd/testdata/issue10/record_lmtp.sh's swaks --protocol
// LMTP to a private Dovecot 2.3 lmtp on port 24 (users alice and bob):
// Dovecot refused nobody (550) and, after the final dot, answered once per
// accepted recipient (RFC 2033, Section 4.2); its log says it saved the
// mail for alice and for bob. smtpscope pairs the two replies with the
// message, one per recipient, and QUIT's 221 with QUIT.
func TestRecordedLMTP(t *testing.T) {
	const name = "recorded-dovecot-lmtp-24.pcap"
	log := maillog(t, name, "lmtp(alice@localhost)", "lmtp(bob@localhost)", "saved mail to INBOX")
	if strings.Contains(log, "lmtp(nobody@localhost)") {
		t.Fatal("dovecot delivered to nobody")
	}
	s := dissectSample(t, name, false)
	if s.PortRole != session.RoleLMTP {
		t.Errorf("role %q", s.PortRole)
	}
	if got := verbs(s); !slices.Equal(got, []string{"LHLO", "MAIL", "RCPT", "RCPT", "RCPT", "DATA", "QUIT"}) {
		t.Errorf("commands %q", got)
	}
	if q := s.Commands[6]; q.Reply == nil || q.Reply.Code != 221 {
		t.Errorf("QUIT reply %+v, want 221", q.Reply)
	}
	if len(s.Messages) != 1 {
		t.Fatalf("%d messages", len(s.Messages))
	}
	m := s.Messages[0]
	var got []string
	for _, d := range m.Deliveries {
		got = append(got, d.Rcpt+" "+strconv.Itoa(d.Code))
		if !strings.Contains(log, "lmtp("+d.Rcpt+")") || d.Code != 250 {
			t.Errorf("delivery %+v not what dovecot logged", d)
		}
	}
	if !slices.Equal(got, []string{"alice@localhost 250", "bob@localhost 250"}) || !m.Accepted {
		t.Errorf("deliveries %q accepted %v", got, m.Accepted)
	}
	for _, r := range s.Replies {
		if r.Command < 0 && r.Code != 220 {
			t.Errorf("reply %d %q answers nothing", r.Code, r.Lines)
		}
	}
	for _, a := range s.Anomalies {
		t.Errorf("anomaly %s: %s", a.Code, a.Summary)
	}
}

// TestRecordedSnaplen: cmd/testdata/issue10/record_snaplen.sh's tcpdump -s 54
// kept no payload of a swaks session Postfix logged in full (commands=5, one
// message queued). smtpscope shows no command it did not see, and says how
// many bytes of each direction were not captured and why (tshark's tcp.len
// sums: 330 from the client, 292 from the server).
func TestRecordedSnaplen(t *testing.T) {
	const name = "recorded-postfix-snaplen54-25.pcap"
	maillog(t, name, "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
	s := dissectSample(t, name, false)
	if len(s.Commands) != 0 || len(s.Messages) != 0 {
		t.Errorf("%d commands, %d messages from bytes never captured", len(s.Commands), len(s.Messages))
	}
	var got []string
	for _, a := range s.Anomalies {
		got = append(got, a.Dir.String()+" "+a.Code+" "+a.Summary)
	}
	want := []string{"s2c capture.snaplen 292 bytes not captured: snaplen 54 (7 segments cut)",
		"c2s capture.snaplen 330 bytes not captured: snaplen 54 (6 segments cut)"}
	if !slices.Equal(got, want) {
		t.Errorf("anomalies %q, want %q", got, want)
	}
	if s.TCP.GapBytes != 622 || findingOf(s, findings.CodeGap) == nil {
		t.Errorf("gap bytes %d, finding %v", s.TCP.GapBytes, findingOf(s, findings.CodeGap))
	}
}
