package lesson

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

// keepAll collects every session the engine reports.
type keepAll struct {
	engine.Nop
	ss []*session.Session
}

func (k *keepAll) Batch(fn func(p *session.Progress)) { fn(&session.Progress{}) }
func (k *keepAll) Started(s *session.Session)         { k.ss = append(k.ss, s) }

// sample reads an embedded capture as the UI and `smtpscope lessons` do
// (raw bytes kept), with its key log when keys is set, cross-session
// findings included; reveal shows the passwords.
func sample(t *testing.T, name string, keys, reveal bool) []*session.Session {
	t.Helper()
	f, err := pcaps.FS().Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := capture.NewFile(f, name, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kl := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
	if keys && pcaps.KeyLog(name) != "" {
		kf, err := os.Open(filepath.Join("..", "..", "pcaps", pcaps.KeyLog(name)))
		if err != nil {
			t.Fatal(err)
		}
		defer kf.Close()
		if err := kl.Read(kf); err != nil {
			t.Fatal(err)
		}
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.KeepBytes = true
	opts.Session.SMTP.Reveal = reveal
	opts.Session.Keys = kl
	k := &keepAll{}
	if _, err := engine.Run(context.Background(), src, opts, k); err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(k.ss, func(i, j int) bool { return k.ss[i].Stream < k.ss[j].Stream })
	findings.Apply(k.ss)
	return k.ss
}

// pageText joins a page's lines (references spelled out).
func pageText(p Page) string {
	var b strings.Builder
	b.WriteString(p.Title + "\n")
	for _, l := range p.Lines {
		b.WriteString(l.Text)
		b.WriteString(strings.Join(l.Refs, "; "))
		b.WriteByte('\n')
	}
	return b.String()
}

// titled returns the pages of s whose title is title.
func titled(s *session.Session, title string) []Page {
	var out []Page
	for _, p := range Pages(s) {
		if p.Title == title {
			out = append(out, p)
		}
	}
	return out
}
