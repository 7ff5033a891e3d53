package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

// stepToPage presses ] until the detail pane shows a page titled title,
// and returns the whole pane's text.
func stepToPage(t *testing.T, h *appHarness, title string) string {
	t.Helper()
	for range 30 {
		d := h.detailText()
		if strings.Contains(firstLine(d), "— "+title) {
			h.waitText("— " + title)
			return d
		}
		h.key(tcell.KeyRune, ']')
		h.waitFor("the next page", func(string) bool { return firstLine(h.detailText()) != firstLine(d) })
	}
	t.Fatalf("no page %q", title)
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestLessonPaneIsTheDeck: the lesson pane shows the pages of package
// lesson, the same text `smtpscope lessons` prints: every line of the
// injection page, its raw segment included, at projector and laptop size
// (issue 17, deliver 5 and defect 2).
func TestLessonPaneIsTheDeck(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		st := readSample(t, "attack-cmdinject25.pcap", "")
		var want lesson.Page
		st.View(func(ss []*session.Session, _ *session.Progress) {
			for _, p := range lesson.Pages(ss[0]) {
				if p.Title == "STARTTLS" {
					want = p
				}
			}
		})
		h := startApp(t, New(st, Options{Teach: true, Title: "t"}), sz[0], sz[1])
		h.waitText("Lesson 1/")
		d := stepToPage(t, h, "STARTTLS")
		for _, l := range want.Lines {
			if l.Text != "" && !strings.Contains(d, l.Text) {
				t.Errorf("%dx%d: the pane lacks the deck's line %q:\n%s", sz[0], sz[1], l.Text, d)
			}
		}
		for _, w := range []string{`│ STARTTLS\r\n`, `│ RSET\r\n`, "2 items in one segment", "References: RFC 3207, Section 4"} {
			if !strings.Contains(d, w) {
				t.Errorf("%dx%d: the pane lacks %q:\n%s", sz[0], sz[1], w, d)
			}
		}
		if strings.Contains(d, "SPF") {
			t.Errorf("%dx%d: the injection page teaches SPF:\n%s", sz[0], sz[1], d)
		}
		// Next come the concept pages of STARTTLS, then the TLS
		// handshake: no envelope page for the injected RSET.
		for _, title := range []string{"Opportunistic or required TLS", "Answers to downgrade: MTA-STS, DANE, TLS-RPT", "TLS handshake"} {
			h.key(tcell.KeyRune, ']')
			h.waitText("— " + title)
		}
	}
}

// TestStrippedListOnScreen: at 160x45 the stripping lesson shows the EHLO
// list with 250-XXXXXXXA on screen; at 80x24 in the pane's text.
func TestStrippedListOnScreen(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		st := readSample(t, "attack-stripped587.pcap", "")
		h := startApp(t, New(st, Options{Teach: true, Title: "t"}), sz[0], sz[1])
		h.waitText("Lesson 1/")
		d := stepToPage(t, h, "EHLO and capabilities")
		if !strings.Contains(d, "250-XXXXXXXA") || strings.Contains(d, "(+6 lines)") {
			t.Errorf("%dx%d: the EHLO list is not on the page:\n%s", sz[0], sz[1], d)
		}
		if sz[0] == 160 {
			h.waitText("250-XXXXXXXA")
		}
	}
}

// TestConceptPagesOnScreen: the concept pages of the demo's clean
// submission appear in the lesson at 80x24 and 160x45, after the phase
// they explain, with this session's numbers (issue 17, deliver 2).
func TestConceptPagesOnScreen(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		st := readSample(t, pcaps.Demo(), samplePath(pcaps.KeyLog(pcaps.Demo())))
		h := startApp(t, New(st, Options{Teach: true, Title: "demo"}), sz[0], sz[1])
		h.waitText("Lesson 1/")
		stepToPage(t, h, "STARTTLS")
		h.key(tcell.KeyRune, ']')
		scr := h.waitText("— Opportunistic or required TLS")
		if !strings.Contains(scr, "In this session") {
			t.Errorf("%dx%d: the concept page does not start with this session:\n%s", sz[0], sz[1], scr)
		}
		d := stepToPage(t, h, "Port 465: registered, revoked, re-standardised")
		if !strings.Contains(d, "This session used port 587: 10 SMTP lines (245 bytes) crossed in clear") {
			t.Errorf("%dx%d: the 465 page lacks this session's numbers:\n%s", sz[0], sz[1], d)
		}
		h.key(tcell.KeyRune, ']')
		h.waitText("— TLS handshake")
	}
}
