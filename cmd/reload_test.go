package cmd

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

func TestReaderReload(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.keys")
	if err := os.WriteFile(empty, []byte("# no secrets\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, capture, keys string
		err                 string // "" for success
	}{
		{"file", sample("starttls587-tls13.pcap"), sample("starttls587-tls13.keys"), ""},
		{"embedded demo", "", sample("demo.keys"), ""},
		{"stdin cannot be read twice", "-", sample("demo.keys"), "stdin"},
		{"missing key log", sample("starttls587-tls13.pcap"), filepath.Join(t.TempDir(), "nope.keys"), "nope.keys"},
		{"key log without secrets", sample("starttls587-tls13.pcap"), empty, "no secrets"},
		{"no path", sample("starttls587-tls13.pcap"), "", "no path"},
		{"not a regular file (a FIFO would block the UI)", sample("starttls587-tls13.pcap"), t.TempDir(), "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errOut bytes.Buffer
			r := &reader{e: &env{stderr: &errOut}, name: tt.capture, title: "t"}
			st, note, err := r.reload(tt.keys)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("reload(%q) error = %v, want one naming %q", tt.keys, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("reload(%q) = %v", tt.keys, err)
			}
			if !strings.Contains(note, "secrets") {
				t.Errorf("note = %q", note)
			}
			if err := <-r.reading; err != nil {
				t.Fatalf("reading again: %v", err)
			}
			decrypted := false
			st.View(func(ss []*session.Session, p *session.Progress) {
				if !p.Done {
					t.Error("store not done after the read finished")
				}
				for _, s := range ss {
					for _, c := range s.Commands {
						decrypted = decrypted || (c.InTLS && c.Verb == "AUTH")
					}
				}
			})
			if !decrypted {
				t.Error("no AUTH read inside TLS after loading the key log")
			}
			if errOut.Len() > 0 {
				t.Errorf("reload wrote to stderr (the UI owns the terminal): %q", errOut.String())
			}
		})
	}
}

// TestTeachFlag runs `smtpscope --teach` on a simulation screen: the demo
// opens in lesson mode and ] steps to the next page.
func TestTeachFlag(t *testing.T) {
	var errOut bytes.Buffer
	e := &env{stderr: &errOut}
	u, read, code := e.newUI([]string{"--teach"})
	if u == nil {
		t.Fatalf("newUI(--teach) = exit %d: %s", code, errOut.String())
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
	u.App().QueueUpdateDraw(func() { scr.SetSize(130, 50) })
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
	wait := func(want string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for !strings.Contains(screen(), want) {
			select {
			case <-drawn:
			case <-deadline:
				t.Fatalf("timed out waiting for %q; screen:\n%s", want, screen())
			}
		}
	}
	wait("Ports, roles and TLS")
	wait("Lesson 1/")
	scr.InjectKey(tcell.KeyRune, ']', tcell.ModNone)
	wait("Lesson 2/")
	wait("TCP handshake")
	scr.InjectKey(tcell.KeyRune, 'q', tcell.ModNone)
	if err := <-done; err != nil {
		t.Fatalf("Run() = %v", err)
	}
	if err := <-read; err != nil {
		t.Fatalf("reading the demo: %v", err)
	}
}

// Issue 12, defect 2, in the UI: a key log loaded with K and cut at the
// command line's limits says so in the status-bar note, and the store
// counts limit keylog.
func TestReaderReloadSaysCut(t *testing.T) {
	keys, err := os.ReadFile(sample("starttls587-tls13.keys"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "long.keys")
	os.WriteFile(path, append(keys, []byte(strings.Repeat("# more\n", 100))...), 0o644)
	r := &reader{e: &env{stderr: io.Discard}, name: sample("starttls587-tls13.pcap"), title: "t",
		keyOpts: tlsdecrypt.KeyLogOptions{MaxLines: 10}}
	st, note, err := r.reload(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "key log cut at its limit of 10 lines (line 11)") {
		t.Errorf("note %q does not say the cut", note)
	}
	if err := <-r.reading; err != nil {
		t.Fatal(err)
	}
	st.View(func(_ []*session.Session, p *session.Progress) {
		if p.Limits[wire.LimitKeyLog] != 1 {
			t.Errorf("limits %v, want keylog=1", p.Limits)
		}
	})
}
