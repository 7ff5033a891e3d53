package tui

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// TestSaveDiagramFromUI: D on a session asks for a path (suggesting
// smtpscope-sN.svg), enter writes the SVG; a second D onto the same path
// asks before overwriting, and only a second enter replaces the file; esc
// cancels and writes nothing.
func TestSaveDiagramFromUI(t *testing.T) {
	const name = "starttls587-tls13.pcap"
	u := New(readSample(t, name, samplePath("starttls587-tls13.keys")), Options{Title: name})
	h := startApp(t, u, 150, 60)
	h.waitText("MAIL FROM:<alice@example.net>")

	dir := t.TempDir()
	out := filepath.Join(dir, "ladder.svg")
	h.key(tcell.KeyRune, 'D')
	h.waitText("save the diagram to: smtpscope-s0.svg")
	h.key(tcell.KeyCtrlU, 0) // clear the suggestion
	h.typeText(out)
	h.key(tcell.KeyEnter, 0)
	h.waitText("saved the diagram (")
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("D then enter wrote nothing: %v", err)
	}
	checkSVG(t, svg, "alice@example.net")

	// The same path again: a question, the file untouched until enter.
	if err := os.WriteFile(out, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.key(tcell.KeyRune, 'D')
	h.waitText("save the diagram to: ")
	h.key(tcell.KeyCtrlU, 0)
	h.typeText(out)
	h.key(tcell.KeyEnter, 0)
	h.waitText("ladder.svg exists — enter again overwrites it")
	if b, _ := os.ReadFile(out); string(b) != "keep me" {
		t.Fatalf("an existing file was overwritten without a second enter")
	}
	h.key(tcell.KeyEnter, 0)
	h.waitText("saved the diagram (")
	if b, _ := os.ReadFile(out); string(b) == "keep me" {
		t.Fatalf("the second enter did not overwrite the file")
	}

	// Esc cancels: nothing is written.
	other := filepath.Join(dir, "never.svg")
	h.key(tcell.KeyRune, 'D')
	h.waitText("save the diagram to: ")
	h.key(tcell.KeyCtrlU, 0)
	h.typeText(other)
	h.key(tcell.KeyEscape, 0)
	h.waitFor("the field closed", func(s string) bool { return !strings.Contains(s, "save the diagram to:") })
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("esc wrote %s (stat: %v)", other, err)
	}
}

// TestSaveDiagramError: a path in a directory that does not exist keeps
// the field open with the error in plain words.
func TestSaveDiagramError(t *testing.T) {
	u := New(storeOf(startTLSSession()), Options{})
	h := startApp(t, u, 150, 40)
	h.waitText("Timeline — 192.0.2.10:40000")
	h.key(tcell.KeyRune, 'D')
	h.waitText("save the diagram to: ")
	h.key(tcell.KeyCtrlU, 0)
	h.typeText("/nonexistent/dir/x.svg")
	h.key(tcell.KeyEnter, 0)
	txt := h.waitText("no such file or directory")
	if !strings.Contains(txt, "save the diagram to: ") {
		t.Errorf("the field closed on an error:\n%s", txt)
	}
}

// checkSVG parses svg as XML and wants an <svg> root and want in its text.
func checkSVG(t *testing.T, svg []byte, want string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("saved SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("saved file's root element = %q, want svg", root)
	}
	if !strings.Contains(string(svg), want) {
		t.Errorf("saved SVG lacks %q", want)
	}
}
