package cmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
)

// decryptProblems runs report --json with args and returns each session's
// TLS decrypted flag and decrypt_problem, and stderr.
func decryptProblems(t *testing.T, args ...string) ([]bool, []string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if st := Main(append([]string{"report", "--json"}, args...), nil, &out, &errOut); st != exitOK {
		t.Fatalf("%q: exit %d: %s", args, st, errOut.String())
	}
	var dec []bool
	var probs []string
	d := json.NewDecoder(&out)
	for d.More() {
		var s struct {
			TLS struct {
				Decrypted bool   `json:"decrypted"`
				Problem   string `json:"decrypt_problem"`
			} `json:"tls"`
		}
		if err := d.Decode(&s); err != nil {
			t.Fatal(err)
		}
		dec, probs = append(dec, s.TLS.Decrypted), append(probs, s.TLS.Problem)
	}
	return dec, probs, errOut.String()
}

// Issue 12, defect 2: a key log over the line or byte limit is said on
// stderr, counted (limit keylog) and named in decrypt_problem; the flags
// raise the limits and the session is decrypted.
func TestKeyLogOverLimitIsSaid(t *testing.T) {
	keys, err := os.ReadFile("../pcaps/starttls587-tls13.keys")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	lines := filepath.Join(dir, "lines.keys")
	os.WriteFile(lines, append([]byte(strings.Repeat("# padding\n", 2000)), keys...), 0o600)
	big := filepath.Join(dir, "big.keys")
	os.WriteFile(big, append([]byte(strings.Repeat("#"+strings.Repeat("x", 1000)+"\n", 2100)), keys...), 0o600)
	pcap := "../pcaps/starttls587-tls13.pcap"
	for _, tt := range []struct {
		name, keylog, flag, raise, cut string
	}{
		{"lines", lines, "--keylog-max-lines=1000", "--keylog-max-lines=5000", "1000 lines (line 1001)"},
		{"bytes", big, "--keylog-max-bytes=2MiB", "--keylog-max-bytes=3MiB", "2 MiB"},
	} {
		dec, probs, stderr := decryptProblems(t, "--keylog", tt.keylog, tt.flag, pcap)
		if len(dec) != 1 || dec[0] {
			t.Fatalf("%s: decrypted %v, want one session not decrypted", tt.name, dec)
		}
		if !strings.Contains(probs[0], "key log cut at its limit of "+tt.cut) {
			t.Errorf("%s: decrypt_problem %q does not name the cut %q", tt.name, probs[0], tt.cut)
		}
		if !strings.Contains(stderr, "key log cut at its limit of "+tt.cut) || !strings.Contains(stderr, "keylog=1") {
			t.Errorf("%s: stderr %q does not say the cut and count limit keylog", tt.name, stderr)
		}
		dec, probs, stderr = decryptProblems(t, "--keylog", tt.keylog, tt.raise, pcap)
		if len(dec) != 1 || !dec[0] || probs[0] != "" || strings.Contains(stderr, "cut") {
			t.Errorf("%s raised: decrypted %v problem %q stderr %q", tt.name, dec, probs, stderr)
		}
	}
	// /dev/zero: cut at the byte limit, said, never a hang.
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, probs, stderr := decryptProblems(t, "--keylog", "/dev/zero", "--keylog-max-bytes=1MiB", pcap)
		if !strings.Contains(stderr, "key log cut at its limit of 1 MiB") || !strings.Contains(probs[0], "key log cut") {
			t.Errorf("/dev/zero: stderr %q, decrypt_problem %q", stderr, probs)
		}
	}
}

// Issue 12, defect 3: a FIFO key log never hangs. With no writer it is
// read as empty at once (open(2) does not wait); with a writer that never
// closes it the read ends at the deadline with an error naming the FIFO.
func TestKeyLogFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "keys.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	var out, errOut bytes.Buffer
	if st := Main([]string{"report", "--keylog", fifo, "../pcaps/starttls587-tls13.pcap"}, nil, &out, &errOut); st != exitOK {
		t.Errorf("FIFO without a writer: exit %d: %s", st, errOut.String())
	}

	// A writer that keeps the FIFO open (O_RDWR never blocks on Linux).
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	keys, _ := os.ReadFile("../pcaps/starttls587-tls13.keys")
	if _, err := w.Write(keys); err != nil {
		t.Fatal(err)
	}
	err = readKeyLogFile(tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{}), fifo, 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "is a FIFO (named pipe) that did not end within 200ms") ||
		!strings.Contains(err.Error(), "regular file") {
		t.Errorf("FIFO held open: err %v", err)
	}
}
