package tui

import (
	"github.com/smtpscope/smtpscope/dissect/wire"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// appHarness runs the UI on a simulation screen. It synchronises through
// the application's own queue and a draw signal, never by sleeping.
type appHarness struct {
	t      *testing.T
	u      *UI
	screen tcell.SimulationScreen
	drawn  chan struct{}
	done   chan struct{} // closed when Run returned
	err    error
}

func startApp(t *testing.T, u *UI, w, h int) *appHarness {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	hs := &appHarness{t: t, u: u, screen: s, drawn: make(chan struct{}, 1), done: make(chan struct{})}
	u.App().SetScreen(s)
	u.App().SetAfterDrawFunc(func(tcell.Screen) {
		select {
		case hs.drawn <- struct{}{}:
		default:
		}
	})
	go func() { hs.err = u.Run(); close(hs.done) }()
	// Run initialises the screen (80×25); resize it once the loop runs.
	u.App().QueueUpdateDraw(func() { s.SetSize(w, h) })
	t.Cleanup(func() {
		select {
		case <-hs.done:
		default:
			u.quit()
			<-hs.done
		}
	})
	return hs
}

// text reads the screen on the event goroutine.
func (h *appHarness) text() string {
	var out string
	h.u.App().QueueUpdate(func() { out = strings.Join(screenRows(h.screen), "\n") })
	return out
}

// waitFor waits, draw by draw, until the screen satisfies ok.
func (h *appHarness) waitFor(what string, ok func(string) bool) string {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		txt := h.text()
		if ok(txt) {
			return txt
		}
		select {
		case <-h.drawn:
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, txt)
		}
	}
}

func (h *appHarness) waitText(want string) string {
	h.t.Helper()
	return h.waitFor(want, func(s string) bool { return strings.Contains(s, want) })
}

func (h *appHarness) key(k tcell.Key, r rune) { h.screen.InjectKey(k, r, tcell.ModNone) }

func (h *appHarness) typeText(s string) {
	for _, r := range s {
		h.key(tcell.KeyRune, r)
	}
}

func TestApp(t *testing.T) {
	st := storeOf(startTLSSession(), plainSubmission(1, "192.0.2.20"), implicitSession(2))
	h := startApp(t, New(st, Options{Title: "app.pcap"}), 120, 40)

	h.waitText("192.0.2.10:40000 → 198.51.100.25:25")
	h.waitText("Timeline — 192.0.2.10:40000 → 198.51.100.25:25")

	// Move to the second session (submission, port 587).
	h.key(tcell.KeyRune, 'j')
	h.waitText("Timeline — 192.0.2.20:50000 → 203.0.113.87:587")

	// Step phases with ]: the detail pane follows the bands.
	h.key(tcell.KeyRune, ']')
	h.waitText("Phase greeting")
	h.key(tcell.KeyRune, ']')
	h.waitText("Phase ehlo")
	h.key(tcell.KeyRune, ']')
	h.waitText("Phase auth")
	h.key(tcell.KeyRune, '[')
	h.waitText("Phase ehlo")
	h.key(tcell.KeyRune, 'j') // the EHLO command
	h.waitText("Verb: EHLO")

	// Help overlay from the key table; any key closes it.
	h.key(tcell.KeyRune, '?')
	h.waitText("smtpscope keys")
	h.waitText("maximise the focused pane")
	h.key(tcell.KeyEscape, 0)
	h.waitFor("help closed", func(s string) bool { return !strings.Contains(s, "smtpscope keys") })

	// An invalid filter shows a red hint and changes nothing.
	h.key(tcell.KeyRune, '/')
	h.typeText("bogus:1")
	h.waitText(`filter not applied: column 1: unknown field "bogus"`)
	h.key(tcell.KeyEscape, 0)
	h.waitText("3 sessions")

	// Regression: an invalid filter left its last valid prefix applied
	// ("tls:1.2" kept "tls", a word that selects STARTTLS sessions).
	h.key(tcell.KeyRune, '/')
	h.typeText("tls:1.2")
	h.waitText("filter not applied")
	h.key(tcell.KeyEnter, 0)
	h.waitText("filter not applied")
	h.waitText(" 3 sessions")

	// Filter port:587: only the submission session is left.
	h.key(tcell.KeyRune, '/')
	h.typeText("port:587")
	h.key(tcell.KeyEnter, 0)
	txt := h.waitText("1/3 sessions")
	if strings.Contains(txt, "198.51.100.25") || strings.Contains(txt, "203.0.113.65") {
		t.Errorf("filter port:587 left other sessions on screen:\n%s", txt)
	}
	if !strings.Contains(txt, "192.0.2.20:50000 → 203.0.113.87:587") {
		t.Errorf("filter port:587 hid the submission session:\n%s", txt)
	}

	// n finds the filter's words: none here, so a hint.
	h.key(tcell.KeyRune, 'n')
	h.waitText("no search words")

	// Findings list, worst first.
	h.key(tcell.KeyRune, 'f')
	h.waitText("crit  ")
	h.waitText("AUTH PLAIN outside TLS")
	h.key(tcell.KeyEnter, 0) // jump to the evidence
	h.waitText("Verb: AUTH")

	// Maximise and restore.
	h.key(tcell.KeyRune, '\\')
	h.waitFor("maximised timeline", func(s string) bool { return !strings.Contains(s, "Client → Server") })
	h.key(tcell.KeyRune, '\\')
	h.waitText("Client → Server")

	// Quit.
	h.key(tcell.KeyRune, 'q')
	select {
	case <-h.done:
		if h.err != nil {
			t.Fatalf("Run() = %v", h.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("q did not stop the application")
	}
}

func TestAppExpandRun(t *testing.T) {
	h := startApp(t, New(storeOf(startTLSSession()), Options{}), 120, 40)
	h.waitText("Timeline — 192.0.2.10:40000")
	h.key(tcell.KeyTab, 0) // to the timeline
	for range 17 {         // the run line
		h.key(tcell.KeyRune, 'j')
	}
	h.waitText("4 encrypted TLS records")
	h.key(tcell.KeyEnter, 0)
	h.waitText("▾ 4 encrypted records, 2464 bytes")
	h.waitText("TLS Application Data (encrypted)")
	h.key(tcell.KeyEnter, 0)
	h.waitText("▸ 4 encrypted records, 2464 bytes")
}

func TestAppLiveLoading(t *testing.T) {
	st := session.NewStore()
	st.Update(func(_ func(*session.Session), p *session.Progress) {
		p.Source, p.TotalBytes = "live.pcap", 1000
	})
	h := startApp(t, New(st, Options{}), 150, 30)
	h.waitText("live.pcap")
	// The builder adds sessions while reading; the ticker picks them up.
	st.Update(func(add func(*session.Session), p *session.Progress) {
		add(startTLSSession())
		p.Bytes, p.Packets, p.Limits[wire.LimitFlows] = 500, 42, 3
		p.Limits[wire.LimitKeyLog] = 1 // issue 12, defect 2: a cut key log is shown
		p.Decompressed = 3 << 30       // issue 12, defect 7: decompression progress
		p.Errors = append(p.Errors, "capture: truncated record at offset 512")
	})
	h.waitText("192.0.2.10:40000 → 198.51.100.25:25")
	txt := h.waitText("50%")
	for _, want := range []string{"42 pkts", "1 session ", "limits flows=3", "keylog=1", "gz→3.0 GiB", "1 error: truncated rec"} {
		if !strings.Contains(txt, want) {
			t.Errorf("status bar lacks %q:\n%s", want, txt)
		}
	}
	st.Update(func(add func(*session.Session), p *session.Progress) {
		add(plainSubmission(1, "192.0.2.20"))
		p.Bytes, p.Done = 1000, true
	})
	h.waitText("192.0.2.20:50000 → 203.0.113.87:587")
	h.waitText("done")
}

func TestAppMouse(t *testing.T) {
	st := storeOf(startTLSSession(), plainSubmission(1, "192.0.2.20"), implicitSession(2))
	h := startApp(t, New(st, Options{Mouse: true}), 120, 40)
	h.waitText("Timeline — 192.0.2.10:40000")
	click := func(x, y int) {
		h.screen.InjectMouse(x, y, tcell.Button1, tcell.ModNone)
		h.screen.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
	}
	// Mouse off: a click on the second session (row y=3: border, header,
	// one row above it) is ignored. Keys and clicks share one queue, so
	// once "mouse on" shows the click was handled.
	h.key(tcell.KeyRune, 'm')
	h.waitText("mouse off")
	click(10, 3)
	h.key(tcell.KeyRune, 'm')
	h.waitText("mouse on")
	if txt := h.text(); !strings.Contains(txt, "Timeline — 192.0.2.10:40000 → 198.51.100.25:25") {
		t.Fatalf("a click with the mouse off changed the selection; screen:\n%s", txt)
	}
	// Mouse on: a click on row y=4 selects the third session.
	click(10, 4)
	h.waitText("Timeline — 192.0.2.99:51000 → 203.0.113.65:465")
}
