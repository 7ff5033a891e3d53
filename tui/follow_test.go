package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// withRaw gives a fixture's commands, replies and TLS records the bytes
// the builder keeps with Options.KeepBytes.
func withRaw(s *session.Session) *session.Session {
	for i := range s.Timeline {
		e := &s.Timeline[i]
		switch e.Kind {
		case session.KindCommand:
			c := s.Commands[e.Ref]
			line := c.Verb
			if c.Arg != "" {
				line += " " + c.Arg
			}
			if c.Verb == "AUTH" {
				continue // the builder never keeps AUTH bytes
			}
			e.Raw = []byte(line + "\r\n")
		case session.KindReply:
			e.Raw = []byte(strings.Join(s.Replies[e.Ref].Lines, "\r\n") + "\r\n")
		case session.KindTLS:
			r := s.TLSRecords[e.Ref]
			e.Raw = []byte{r.Type, 3, 3, byte(r.Length >> 8), byte(r.Length), 0xde, 0xad}
		}
	}
	return s
}

// followStore: a STARTTLS session whose QUIT was decrypted, and a plain
// one whose RCPT got a 550.
func followStore() *session.Store {
	tls := withRaw(startTLSSession())
	plain := plainSubmission(1, "192.0.2.20")
	for i := range plain.Replies {
		if c := plain.Replies[i].Command; c >= 0 && plain.Commands[c].Verb == "RCPT" {
			plain.Replies[i].Code, plain.Replies[i].Lines = 550, []string{"550 5.1.1 no such user"}
		}
	}
	return storeOf(tls, withRaw(plain))
}

func rowWith(t *testing.T, s tcell.SimulationScreen, want string) (int, int) {
	t.Helper()
	cells := findCells(s, want)
	if len(cells) == 0 {
		t.Fatalf("%q is not on screen:\n%s", want, screenText(s))
	}
	return cells[0][0], cells[0][1]
}

func TestFollowStream(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(followStore(), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		press(u, s, tcell.KeyRune, 's')
		press(u, s, tcell.KeyTab, 0)     // focus the stream
		press(u, s, tcell.KeyRune, '\\') // and maximise it
		for _, want := range []string{"Stream — ASCII", "C: EHLO client.example", "S: 250-PIPELINING", "── TLS Handshake ClientHello"} {
			if !screenHas(s, want) {
				t.Errorf("%dx%d ASCII: %q not on screen:\n%s", sz[0], sz[1], want, screenText(s))
			}
		}
		// The decrypted QUIT carries the lock; scroll to the end.
		press(u, s, tcell.KeyEnd, 0)
		if !screenHas(s, "C: "+lockMark+"QUIT") {
			t.Errorf("%dx%d: the decrypted QUIT has no lock:\n%s", sz[0], sz[1], screenText(s))
		}
		press(u, s, tcell.KeyHome, 0)
		press(u, s, tcell.KeyRune, 'x')
		for _, want := range []string{"Stream — escaped", `EHLO client.example\x0d\x0a`, `250-PIPELINING\x0d\x0a`, "── TLS Handshake ClientHello"} {
			if !screenHas(s, want) {
				t.Errorf("%dx%d escaped: %q not on screen:\n%s", sz[0], sz[1], want, screenText(s))
			}
		}
		press(u, s, tcell.KeyRune, 'x')
		for _, want := range []string{"Stream — hex", "0000  32 32 30 20 6d 78 2e 65  220 mx.e", "0000  45 48 4c 4f 20 63 6c 69  EHLO cli"} {
			if !screenHas(s, want) {
				t.Errorf("%dx%d hex: %q not on screen:\n%s", sz[0], sz[1], want, screenText(s))
			}
		}
		press(u, s, tcell.KeyRune, 'x')
		if !screenHas(s, "Stream — ASCII") {
			t.Errorf("%dx%d: x does not come back to ASCII", sz[0], sz[1])
		}
	}
}

// A 5xx reply line is drawn in the error colour, a client line in the
// client's, a server line in the server's.
func TestFollowStreamColours(t *testing.T) {
	u := New(followStore(), Options{})
	s := drawOn(t, u, 80, 24)
	press(u, s, tcell.KeyRune, 'j') // session 1
	press(u, s, tcell.KeyRune, 's')
	press(u, s, tcell.KeyTab, 0)
	press(u, s, tcell.KeyRune, '\\')
	cells, w, _ := s.GetContents()
	styleAt := func(want string) tcell.Style {
		x, y := rowWith(t, s, want)
		return cells[y*w+x].Style
	}
	fg := func(st tcell.Style) tcell.Color { c, _, _ := st.Decompose(); return c }
	errC, _, _ := u.theme.style(roleError).Decompose()
	cliC, _, _ := u.theme.style(roleClient).Decompose()
	srvC, _, _ := u.theme.style(roleServer).Decompose()
	if got := fg(styleAt("550 5.1.1 no such user")); got != errC {
		t.Errorf("550 line colour %v, want %v", got, errC)
	}
	if got := fg(styleAt("RCPT TO:<alice@example.com>")); got != cliC {
		t.Errorf("client line colour %v, want %v", got, cliC)
	}
	if got := fg(styleAt("250 OK")); got != srvC {
		t.Errorf("server line colour %v, want %v", got, srvC)
	}
}

// w asks for a path (the key log's path field: ~ and Tab work) and writes
// the SMTP bytes of both directions in order.
func TestFollowStreamSave(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(followStore(), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		press(u, s, tcell.KeyRune, 'w')
		if !screenHas(s, "w saves the stream view") {
			t.Errorf("%dx%d: w outside the stream view:\n%s", sz[0], sz[1], screenText(s))
		}
		press(u, s, tcell.KeyRune, 's')
		press(u, s, tcell.KeyRune, 'w')
		if !screenHas(s, "save the stream's SMTP bytes") || !screenHas(s, "stream-0.txt") {
			t.Fatalf("%dx%d: no save field:\n%s", sz[0], sz[1], screenText(s))
		}
		path := filepath.Join(t.TempDir(), "s0.txt")
		u.keyInput.SetText(path)
		press(u, s, tcell.KeyEnter, 0)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%dx%d: %v\n%s", sz[0], sz[1], err, screenText(s))
		}
		want := "220 mx.example ESMTP\r\nEHLO client.example\r\n250-mx.example\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 SIZE 10240000\r\n" +
			"STARTTLS\r\n220 2.0.0 Ready to start TLS\r\nQUIT\r\n221 2.0.0 Bye\r\n"
		if string(got) != want {
			t.Errorf("%dx%d: saved %q, want %q", sz[0], sz[1], got, want)
		}
		if !screenHas(s, "saved the stream") {
			t.Errorf("%dx%d: no confirmation:\n%s", sz[0], sz[1], screenText(s))
		}
	}
}

// Hostile bytes in the escaped and hex views reach the screen only as
// escapes or dots.
func TestFollowStreamHostileBytes(t *testing.T) {
	s := withRaw(startTLSSession())
	s.Timeline[4].Raw = []byte("EHLO \x1b[31m[red]x\u202e\r\n")
	for _, mode := range []streamMode{streamEscaped, streamHex} {
		for _, l := range streamLines(s, mode, hexPerLine) {
			if strings.ContainsAny(l.text, "\x1b\u202e") {
				t.Errorf("%v: raw control bytes in %q", mode, l.text)
			}
		}
	}
	var esc string
	for _, l := range streamLines(s, streamEscaped, hexPerLine) {
		if strings.HasPrefix(l.text, "EHLO ") {
			esc = l.text
		}
	}
	if esc != `EHLO \x1b[31m[red]x\xe2\x80\xae\x0d\x0a` {
		t.Errorf("escaped EHLO = %q", esc)
	}
}

// On a wide screen a hex row holds 16 bytes, as in Wireshark; at 80
// columns 8, so that it fits.
func TestFollowStreamHexWidth(t *testing.T) {
	for _, c := range []struct {
		w    int
		want string
	}{
		{160, "0000  32 32 30 20 6d 78 2e 65 78 61 6d 70 6c 65 20 45  220 mx.example E"},
		{80, "0000  32 32 30 20 6d 78 2e 65  220 mx.e"},
	} {
		u := New(followStore(), Options{})
		s := drawOn(t, u, c.w, 30)
		press(u, s, tcell.KeyRune, 's')
		press(u, s, tcell.KeyRune, 'x')
		press(u, s, tcell.KeyRune, 'x')
		redraw(u, s) // the width is learnt at a draw
		if !screenHas(s, c.want) {
			t.Errorf("%d columns: %q not on screen:\n%s", c.w, c.want, screenText(s))
		}
	}
}

// TestFollowStreamDecryptedRecords: in a decrypted stream each TLS record
// that carried SMTP shows its boundary before what it carried (issue 10,
// Deliver 5), on the real Postfix recording with its key log.
func TestFollowStreamDecryptedRecords(t *testing.T) {
	st := readSample(t, "recorded-postfix-cmdinject-25.pcap", samplePath("recorded-postfix-cmdinject-25.keys"))
	var lines []streamLine
	st.View(func(ss []*session.Session, _ *session.Progress) { lines = streamLines(ss[0], streamASCII, 16) })
	var got []string
	for i, l := range lines {
		if l.locked && i > 0 && lines[i-1].marker {
			got = append(got, lines[i-1].text+" | "+l.text)
		}
	}
	want := []string{"EHLO client.localhost", "250-localhost", "QUIT", "221 2.0.0 Bye"}
	if len(got) != len(want) {
		t.Fatalf("decrypted lines %q", got)
	}
	for i, g := range got {
		if !strings.HasPrefix(g, "── TLS Application Data") || !strings.HasSuffix(g, want[i]) {
			t.Errorf("line %d: %q, want the record's boundary before %q", i, g, want[i])
		}
	}
}
