package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/pcaps"
)

// nextUntil presses ] until the pane's first line contains want (at most
// n presses), waiting for each press to change the page.
func nextUntil(t *testing.T, h *appHarness, want string, n int) string {
	t.Helper()
	for range n {
		d := h.detailText()
		if strings.Contains(firstLine(d), want) {
			return d
		}
		h.key(tcell.KeyRune, ']')
		h.waitFor("the next page", func(string) bool { return firstLine(h.detailText()) != firstLine(d) })
	}
	t.Fatalf("no page %q after %d pages", want, n)
	return ""
}

// TestTourOfTheDemo walks the demo with --tour at projector and laptop
// size, with its key log and without: the first page names the sessions
// and says whether keys were used, ] goes from one session's last page to
// the next session's first (and [ back), \ keeps the lesson projected
// across sessions, and the walk ends with a self-check whose answers come
// from the capture (issue 17, deliver 4 and 6).
func TestTourOfTheDemo(t *testing.T) {
	for _, keys := range []bool{true, false} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			kf := ""
			if keys {
				kf = samplePath(pcaps.KeyLog(pcaps.Demo()))
			}
			st := readSample(t, pcaps.Demo(), kf)
			h := startApp(t, New(st, Options{Tour: true, Title: "demo"}), sz[0], sz[1])
			h.waitText("Tour: session 1/3")
			d := h.detailText()
			for _, want := range []string{"— Tour of this capture", "#0 192.0.2.20 → 198.51.100.25:587 submission",
				"#1 192.0.2.66 → 198.51.100.25:25 relay", "#2 203.0.113.7 → 198.51.100.25:25 relay"} {
				if !strings.Contains(d, want) {
					t.Errorf("keys=%v %dx%d: the tour's first page lacks %q:\n%s", keys, sz[0], sz[1], want, d)
				}
			}
			if keyed := strings.Contains(d, "Read with the TLS key log"); keyed != keys {
				t.Errorf("keys=%v %dx%d: the first page says otherwise about keys:\n%s", keys, sz[0], sz[1], d)
			}
			h.key(tcell.KeyRune, '\\')
			h.waitFor("the lesson projected", func(s string) bool { return !strings.Contains(s, "Sessions") })
			nextUntil(t, h, "— Summary", 40)
			h.key(tcell.KeyRune, ']')
			scr := h.waitText("Tour: session 2/3 · Lesson 1/")
			if strings.Contains(scr, "Sessions") || !strings.Contains(scr, "Ports, roles and TLS") {
				t.Errorf("keys=%v %dx%d: the next session is not projected from its first page:\n%s", keys, sz[0], sz[1], scr)
			}
			if d := h.detailText(); strings.Contains(d, "Three ports, three jobs") || !strings.Contains(d, "Role: relay") {
				t.Errorf("keys=%v %dx%d: the second session repeats the general introduction:\n%s", keys, sz[0], sz[1], d)
			}
			h.key(tcell.KeyRune, '[')
			h.waitText("Tour: session 1/3")
			h.waitText("— Summary")
			nextUntil(t, h, "— Self-check", 120)
			if d := h.detailText(); !strings.Contains(d, "Which session let anyone on the path read a password") ||
				strings.Contains(d, "bob@example.com") {
				t.Errorf("keys=%v %dx%d: the self-check asks wrong or tells the answer:\n%s", keys, sz[0], sz[1], d)
			}
			h.waitText("Tour: session 3/3")
			h.key(tcell.KeyRune, ']')
			h.waitText("— Self-check: answers")
			a := h.detailText()
			for _, want := range []string{"#1 192.0.2.66 → 198.51.100.25:25 relay: AUTH LOGIN as bob@example.com in clear",
				"starttls.offered_not_used (crit), frames 26, 35, 64, 79"} {
				if !strings.Contains(a, want) {
					t.Errorf("keys=%v %dx%d: the answers lack %q:\n%s", keys, sz[0], sz[1], want, a)
				}
			}
			if keys && !strings.Contains(a, "3 messages seen, 1 of them in clear.") {
				t.Errorf("keys=%v %dx%d: the message count is not the capture's:\n%s", keys, sz[0], sz[1], a)
			}
			if !keys && !strings.Contains(a, "not counted without the keys") {
				t.Errorf("keys=%v %dx%d: the answers do not say what the keys would add:\n%s", keys, sz[0], sz[1], a)
			}
		}
	}
}

// TestPageIndex: i lists the lesson's pages; enter opens the chosen one.
func TestPageIndex(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		st := readSample(t, pcaps.Demo(), samplePath(pcaps.KeyLog(pcaps.Demo())))
		h := startApp(t, New(st, Options{Teach: true, Title: "demo"}), sz[0], sz[1])
		h.waitText("Lesson 1/")
		h.key(tcell.KeyRune, 'i')
		scr := h.waitText("Lesson pages — enter opens")
		for _, want := range []string{"1. intro   Ports, roles and TLS", "5. concept SMTP and ESMTP", "6. phase   STARTTLS"} {
			if !strings.Contains(scr, want) {
				t.Errorf("%dx%d: the index lacks %q:\n%s", sz[0], sz[1], want, scr)
			}
		}
		for range 5 {
			h.key(tcell.KeyRune, 'j')
		}
		h.key(tcell.KeyEnter, 0)
		scr = h.waitText("— STARTTLS")
		if strings.Contains(scr, "Lesson pages") {
			t.Errorf("%dx%d: the index stayed open:\n%s", sz[0], sz[1], scr)
		}
		h.waitFor("the STARTTLS band at the top", func(s string) bool {
			return strings.Contains(rowAfter(s, "Timeline — "), "━━ starttls")
		})
		h.key(tcell.KeyRune, 'i')
		h.waitText("Lesson pages")
		h.key(tcell.KeyEscape, 0)
		h.waitFor("the index closed", func(s string) bool { return !strings.Contains(s, "Lesson pages") })
	}
}
