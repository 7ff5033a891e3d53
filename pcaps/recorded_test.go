package pcaps_test

import (
	"context"
	"io/fs"
	"slices"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

// collect is an engine.Target that keeps the finished sessions.
type collect struct {
	engine.Nop
	done []*session.Session
}

func (c *collect) Finished(s *session.Session)        { c.done = append(c.done, s) }
func (c *collect) Batch(fn func(p *session.Progress)) { fn(&session.Progress{}) }

// dissectSample runs the engine on an embedded capture, with its key log
// when keys is true, and returns its one session.
func dissectSample(t *testing.T, name string, keys bool) *session.Session {
	t.Helper()
	kn := ""
	if keys {
		kn = pcaps.KeyLog(name)
	}
	done := dissectFS(t, pcaps.FS(), name, kn)
	if len(done) != 1 {
		t.Fatalf("%s: %d sessions, want 1", name, len(done))
	}
	return done[0]
}

// dissectFS runs the engine on capture name of fsys, with the key log
// keys unless it is "", and returns the finished sessions.
func dissectFS(t *testing.T, fsys fs.FS, name, keys string) []*session.Session {
	t.Helper()
	var opts engine.Options
	opts.Session.AnyPort = true // as the CLI does for files
	if keys != "" {
		kl, err := fsys.Open(keys)
		if err != nil {
			t.Fatal(err)
		}
		defer kl.Close()
		opts.Session.Keys = tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
		if err := opts.Session.Keys.Read(kl); err != nil {
			t.Fatal(err)
		}
	}
	fh, err := fsys.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := capture.NewFile(fh, name, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var c collect
	if _, err := engine.Run(context.Background(), f, opts, &c); err != nil {
		t.Fatal(err)
	}
	return c.done
}

// verbs lists the session's command verbs in order.
func verbs(s *session.Session) []string {
	var out []string
	for _, c := range s.Commands {
		out = append(out, c.Verb)
	}
	return out
}

// TestRecordedSamples checks the captures recorded from postfix, swaks and
// curl on loopback (recorded-*.pcapng): one small session each, STARTTLS
// with TLS 1.3, and with its key log the SMTP inside TLS (RFC 3207, Section
// 4.2: EHLO again after the handshake).
func TestRecordedSamples(t *testing.T) {
	for _, name := range []string{"recorded-postfix-swaks25.pcapng", "recorded-postfix-curl587.pcapng"} {
		data, err := fs.ReadFile(pcaps.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) >= 64<<10 {
			t.Errorf("%s is %d bytes, over 64 KiB", name, len(data))
		}
	}
	t.Run("swaks25", func(t *testing.T) {
		s := dissectSample(t, "recorded-postfix-swaks25.pcapng", false)
		if s.Server.Port != 25 || s.PortRole != session.RoleRelay || s.TLS.Mode != session.TLSStartTLS || s.TLS.Version != "TLS 1.3" || s.TLS.Decrypted {
			t.Errorf("server %v role %s tls %s %s decrypted %v", s.Server, s.PortRole, s.TLS.Mode, s.TLS.Version, s.TLS.Decrypted)
		}
		if got := verbs(s); !slices.Equal(got, []string{"EHLO", "STARTTLS"}) || s.Commands[1].Reply == nil || s.Commands[1].Reply.Code != 220 {
			t.Errorf("commands %q, want EHLO, STARTTLS answered 220", got)
		}
	})
	t.Run("curl587 without keys", func(t *testing.T) {
		s := dissectSample(t, "recorded-postfix-curl587.pcapng", false)
		if got := verbs(s); !slices.Equal(got, []string{"EHLO", "STARTTLS"}) || s.TLS.Decrypted || len(s.Messages) != 0 {
			t.Errorf("commands %q, decrypted %v, %d messages; want EHLO, STARTTLS and nothing inside TLS", got, s.TLS.Decrypted, len(s.Messages))
		}
	})
	t.Run("curl587 with keys", func(t *testing.T) {
		s := dissectSample(t, "recorded-postfix-curl587.pcapng", true)
		if s.Server.Port != 587 || s.PortRole != session.RoleSubmission || !s.TLS.Decrypted || s.TLS.Version != "TLS 1.3" {
			t.Errorf("server %v role %s tls %s decrypted %v", s.Server, s.PortRole, s.TLS.Version, s.TLS.Decrypted)
		}
		want := []string{"EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "DATA", "QUIT"}
		if got := verbs(s); !slices.Equal(got, want) {
			t.Fatalf("commands %q, want %q", got, want)
		}
		for i, c := range s.Commands {
			if c.InTLS != (i >= 2) {
				t.Errorf("command %d %s: in_tls %v", i, c.Verb, c.InTLS)
			}
		}
		if len(s.Messages) != 1 || s.Messages[0].Subject != "smtpscope curl sample" || !s.Messages[0].Accepted || !s.Messages[0].InTLS {
			t.Errorf("messages %+v, want one accepted inside TLS with Subject smtpscope curl sample", s.Messages)
		}
	})
}
