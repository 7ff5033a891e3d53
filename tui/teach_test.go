package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

// storeTarget fills a store as cmd does.
type storeTarget struct {
	engine.Nop
	store *session.Store
	add   func(*session.Session)
}

func (t *storeTarget) Batch(fn func(p *session.Progress)) {
	t.store.Update(func(add func(*session.Session), p *session.Progress) {
		t.add = add
		fn(p)
		t.add = nil
	})
}
func (t *storeTarget) Started(s *session.Session) { t.add(s) }

// readSample reads an embedded sample capture into a finished store with
// the engine, decrypting with keyFile ("" for no keys), cross-session
// findings included.
func readSample(t *testing.T, name, keyFile string) *session.Store {
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
	keys := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
	if keyFile != "" {
		kf, err := os.Open(keyFile)
		if err != nil {
			return nil
		}
		defer kf.Close()
		if err := keys.Read(kf); err != nil {
			t.Fatal(err)
		}
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.KeepBytes = true // as cmd reads for the UI
	opts.Session.Keys = keys
	st := session.NewStore()
	if _, err := engine.Run(context.Background(), src, opts, &storeTarget{store: st}); err != nil {
		t.Fatal(err)
	}
	st.UpdateAll(func(ss []*session.Session, p *session.Progress) {
		findings.Apply(ss)
		p.Source = name
	})
	return st
}

func samplePath(name string) string { return filepath.Join("..", "pcaps", name) }

func TestTeachModeOnDemo(t *testing.T) {
	st := readSample(t, pcaps.Demo(), samplePath(pcaps.KeyLog(pcaps.Demo())))
	h := startApp(t, New(st, Options{Teach: true, Title: "demo"}), 130, 50)

	// The first page teaches ports and roles, and this session's role.
	h.waitText("Lesson 1/")
	h.waitText("Ports, roles and TLS")
	h.waitText("Port 587, submission")
	h.waitText("Role: submission")
	h.waitText("lesson: ] n space next")

	// ] steps to the first phase: the text changes with it.
	h.key(tcell.KeyRune, ']')
	txt := h.waitText("Lesson 2/")
	for _, want := range []string{"TCP handshake", "What happened", "C → S  SYN", "Why", "What an attacker could do here",
		"What good looks like", "References: RFC 9293, Section 3.5"} {
		if !strings.Contains(txt, want) {
			t.Errorf("lesson page 2 lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Port 587, submission") {
		t.Errorf("page 2 still shows the introduction:\n%s", txt)
	}
	h.key(tcell.KeyRune, ']')
	h.waitText("Lesson 3/")
	h.waitText("Greeting")
	h.waitText("RFC 5321, Section 4.3.1")
	h.key(tcell.KeyRune, 'n')
	h.waitText("EHLO and capabilities")
	h.key(tcell.KeyRune, ' ')
	h.waitText("Lesson 5/")
	h.waitText("— SMTP and ESMTP") // the concept page after the first EHLO
	h.key(tcell.KeyRune, ']')
	h.waitText("— STARTTLS")
	h.key(tcell.KeyRune, '[')
	h.waitText("Lesson 5/")

	// The plaintext relay session: its findings are taught at the phase
	// holding their evidence, and the ladder marks the evidence with "!".
	h.key(tcell.KeyTab, 0) // the timeline has the focus after ]; back to the sessions
	h.key(tcell.KeyTab, 0)
	h.key(tcell.KeyRune, 'j')
	h.waitText("Timeline — 192.0.2.66:41000")
	h.waitText("Lesson 1/")
	h.waitText("Role: relay")
	for range 7 { // intro, 3 phases, ESMTP, opportunistic TLS, downgrade answers
		h.key(tcell.KeyRune, ']')
	}
	txt = h.waitText("! Finding here: crit auth.plaintext")
	lesson := h.detailText()
	for _, want := range []string{"Authentication", "Why: ", "Attack: ", "Fix: ", "RFC 4954", "What an attacker could do here"} {
		if !strings.Contains(lesson, want) {
			t.Errorf("auth lesson lacks %q:\n%s", want, lesson)
		}
	}
	if !strings.Contains(txt, "▌ ! │AUTH LOGIN") {
		t.Errorf("no finding marker on the AUTH LOGIN arrow:\n%s", txt)
	}

	// t leaves lesson mode: the detail pane is back.
	h.key(tcell.KeyRune, 't')
	h.waitText("┌ Detail")
	h.waitText("lesson mode off")
}

// TestLessonPagesOnSamples builds the lesson of every session of every
// sample: every finding is taught on some page, every page has a title and
// text, the phase pages follow the ladder's bands.
func TestLessonPagesOnSamples(t *testing.T) {
	for _, name := range pcaps.Names() {
		st := readSample(t, name, "")
		st.View(func(ss []*session.Session, _ *session.Progress) {
			for _, s := range ss {
				lines := ladder(s, nil)
				pages := lessonPages(s, lines)
				bands := 0
				for _, l := range lines {
					if l.kind == lineBand {
						bands++
					}
				}
				concepts := 0
				for _, p := range pages {
					if p.kind == lesson.Concept {
						concepts++
					}
				}
				if len(pages)-concepts != bands+2 {
					t.Errorf("%s #%d: %d pages for %d bands", name, s.Stream, len(pages), bands)
				}
				all := ""
				for i, p := range pages {
					if p.title == "" || len(p.lines) < 2 {
						t.Errorf("%s #%d page %d is empty: %+v", name, s.Stream, i, p)
					}
					all += joinLines(p.lines)
				}
				for _, f := range s.Findings {
					if !strings.Contains(all, f.Code) {
						t.Errorf("%s #%d: finding %s is not taught", name, s.Stream, f.Code)
					}
				}
			}
		})
	}
}

// detailText reads the whole detail pane (also what is scrolled off).
func (h *appHarness) detailText() string {
	var out string
	h.u.App().QueueUpdate(func() { out = h.u.detail.GetText(true) })
	return out
}

func joinLines(ls []detailLine) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintln(&b, l.Text)
	}
	return b.String()
}
