package cmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// --pick lists the captures and opens the one whose number is read.
func TestPickCapture(t *testing.T) {
	files := []string{filepath.Join("..", "pcaps", "plain25.pcap"), filepath.Join("..", "pcaps", "demo.pcap")}
	var errOut bytes.Buffer
	e := &env{stdin: strings.NewReader("2\n"), stderr: &errOut, stdout: &bytes.Buffer{}}
	got, err := e.pickCapture(files)
	if err != nil || got != files[1] {
		t.Fatalf("pick 2 = %q, %v", got, err)
	}
	for _, w := range []string{"  1  " + files[0], "  2  " + files[1], "bytes", "open which capture (1-2)?"} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("the list lacks %q:\n%s", w, errOut.String())
		}
	}
	for _, in := range []string{"3\n", "x\n", ""} {
		e := &env{stdin: strings.NewReader(in), stderr: &bytes.Buffer{}}
		if _, err := e.pickCapture(files); err == nil {
			t.Errorf("pick %q: no error", in)
		}
	}
	// Through the command line: a bad choice is a usage error before any UI.
	var out bytes.Buffer
	errOut.Reset()
	if st := Main(append([]string{"--pick"}, files...), strings.NewReader("9\n"), &out, &errOut); st != exitUsage ||
		!strings.Contains(errOut.String(), "not a number from 1 to 2") {
		t.Errorf("--pick with 9: exit %d, %s", st, errOut.String())
	}
}
