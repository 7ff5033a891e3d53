package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

// TestCompareOnScreen shows the demo's clean 587 submission next to the
// stripped one at 160x45 (beside each other) and 80x24 (one above the
// other), stepped by phase: the EHLO row names the difference and shows
// both lists, 250-XXXXXXXA on the right; the STARTTLS row has no right
// page (issue 17, deliver 3).
func TestCompareOnScreen(t *testing.T) {
	var good, bad *session.Session
	readSample(t, pcaps.Demo(), samplePath(pcaps.KeyLog(pcaps.Demo()))).View(func(ss []*session.Session, _ *session.Progress) { good = ss[0] })
	readSample(t, "attack-stripped587.pcap", "").View(func(ss []*session.Session, _ *session.Progress) { bad = ss[0] })
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		c := NewCompare(good, bad, Options{Title: "t"})
		scr := tcell.NewSimulationScreen("UTF-8")
		if err := scr.Init(); err != nil {
			t.Fatal(err)
		}
		c.App().SetScreen(scr)
		done := make(chan error, 1)
		go func() { done <- c.App().Run() }()
		// Run initialises the screen (80×25); resize it once the loop runs,
		// and read the screen only after a draw at the new size.
		c.App().QueueUpdateDraw(func() { scr.SetSize(sz[0], sz[1]) })
		text := func() string {
			var out string
			c.App().QueueUpdate(func() {
				if w, h := scr.Size(); w == sz[0] && h == sz[1] && c.width == sz[0] {
					out = strings.Join(screenRows(scr), "\n")
				}
			})
			return out
		}
		wait := func(want string) string {
			t.Helper()
			deadline := time.Now().Add(10 * time.Second)
			for {
				s := text()
				if strings.Contains(s, want) {
					return s
				}
				if time.Now().After(deadline) {
					t.Fatalf("%dx%d: timed out waiting for %q:\n%s", sz[0], sz[1], want, s)
				}
				c.App().QueueUpdateDraw(func() {})
			}
		}
		s := wait("Compare 1/13 — Ports, roles and TLS")
		beside := false
		for _, row := range strings.Split(s, "\n") {
			beside = beside || strings.Contains(row, "Left: ") && strings.Contains(row, "Right: ")
		}
		if beside != (sz[0] >= narrowWidth) {
			t.Errorf("%dx%d: left and right beside each other = %v:\n%s", sz[0], sz[1], beside, s)
		}
		for range 3 {
			scr.InjectKey(tcell.KeyRune, ']', tcell.ModNone)
		}
		s = wait("Compare 4/13 — EHLO and capabilities")
		for _, want := range []string{"≠ Only the left EHLO reply lists STARTTLS.", "≠ Only the right EHLO reply lists XXXXXXXA, AUTH.",
			"250-mail.example.net Hello client.example.org"} {
			if !strings.Contains(s, want) {
				t.Errorf("%dx%d: the EHLO row lacks %q:\n%s", sz[0], sz[1], want, s)
			}
		}
		for range 7 { // scroll both sides to the end of the lists
			scr.InjectKey(tcell.KeyRune, 'j', tcell.ModNone)
		}
		wait("250-XXXXXXXA")
		scr.InjectKey(tcell.KeyRune, ']', tcell.ModNone)
		s = wait("Compare 5/13 — STARTTLS")
		if !strings.Contains(s, "No STARTTLS phase in this session at this point.") {
			t.Errorf("%dx%d: the right side of STARTTLS is not empty:\n%s", sz[0], sz[1], s)
		}
		scr.InjectKey(tcell.KeyRune, '[', tcell.ModNone)
		wait("Compare 4/13")
		scr.InjectKey(tcell.KeyRune, 'q', tcell.ModNone)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
