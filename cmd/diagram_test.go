package cmd

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiagramCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"diagram", "--stream", "0"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("diagram --stream 0 = %d, stderr %q", code, errb.String())
	}
	if err := xml.Unmarshal(out.Bytes(), new(struct{})); err != nil {
		t.Fatalf("diagram --stream 0: not XML: %v", err)
	}
	if !strings.Contains(out.String(), "MSA · submission 587") {
		t.Errorf("diagram of the demo's session 0 does not name the role")
	}
	out.Reset()
	if code := Main([]string{"diagram", "--mermaid", "--filter", "port:25"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("diagram --mermaid = %d", code)
	}
	if n := strings.Count(out.String(), "sequenceDiagram\n"); n != 2 {
		t.Errorf("--filter port:25 drew %d diagrams, want 2", n)
	}
	dir := t.TempDir()
	if code := Main([]string{"diagram", "--svg", filepath.Join(dir, "d.svg"), "--theme", "dark"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("diagram --svg = %d", code)
	}
	for _, n := range []string{"d.s0.svg", "d.s1.svg", "d.s2.svg"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("--svg with three sessions: %v", err)
		}
	}
	for _, bad := range [][]string{
		{"diagram", "--theme", "pink"},
		{"diagram", "--svg", "x", "--mermaid"},
		{"diagram"}, // three sessions to stdout
	} {
		if code := Main(bad, nil, &out, &errb); code != exitUsage {
			t.Errorf("%q = %d, want %d", bad, code, exitUsage)
		}
	}
	if code := Main([]string{"diagram", "--stream", "99"}, nil, &out, &errb); code != exitInput {
		t.Errorf("--stream 99 = %d, want %d", code, exitInput)
	}
}
