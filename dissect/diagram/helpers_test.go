package diagram_test

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// collect keeps every finished session.
type collect struct {
	engine.Nop
	sessions []*session.Session
}

func (c *collect) Finished(s *session.Session) { c.sessions = append(c.sessions, s) }

// sessionsOf dissects a capture's bytes (with a key log when keys is not
// nil), sessions sorted by stream.
func sessionsOf(t testing.TB, data, keys []byte, reveal bool) []*session.Session {
	t.Helper()
	f, err := capture.NewFile(bytes.NewReader(data), "sample", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.SMTP.Reveal = reveal
	if keys != nil {
		kl := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
		if err := kl.Read(bytes.NewReader(keys)); err != nil {
			t.Fatal(err)
		}
		opts.Session.Keys = kl
	}
	c := &collect{}
	if _, err := engine.Run(context.Background(), f, opts, c); err != nil {
		t.Fatal(err)
	}
	ss := c.sessions
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && ss[j-1].Stream > ss[j].Stream; j-- {
			ss[j-1], ss[j] = ss[j], ss[j-1]
		}
	}
	return ss
}

// sample dissects an embedded capture, with its key log when withKeys.
func sample(t testing.TB, name string, withKeys bool) []*session.Session {
	t.Helper()
	data, err := fs.ReadFile(pcaps.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	var keys []byte
	if k := pcaps.KeyLog(name); withKeys && k != "" {
		if keys, err = fs.ReadFile(pcaps.FS(), k); err != nil {
			t.Fatal(err)
		}
	}
	return sessionsOf(t, data, keys, false)
}
