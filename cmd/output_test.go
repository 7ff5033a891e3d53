package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --output FILE writes what stdout would get, - is stdout, --format names
// every writer, and the exit statuses stay those of stdout.
func TestOutputAndFormat(t *testing.T) {
	sample := filepath.Join("..", "pcaps", "plain25.pcap")
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		st := Main(args, nil, &out, &errOut)
		return st, out.String(), errOut.String()
	}
	_, wantJSON, _ := run("report", "--json", sample)
	_, wantText, _ := run("report", sample)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "json"}, wantJSON},
		{[]string{"--json"}, wantJSON},
		{[]string{"--format", "text"}, wantText},
		{nil, wantText},
	} {
		file := filepath.Join(dir, "out")
		st, out, errOut := run(append(append([]string{"report"}, c.args...), "--output", file, sample)...)
		got, err := os.ReadFile(file)
		if st != exitOK || out != "" || err != nil || string(got) != c.want {
			t.Errorf("%v --output: exit %d, stdout %q, %v, file differs: %v (%s)", c.args, st, out, err, string(got) != c.want, errOut)
		}
		st, out, _ = run(append(append([]string{"report"}, c.args...), "--output", "-", sample)...)
		if st != exitOK || out != c.want {
			t.Errorf("%v --output -: exit %d, stdout differs", c.args, st)
		}
	}
	// --fail-on keeps its status when the report goes to a file.
	if st, _, _ := run("report", "--fail-on", "low", "--output", filepath.Join(dir, "f"), sample); st != exitFindings {
		t.Errorf("--fail-on low --output: exit %d, want %d", st, exitFindings)
	}
	zdir := filepath.Join(dir, "zeek")
	if st, _, errOut := run("report", "--format", "zeek", "--output", zdir, sample); st != exitOK {
		t.Fatalf("--format zeek: exit %d: %s", st, errOut)
	}
	if _, err := os.Stat(filepath.Join(zdir, "smtp.log")); err != nil {
		t.Errorf("--format zeek --output DIR: %v", err)
	}
	page := filepath.Join(dir, "p.html")
	if st, _, errOut := run("report", "--format", "html", "--output", page, sample); st != exitOK {
		t.Fatalf("--format html: exit %d: %s", st, errOut)
	}
	if b, err := os.ReadFile(page); err != nil || !bytes.Contains(b, []byte("<html")) {
		t.Errorf("--format html --output: %v", err)
	}
	for _, bad := range [][]string{{"--format", "zeek"}, {"--format", "html", "--output", "-"}, {"--format", "xml"}} {
		if st, _, errOut := run(append(append([]string{"report"}, bad...), sample)...); st != exitUsage || !strings.Contains(errOut, "--format") {
			t.Errorf("%v: exit %d (%s), want %d naming --format", bad, st, errOut, exitUsage)
		}
	}
	if st, _, _ := run("report", "--output", filepath.Join(dir, "no", "such", "dir", "f"), sample); st != exitInput {
		t.Errorf("--output into a missing directory: exit %d, want %d", st, exitInput)
	}
	for _, c := range [][]string{{"man"}, {"completion", "bash"}} {
		file := filepath.Join(dir, c[0])
		_, want, _ := run(c...)
		st, out, errOut := run(append(c, "--output", file)...)
		got, _ := os.ReadFile(file)
		if st != exitOK || out != "" || string(got) != want || want == "" {
			t.Errorf("%v --output: exit %d (%s), stdout %d bytes, file equal to stdout: %v", c, st, errOut, len(out), string(got) == want)
		}
	}
	svg := filepath.Join(dir, "d.svg")
	if st, _, errOut := run("diagram", "--output", svg, sample); st != exitOK {
		t.Fatalf("diagram --output: exit %d: %s", st, errOut)
	}
	_, wantSVG, _ := run("diagram", sample)
	if b, _ := os.ReadFile(svg); string(b) != wantSVG {
		t.Error("diagram --output differs from its stdout")
	}
}
