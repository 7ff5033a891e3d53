package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/smtpscope/smtpscope/pcaps"
)

// `report --jobs 2` writes exactly what --jobs 1 writes (text, JSON and
// --fail-on's status) for every sample at once, a directory included.
func TestJobsSameOutput(t *testing.T) {
	var files []string
	for _, n := range pcaps.Names() {
		files = append(files, filepath.Join("..", "pcaps", n))
	}
	if len(files) < 3 {
		t.Fatalf("%d samples", len(files))
	}
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		st := Main(append([]string{"report"}, args...), nil, &out, &errOut)
		return st, out.String(), errOut.String()
	}
	for _, mode := range [][]string{nil, {"--json"}, {"--fail-on", "high"}} {
		st1, out1, err1 := run(append(append([]string{"--jobs", "1"}, mode...), files...)...)
		st2, out2, err2 := run(append(append([]string{"--jobs", "2"}, mode...), files...)...)
		if st1 != st2 || out1 != out2 || err1 != err2 {
			t.Errorf("%v: --jobs 2 (exit %d, %d bytes) differs from --jobs 1 (exit %d, %d bytes):\n%s", mode, st2, len(out2), st1, len(out1), firstDiff(out2, out1))
		}
		if len(out1) == 0 {
			t.Errorf("%v: no output", mode)
		}
	}
	// A directory of rotated captures, in number order, other files left out.
	dir := t.TempDir()
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	c, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"dump.pcap": b, "dump.pcap2": c, "dump.pcap10": b, "notes.txt": []byte("hello")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := expandDirs([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "dump.pcap"), filepath.Join(dir, "dump.pcap2"), filepath.Join(dir, "dump.pcap10")}
	if !slices.Equal(got, want) {
		t.Errorf("expandDirs = %q, want %q", got, want)
	}
	st1, out1, _ := run("--jobs", "1", dir)
	st2, out2, _ := run("--jobs", "2", want[0], want[1], want[2])
	if st1 != exitOK || st1 != st2 || out1 != out2 {
		t.Errorf("a directory reports as its captures in order: exit %d/%d\n%s", st1, st2, firstDiff(out1, out2))
	}
	if st, _, _ := run("--jobs", "0", files[0]); st != exitUsage {
		t.Errorf("--jobs 0: exit %d, want %d", st, exitUsage)
	}
}
