package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestReportHTML(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.html")
	var o, e bytes.Buffer
	if code := Main([]string{"report", "--html", out, "--keylog", "../pcaps/demo.keys", "../pcaps/demo.pcap"}, nil, &o, &e); code != exitOK {
		t.Fatalf("report --html = %d, stderr %q", code, e.String())
	}
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := html.Parse(bytes.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "Session #2", "starttls.offered_not_used", "RFC 3207", "Q4 figures", "decrypted"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("report --html lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "src="} {
		if strings.Contains(strings.ReplaceAll(string(doc), `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("report --html holds %q (must load nothing)", bad)
		}
	}
	if code := Main([]string{"report", "--html", out, "--theme", "pink", "../pcaps/demo.pcap"}, nil, &o, &e); code != exitUsage {
		t.Errorf("--theme pink = %d, want %d", code, exitUsage)
	}
}
