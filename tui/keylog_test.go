package tui

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// TestKeyLogFromUI: a TLS 1.3 STARTTLS capture opened without keys; K, the
// key log's path, enter: the capture is read again with the keys and the
// SMTP inside TLS shows on the timeline, inside the encrypted band.
func TestKeyLogFromUI(t *testing.T) {
	const name = "starttls587-tls13.pcap"
	var asked []string
	load := func(path string) (*session.Store, string, error) {
		asked = append(asked, path)
		if _, err := os.Stat(path); err != nil {
			return nil, "", err
		}
		return readSample(t, name, path), "key log " + path + " loaded", nil
	}
	u := New(readSample(t, name, ""), Options{Title: name, LoadKeyLog: load})
	h := startApp(t, u, 150, 100)
	h.waitText("▸ 1 encrypted record, 42 bytes")

	// A path that does not exist: a red error in the status bar, the
	// capture stays as it was.
	h.key(tcell.KeyRune, 'K')
	h.waitText("key log: ")
	h.typeText("/nonexistent/keys")
	h.key(tcell.KeyEnter, 0)
	txt := h.waitText("no such file or directory")
	if !strings.Contains(txt, "▸ 1 encrypted record, 42 bytes") {
		t.Errorf("a failed key log changed the timeline:\n%s", txt)
	}
	if st := h.styleOf("no such file or directory"); st != u.theme.style(roleError) {
		t.Errorf("error style = %v, want the error role's %v", st, u.theme.style(roleError))
	}

	// Esc cancels without loading.
	h.key(tcell.KeyRune, 'K')
	h.waitText("SSLKEYLOGFILE path")
	h.key(tcell.KeyEscape, 0)
	h.waitFor("the field closed", func(s string) bool { return !strings.Contains(s, "SSLKEYLOGFILE path") })

	keys := samplePath("starttls587-tls13.keys")
	h.key(tcell.KeyRune, 'K')
	h.typeText(keys)
	h.key(tcell.KeyEnter, 0)
	txt = h.waitText("MAIL FROM:<alice@example.net>")
	for _, want := range []string{"⚿ AUTH PLAIN", "key log " + keys + " loaded"} {
		if !strings.Contains(txt, want) {
			t.Errorf("after loading the key log the screen lacks %q:\n%s", want, txt)
		}
	}
	// The decrypted SMTP sits between the encryption divider and teardown.
	div, auth, mail, down := strings.Index(txt, "encrypted from here"), strings.Index(txt, "AUTH PLAIN"),
		strings.Index(txt, "MAIL FROM:<alice@"), strings.Index(txt, "━━ teardown")
	if !(div >= 0 && div < auth && auth < mail && mail < down) {
		t.Errorf("decrypted SMTP not inside the encrypted band (divider %d, auth %d, mail %d, teardown %d):\n%s",
			div, auth, mail, down, txt)
	}
	if strings.Contains(txt, "no such file") {
		t.Errorf("the old error stayed in the status bar:\n%s", txt)
	}
	if len(asked) != 2 || asked[1] != keys {
		t.Errorf("LoadKeyLog called with %q, want [/nonexistent/keys %s]", asked, keys)
	}
}

// TestKeyLogUnavailable: without a loader (stdin, live) K says so.
func TestKeyLogUnavailable(t *testing.T) {
	h := startApp(t, New(storeOf(startTLSSession()), Options{}), 120, 40)
	h.waitText("Timeline — 192.0.2.10:40000")
	h.key(tcell.KeyRune, 'K')
	h.waitText("cannot be read again with a key log")
}

// TestKeyLogLoaderError: the loader's own error (e.g. stdin) is shown.
func TestKeyLogLoaderError(t *testing.T) {
	load := func(string) (*session.Store, string, error) {
		return nil, "", errors.New("cmd: the capture came from stdin and cannot be read again")
	}
	h := startApp(t, New(storeOf(startTLSSession()), Options{LoadKeyLog: load}), 120, 40)
	h.waitText("Timeline — 192.0.2.10:40000")
	h.key(tcell.KeyRune, 'K')
	h.typeText("x.keys")
	h.key(tcell.KeyEnter, 0)
	h.waitText("came from stdin and cannot be read again")
	h.waitText("Timeline — 192.0.2.10:40000")
}

// styleOf returns the style of the first cell of text on the screen.
func (h *appHarness) styleOf(text string) tcell.Style {
	var st tcell.Style
	h.u.App().QueueUpdate(func() {
		for y, row := range screenRows(h.screen) {
			i := strings.Index(row, text)
			if i < 0 {
				continue
			}
			x := len([]rune(row[:i]))
			_, st, _ = h.screen.Get(x, y)
			return
		}
	})
	return st
}

// After a key-log reload the session that was open is selected again once
// the capture is read anew, not the first one.
func TestKeyLogReloadKeepsTheSelectedSession(t *testing.T) {
	const name = "demo.pcap"
	load := func(path string) (*session.Store, string, error) {
		return readSample(t, name, path), "loaded", nil
	}
	u := New(readSample(t, name, ""), Options{Title: name, LoadKeyLog: load})
	h := startApp(t, u, 150, 60)
	h.waitText("Timeline — 192.0.2.20:50412")
	h.key(tcell.KeyRune, 'j')
	h.key(tcell.KeyRune, 'j')
	h.waitText("Timeline — 203.0.113.7:53001")
	h.key(tcell.KeyRune, 'K')
	h.typeText(samplePath("demo.keys"))
	h.key(tcell.KeyEnter, 0)
	txt := h.waitText("loaded")
	if !strings.Contains(txt, "Timeline — 203.0.113.7:53001") {
		t.Errorf("after the reload the timeline is not the session that was open:\n%s", txt)
	}
}
