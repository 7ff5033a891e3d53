package cmd

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLessonsCommand: `smtpscope lessons` prints the demo's deck (three
// sessions, one heading per page, decrypted with the demo's key log), and
// --svg-dir writes each session's diagram beside it, linked from the deck.
func TestLessonsCommand(t *testing.T) {
	var out, errb bytes.Buffer
	dir := t.TempDir()
	if code := Main([]string{"lessons", "--svg-dir", dir}, nil, &out, &errb); code != exitOK {
		t.Fatalf("lessons = %d, stderr %q", code, errb.String())
	}
	md := out.String()
	if n := strings.Count(md, "\n# Session \\#"); n != 3 {
		t.Errorf("%d session headings, want 3", n)
	}
	for _, want := range []string{"## 1. Ports, roles and TLS\n", "## 2. TCP handshake\n",
		`334 VXNlcm5hbWU6   (base64 of "Username:")`, "⚿ AUTH PLAIN ********",
		"![Sequence diagram of Session \\#1: 192.0.2.66:41000 → 198.51.100.25:25 \\(relay\\)](session-1.svg)",
		"[RFC 4954, Section 4](https://www.rfc-editor.org/rfc/rfc4954#section-4)",
		"\n# Self-check\n", "## 2. Self-check: answers\n"} {
		if !strings.Contains(md, want) {
			t.Errorf("deck lacks %q", want)
		}
	}
	for _, n := range []string{"session-0.svg", "session-1.svg", "session-2.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(b, new(struct{})); err != nil {
			t.Errorf("%s: not XML: %v", n, err)
		}
	}
	out.Reset()
	if code := Main([]string{"lessons", "../pcaps/attack-cmdinject25.pcap"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("lessons FILE = %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), "```text\nSTARTTLS\\r\\n\nRSET\\r\\n\n```") {
		t.Errorf("the injection's raw segment is not in the deck:\n%s", out.String())
	}
	for _, bad := range [][]string{{"lessons", "a", "b"}, {"lessons", "--theme", "pink"}, {"lessons", "--nope"}} {
		if code := Main(bad, nil, &out, &errb); code != exitUsage {
			t.Errorf("%q = %d, want %d", bad, code, exitUsage)
		}
	}
}
