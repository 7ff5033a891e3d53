package cmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportExitStatus(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "pcaps", "plain25.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.pcap")
	if err := os.WriteFile(cut, data[:len(data)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	// The same capture with its link type set to 127 (802.11 radiotap, as
	// editcap -T ieee-802-11-radiotap writes it): pcap header bytes 20-23.
	radio := append([]byte(nil), data...)
	radio[20], radio[21], radio[22], radio[23] = 127, 0, 0, 0
	radiotap := filepath.Join(dir, "radiotap.pcap")
	if err := os.WriteFile(radiotap, radio, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		status   int
		stdout   string // must contain
		stderr   string // must contain
		noStdout bool
	}{
		{"ok", []string{"report", filepath.Join("..", "pcaps", "plain25.pcap")}, exitOK, "relay  plaintext", "", false},
		{"cut file shows what came before, then the error with its offset", []string{"report", "--json", cut}, exitInput,
			`"verb":"EHLO"`, "cut.pcap: offset ", false},
		{"missing file", []string{"report", filepath.Join(dir, "nope.pcap")}, exitInput, "", "nope.pcap", false},
		{"undecodable link type is said, with the frames skipped", []string{"report", "--json", radiotap}, exitOK, "",
			"radiotap.pcap: 21 frames skipped: link type 127 cannot be decoded", true},
		{"and in the JSON summary of --stats", []string{"report", "--stats", "--json", radiotap}, exitOK,
			`"link_type":127,"frames":21}]`, "frames skipped", false},
		{"no file", []string{"report"}, exitUsage, "", "no capture file", true},
		{"bad flag", []string{"report", "--bogus", "x"}, exitUsage, "", "bogus", true},
		{"bad theme", []string{"--theme", "pink"}, exitUsage, "", "--theme", true},
		{"stdin", []string{"report", "-"}, exitOK, "EHLO client.example.org", "", false},
		{"report help is its own", []string{"report", "-h"}, exitOK, "smtpscope report — ", "", false},
		{"flag after the file", []string{"report", filepath.Join("..", "pcaps", "plain25.pcap"), "--json"}, exitOK, `"verb":"EHLO"`, "", false},
		{"-- ends the flags", []string{"report", "--json", "--", filepath.Join(dir, "--json")}, exitInput, "", "cannot open", false},
		{"missing file is a plain sentence", []string{"report", filepath.Join(dir, "nope.pcap")}, exitInput, "", "smtpscope: cannot open " + filepath.Join(dir, "nope.pcap") + ": no such file", false},
		{"bad key log", []string{"report", "--keylog", filepath.Join(dir, "k"), "x"}, exitInput, "", "smtpscope: key log: cannot open", true},
		{"version", []string{"--version"}, exitOK, "smtpscope ", "", false},
		{"version word", []string{"version"}, exitOK, "smtpscope ", "", false},
		{"help lists the live flags", []string{"-h"}, exitOK, "-i IFACE", "", false},
		{"bad value", []string{"report", "--fail-on", "x", "y"}, exitUsage, "", "--fail-on", true},
		{"missing value", []string{"report", "x", "--keylog"}, exitUsage, "", "flag -keylog needs a value", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			st := Main(tt.args, bytes.NewReader(data), &out, &errOut)
			for _, bad := range []string{"cmd:", "capture:", "tui:", "flag provided"} {
				if strings.Contains(errOut.String(), bad) {
					t.Errorf("Main(%q) stderr %q holds %q", tt.args, errOut.String(), bad)
				}
			}
			if strings.Count(errOut.String(), "\n") > 2 {
				t.Errorf("Main(%q) stderr is %d lines, want a short message:\n%s", tt.args, strings.Count(errOut.String(), "\n"), errOut.String())
			}
			if st != tt.status {
				t.Errorf("Main(%q) = %d, want %d (stderr %q)", tt.args, st, tt.status, errOut.String())
			}
			if !strings.Contains(out.String(), tt.stdout) {
				t.Errorf("Main(%q) stdout lacks %q:\n%s", tt.args, tt.stdout, out.String())
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("Main(%q) stderr = %q, want it to contain %q", tt.args, errOut.String(), tt.stderr)
			}
			if tt.noStdout && out.Len() > 0 {
				t.Errorf("Main(%q) wrote to stdout: %q", tt.args, out.String())
			}
		})
	}
}

// failingWriter fails every write, like stdout on a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestReportWriteErrorIsNotSuccess(t *testing.T) {
	for _, args := range [][]string{
		{"report", filepath.Join("..", "pcaps", "demo.pcap")},
		{"report", "--json", filepath.Join("..", "pcaps", "demo.pcap")},
		{"report", "--findings-only", "--json", filepath.Join("..", "pcaps", "demo.pcap")},
	} {
		var errOut bytes.Buffer
		if st := Main(args, nil, failingWriter{}, &errOut); st != exitInput || !strings.Contains(errOut.String(), "writing the report") {
			t.Errorf("Main(%q) to a failing stdout = %d, stderr %q; want %d and the write error", args, st, errOut.String(), exitInput)
		}
	}
}
