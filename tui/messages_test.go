package tui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// mailSession is a session whose message has a text part and a PDF.
func mailSession() *session.Session {
	s := plainSubmission(4, "192.0.2.44")
	m := &s.Messages[0]
	m.From, m.To, m.InTLS = "Bob <bob@example.org>", "alice@example.com", false
	m.Headers = []session.Header{{Name: "From", Value: m.From}, {Name: "X-Mailer", Value: "hostile [red]mailer"}}
	m.MailParams = &session.EnvParams{Size: 812, Body: "8BITMIME"}
	m.Rcpts = []session.Rcpt{{Addr: "alice@example.com", Reply: 250, Params: &session.EnvParams{Notify: []string{"SUCCESS"}}}}
	m.Parts = []session.Part{
		{ID: "F4.0.0", Parent: -1, MimeType: "multipart/mixed", Multipart: true},
		{ID: "F4.0.1", Section: "1", Depth: 1, MimeType: "text/plain", Encoding: "7bit", Size: 14, Preview: "see the report"},
		{ID: "F4.0.2", Section: "2", Depth: 1, MimeType: "application/pdf", Encoding: "base64", Filename: "../q4.pdf",
			Attachment: true, Size: 2 << 20, MD5: "00112233445566778899aabbccddeeff"},
	}
	// The message's own timeline line.
	s.Timeline = append(s.Timeline, session.Event{Frame: 99, Dir: wire.ClientToServer, Phase: session.PhaseData,
		Kind: session.KindMessage, Summary: "message 812 bytes, Subject: quarterly report, attachment: ../q4.pdf (2.0 MiB)", Ref: 0})
	return s
}

func TestMessagesViewAndSave(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	type call struct {
		stream int64
		part   int
	}
	var calls []call
	save := func(stream int64, m *session.Message, part int, w io.Writer) error {
		calls = append(calls, call{stream, part})
		if part < 0 {
			_, err := io.WriteString(w, "Subject: quarterly report\r\n\r\nbody\r\n")
			return err
		}
		_, err := io.WriteString(w, "%PDF-1.4 …")
		return err
	}
	u := New(storeOf(startTLSSession(), mailSession()), Options{SaveMessage: save})
	h := startApp(t, u, 160, 50)
	h.waitText("Cmds")
	h.key(tcell.KeyRune, 'M')
	txt := h.waitText("Messages — enter opens")
	for _, want := range []string{"quarterly report", "1: ../q4.pdf", "clear", "250 accepted", "Bob <bob@example.org>"} {
		if !strings.Contains(txt, want) {
			t.Errorf("messages list lacks %q:\n%s", want, txt)
		}
	}
	h.key(tcell.KeyEnter, 0)
	txt = h.waitText("Message #4.0")
	for _, want := range []string{"MAIL FROM <bob@example.org>  SIZE=812 BODY=8BITMIME", "RCPT TO <alice@example.com> 250  NOTIFY=SUCCESS",
		"1 text/plain  14 B", `2 application/pdf  "../q4.pdf"  2.0 MiB  attachment`, "see the report"} {
		if !strings.Contains(txt, want) {
			t.Errorf("message view lacks %q:\n%s", want, txt)
		}
	}
	h.key(tcell.KeyRune, 'k')
	h.key(tcell.KeyRune, 'k')
	// A payload text view: tags are shown, never parsed.
	h.waitText("X-Mailer: hostile [red]mailer")
	// The PDF: a saves it.
	h.key(tcell.KeyRune, 'j')
	h.key(tcell.KeyRune, 'j')
	h.key(tcell.KeyRune, 'j')
	h.waitText("md5 00112233445566778899aabbccddeeff")
	h.key(tcell.KeyRune, 'a')
	h.waitText("save part 2 to: s4-m0-q4.pdf") // the sender's "../" dropped
	u.App().QueueUpdateDraw(func() { u.keyInput.SetText("~/q4.pdf") })
	h.waitText("~/q4.pdf")
	h.key(tcell.KeyEnter, 0)
	h.waitText("saved part 2")
	if b, err := os.ReadFile(filepath.Join(home, "q4.pdf")); err != nil || string(b) != "%PDF-1.4 …" {
		t.Fatalf("saved part: %q %v", b, err)
	}
	// Again to the same path: asked first, written on the second enter.
	h.key(tcell.KeyRune, 'e')
	h.waitText("save the message to:")
	u.App().QueueUpdateDraw(func() { u.keyInput.SetText("~/q4.pdf") })
	h.waitText("~/q4.pdf")
	h.key(tcell.KeyEnter, 0)
	h.waitText("q4.pdf exists — enter again overwrites it")
	if b, _ := os.ReadFile(filepath.Join(home, "q4.pdf")); string(b) != "%PDF-1.4 …" {
		t.Errorf("overwritten before the confirmation")
	}
	h.key(tcell.KeyEnter, 0)
	h.waitText("saved the message")
	if b, _ := os.ReadFile(filepath.Join(home, "q4.pdf")); !strings.HasPrefix(string(b), "Subject: quarterly report") {
		t.Errorf("not overwritten after the confirmation: %q", b)
	}
	if len(calls) != 2 || calls[0] != (call{4, 2}) || calls[1] != (call{4, -1}) {
		t.Errorf("SaveMessage calls %v", calls)
	}
	h.key(tcell.KeyEscape, 0)
	h.waitFor("message view closed", func(s string) bool { return !strings.Contains(s, "Message #4.0") })
}

// Enter on the timeline's message line (or its DATA command) opens it.
func TestMessageFromTimeline(t *testing.T) {
	u := New(storeOf(mailSession()), Options{})
	s := drawOn(t, u, 160, 50)
	u.selectSession(0)
	u.focus(u.timeline)
	redraw(u, s)
	row := -1
	for i, l := range u.lines {
		if l.kind == lineEvent && strings.Contains(u.timeline.GetCell(i, u.timeline.GetColumnCount()-1).Text+rowText(u, i), "DATA") {
			row = i
			break
		}
	}
	if row < 0 {
		t.Fatal("no DATA line on the timeline")
	}
	u.timeline.Select(row, 0)
	press(u, s, tcell.KeyEnter, 0)
	if u.overlay != overlayMessage || !strings.Contains(screenText(s), "quarterly report") {
		t.Fatalf("enter on DATA: overlay %v\n%s", u.overlay, screenText(s))
	}
}

// rowText joins a timeline row's cells.
func rowText(u *UI, r int) string {
	var b strings.Builder
	for c := range u.timeline.GetColumnCount() {
		if tc := u.timeline.GetCell(r, c); tc != nil {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// A capture with 20,000 messages: the list is a virtual table (no cells
// made up front) and its last page shows the last message.
func TestMessagesListLarge(t *testing.T) {
	s := plainSubmission(1, "192.0.2.1")
	base := s.Messages[0]
	s.Messages = nil
	for i := range 20000 {
		m := base
		m.Subject = "message " + itoa64(int64(i))
		s.Messages = append(s.Messages, m)
	}
	u := New(storeOf(s), Options{})
	sc := drawOn(t, u, 120, 40)
	press(u, sc, tcell.KeyRune, 'M')
	if u.msgList.GetRowCount() != 20001 {
		t.Fatalf("rows %d", u.msgList.GetRowCount())
	}
	press(u, sc, tcell.KeyRune, 'G')
	press(u, sc, tcell.KeyEnd, 0)
	if txt := screenText(sc); !strings.Contains(txt, "message 19999") {
		t.Errorf("last page lacks the last message:\n%s", txt)
	}
	press(u, sc, tcell.KeyEnter, 0)
	if u.overlay != overlayMessage || !strings.Contains(screenText(sc), "Subject: message 19999") {
		t.Errorf("enter on the last message: overlay %v", u.overlay)
	}
}
