package cmd

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// TestTourFlags runs `smtpscope --teach --tour --no-keys` at 80x24: the
// demo opens as a tour read without its key log, as Wireshark would see
// it; --no-keys with --keylog is a usage error.
func TestTourFlags(t *testing.T) {
	var errOut bytes.Buffer
	e := &env{stderr: &errOut}
	if u, _, code := e.newUI([]string{"--no-keys", "--keylog", "x.keys"}); u != nil || code != exitUsage {
		t.Errorf("--no-keys --keylog = exit %d, want %d", code, exitUsage)
	}
	u, read, code := e.newUI([]string{"--teach", "--tour", "--no-keys"})
	if u == nil {
		t.Fatalf("newUI(--teach --tour --no-keys) = exit %d: %s", code, errOut.String())
	}
	scr := tcell.NewSimulationScreen("UTF-8")
	if err := scr.Init(); err != nil {
		t.Fatal(err)
	}
	drawn := make(chan struct{}, 1)
	u.App().SetScreen(scr)
	u.App().SetAfterDrawFunc(func(tcell.Screen) {
		select {
		case drawn <- struct{}{}:
		default:
		}
	})
	done := make(chan error, 1)
	go func() { done <- u.Run() }()
	u.App().QueueUpdateDraw(func() { scr.SetSize(80, 24) })
	screen := func() string {
		var out string
		u.App().QueueUpdate(func() {
			cells, w, h := scr.GetContents()
			var b strings.Builder
			for i := 0; i < w*h; i++ {
				b.WriteString(string(cells[i].Runes))
				if i%w == w-1 {
					b.WriteByte('\n')
				}
			}
			out = b.String()
		})
		return out
	}
	deadline := time.After(10 * time.Second)
	for s := screen(); !strings.Contains(s, "Tour: session 1/3") || !strings.Contains(s, "Tour of this capture"); s = screen() {
		select {
		case <-drawn:
		case <-deadline:
			t.Fatalf("timed out waiting for the tour; screen:\n%s", s)
		}
	}
	scr.InjectKey(tcell.KeyRune, 'q', tcell.ModNone)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-read; err != nil {
		t.Fatal(err)
	}
}
