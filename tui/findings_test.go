package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// TestFindingsListSortAndJump: worst first, o switches to evidence order,
// enter jumps to the evidence on the timeline.
func TestFindingsListSortAndJump(t *testing.T) {
	s := plainSubmission(0, "192.0.2.20")
	// mail.plaintext (high) has earlier evidence than auth.plaintext (crit).
	s.Findings[1].Frames = []int64{2}
	h := startApp(t, New(storeOf(s), Options{}), 120, 40)
	h.waitText("Timeline — 192.0.2.20:50000")
	h.key(tcell.KeyRune, 'f')
	txt := h.waitText("Findings, worst first")
	_, txt, _ = strings.Cut(txt, "Findings, worst first") // below the sessions table's worst-finding column
	if a, m := strings.Index(txt, "auth.plaintext"), strings.Index(txt, "mail.plaintext"); a < 0 || m < 0 || a > m {
		t.Errorf("worst first: auth.plaintext (crit) should come before mail.plaintext:\n%s", txt)
	}
	h.key(tcell.KeyRune, 'o')
	txt = h.waitText("Findings by frame")
	_, txt, _ = strings.Cut(txt, "Findings by frame")
	if a, m := strings.Index(txt, "auth.plaintext"), strings.Index(txt, "mail.plaintext"); a < 0 || m < 0 || m > a {
		t.Errorf("by frame: mail.plaintext (frame 2) should come first:\n%s", txt)
	}
	h.key(tcell.KeyEnter, 0) // the first row: mail.plaintext, frame 2 (SYN-ACK)
	h.waitText("Event syn-ack")
	h.waitText("! Finding high mail.plaintext")
}

func TestLadderMarksEvidence(t *testing.T) {
	s := plainSubmission(0, "192.0.2.20")
	marks := map[string]session.Severity{}
	for _, l := range ladder(s, nil) {
		if l.kind == lineEvent {
			marks[l.label] = l.mark
		}
	}
	for label, want := range map[string]session.Severity{
		"AUTH PLAIN ********":         session.SevCrit,
		"MAIL FROM:<bob@example.org>": session.SevHigh,
		"RCPT TO:<alice@example.com>": "",
	} {
		if marks[label] != want {
			t.Errorf("mark of %q = %q, want %q", label, marks[label], want)
		}
	}
}

func TestDetailExplainsFindings(t *testing.T) {
	s := plainSubmission(0, "192.0.2.20")
	for _, l := range ladder(s, nil) {
		if l.kind != lineEvent || l.label != "AUTH PLAIN ********" {
			continue
		}
		txt := joinLines(detail(s, &l))
		for _, want := range []string{"! Finding crit auth.plaintext: AUTH PLAIN outside TLS", "Why: ", "Attack: ", "Fix: ", "RFC 4954"} {
			if !strings.Contains(txt, want) {
				t.Errorf("detail of AUTH lacks %q:\n%s", want, txt)
			}
		}
		return
	}
	t.Fatal("no AUTH line")
}
