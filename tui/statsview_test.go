package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// S shows the statistics of the sessions shown as bar charts inside the
// screen, scrolls with j/PgDn, and follows the filter; at 80x24 and 60x20.
func TestStatsOverlay(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(followStore(), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		press(u, s, tcell.KeyRune, 'S')
		overlayInside(t, s, "Statistics — 2 sessions")
		for _, want := range []string{"2 sessions, 9 commands", "Reply codes — 12 replies", "  220  ████"} {
			if !screenHas(s, want) {
				t.Errorf("%dx%d: %q not on screen:\n%s", sz[0], sz[1], want, screenText(s))
			}
		}
		for _, r := range screenRows(s) {
			if width(r) > sz[0] {
				t.Errorf("%dx%d: row wider than the screen: %q", sz[0], sz[1], r)
			}
		}
		// The 550 bar is in the error colour.
		cells, w, _ := s.GetContents()
		pos := findCells(s, "550  █")
		if len(pos) == 0 {
			t.Fatalf("%dx%d: no 550 bar:\n%s", sz[0], sz[1], screenText(s))
		}
		errC, _, _ := u.theme.style(roleError).Decompose()
		if c, _, _ := cells[pos[0][1]*w+pos[0][0]].Style.Decompose(); c != errC {
			t.Errorf("%dx%d: 550 bar colour %v, want %v", sz[0], sz[1], c, errC)
		}
		// Scrolling reaches the sessions-over-time chart.
		for range 8 {
			press(u, s, tcell.KeyPgDn, 0)
		}
		if !screenHas(s, "Sessions over time — 2 sessions") {
			t.Errorf("%dx%d: PgDn does not reach the end:\n%s", sz[0], sz[1], screenText(s))
		}
		press(u, s, tcell.KeyEscape, 0)
		if screenHas(s, "Statistics") {
			t.Errorf("%dx%d: esc did not close it", sz[0], sz[1])
		}
		// With a filter: only the sessions it selects.
		press(u, s, tcell.KeyRune, '/')
		typeKeys(u, s, "reply >= 500")
		press(u, s, tcell.KeyEnter, 0)
		press(u, s, tcell.KeyRune, 'S')
		overlayInside(t, s, "Statistics — 1 session (filtered)")
		if !screenHas(s, "1 session, 6 commands") {
			t.Errorf("%dx%d filtered:\n%s", sz[0], sz[1], screenText(s))
		}
		if strings.Contains(screenText(s), "TLS 1.3") {
			t.Errorf("%dx%d: the filtered-out TLS session is counted", sz[0], sz[1])
		}
	}
}

// Captured text in the statistics (recipients, servers) is drawn as
// itself: tview tags and escapes stay inert.
func TestStatsOverlayHostileText(t *testing.T) {
	s := plainSubmission(1, "192.0.2.20")
	for i := range s.Commands {
		if s.Commands[i].Verb == "RCPT" {
			s.Commands[i].Arg = `TO:<[red]evil[:::https://x]@x\x1b[31m>`
		}
	}
	u := New(storeOf(s), Options{})
	sc := drawOn(t, u, 120, 50)
	press(u, sc, tcell.KeyRune, 'S')
	for range 3 {
		press(u, sc, tcell.KeyPgDn, 0)
	}
	if !screenHas(sc, `[red]evil[:::https://x]@x\x1b[31m`) {
		t.Errorf("the recipient is not shown literally:\n%s", screenText(sc))
	}
}
