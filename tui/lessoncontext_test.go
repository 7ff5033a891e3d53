package tui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

// pageTitled returns the text of the first lesson page of s whose title is
// title, or "".
func pageTitled(s *session.Session, title string) string {
	for _, p := range lessonPages(s, ladder(s, nil)) {
		if p.title == title {
			return joinLines(p.lines)
		}
	}
	return ""
}

// TestLessonCarriesThisSessionsNumbers: the encrypted page and the summary
// give this session's record and byte counts, never the pattern "N records,
// M bytes" (issue 17, defect 1).
func TestLessonCarriesThisSessionsNumbers(t *testing.T) {
	st := readSample(t, "starttls587-tls13.pcap", "")
	st.View(func(ss []*session.Session, _ *session.Progress) {
		s := ss[0]
		n, b := lesson.EncryptedTotals(s)
		if n == 0 {
			t.Fatal("sample has no encrypted records")
		}
		summary := pageTitled(s, "Summary")
		want := "Not assessable: " + strconv.Itoa(n) + " encrypted records, " + strconv.FormatInt(b, 10) + " bytes"
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
		enc := pageTitled(s, "Encrypted (no keys)")
		if !strings.Contains(enc, "In this session: ") || !strings.Contains(enc, " bytes that cannot be read") {
			t.Errorf("encrypted page lacks this session's numbers:\n%s", enc)
		}
		for _, p := range lessonPages(s, ladder(s, nil)) {
			if txt := joinLines(p.lines); strings.Contains(txt, "N records, M bytes") {
				t.Errorf("page %q prints the pattern instead of numbers:\n%s", p.title, txt)
			}
		}
	})
}

// TestLessonEHLOInsideTLS: with the key log, the EHLO page after STARTTLS
// and the one on 465 say the list went inside TLS, not in clear; the clear
// EHLO says it went in clear.
func TestLessonEHLOInsideTLS(t *testing.T) {
	for _, name := range []string{"starttls587-tls13.pcap", "smtps465-tls13-ipv6.pcap"} {
		st := readSample(t, name, samplePath(pcaps.KeyLog(name)))
		st.View(func(ss []*session.Session, _ *session.Progress) {
			s := ss[0]
			var ehlo []string
			for _, p := range lessonPages(s, ladder(s, nil)) {
				if p.title == "EHLO and capabilities" {
					ehlo = append(ehlo, joinLines(p.lines))
				}
			}
			if len(ehlo) == 0 {
				t.Fatalf("%s: no EHLO page", name)
			}
			last := ehlo[len(ehlo)-1]
			if !strings.Contains(last, "went inside TLS") || strings.Contains(last, "went in clear") {
				t.Errorf("%s: the last EHLO page does not say it was protected:\n%s", name, last)
			}
			if name == "starttls587-tls13.pcap" && (len(ehlo) < 2 || !strings.Contains(ehlo[0], "went in clear")) {
				t.Errorf("%s: the first EHLO page does not say it went in clear: %q", name, ehlo)
			}
		})
	}
}

// TestLessonContextOnScreen shows the same on a real screen at projector
// and laptop sizes.
func TestLessonContextOnScreen(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		st := readSample(t, "starttls587-tls13.pcap", "")
		h := startApp(t, New(st, Options{Teach: true, Title: "t"}), sz[0], sz[1])
		h.waitText("Lesson 1/")
		for range 12 {
			if strings.Contains(h.detailText(), "Summary") {
				break
			}
			h.key(tcell.KeyRune, ']')
		}
		// Wait on the screen, not the pane's text: the pane's text changes
		// before the next draw shows it.
		txt := h.waitFor("summary with numbers", func(s string) bool {
			return strings.Contains(s, "Not assessable: ")
		})
		if d := h.detailText(); strings.Contains(d, "N records, M bytes") || !strings.Contains(txt, "Not assessable: ") {
			t.Errorf("%dx%d: the summary is not this session's:\n%s\n%s", sz[0], sz[1], txt, d)
		}
	}
}
