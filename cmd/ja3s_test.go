package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// smtpscope's JA3S of every TLS session of the public corpus is the one
// tshark computes (tls.handshake.ja3s), stream by stream.
func TestJA3SMatchesTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed")
	}
	corpus := filepath.Join("..", "..", "shared", "corpus", "public")
	files, _ := filepath.Glob(filepath.Join(corpus, "*.pcap*"))
	if len(files) == 0 {
		t.Skipf("no public corpus at %s", corpus)
	}
	compared := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".txt") || strings.HasSuffix(f, ".keylog") {
			continue
		}
		args := []string{"-n", "-r", f, "-Y", "tls.handshake.type == 2", "-T", "fields", "-e", "tcp.stream", "-e", "tls.handshake.ja3s"}
		if strings.Contains(f, "certgrep__sess_smtps") {
			args = append(args, "-d", "tcp.port==587,tls")
		}
		out, err := exec.Command(tshark, args...).Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", f, err)
		}
		want := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if stream, ja3s, ok := strings.Cut(l, "\t"); ok && ja3s != "" {
				want[stream] = ja3s
			}
		}
		var rep, errOut bytes.Buffer
		Main([]string{"report", "--json", f}, nil, &rep, &errOut)
		sc := bufio.NewScanner(&rep)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var s struct {
				Stream int64
				TLS    struct{ JA3S string } `json:"tls"`
			}
			if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
				t.Fatal(err)
			}
			w, ok := want[itoa(int(s.Stream))]
			if !ok {
				if s.TLS.JA3S != "" {
					t.Errorf("%s stream %d: JA3S %s, tshark saw no ServerHello", filepath.Base(f), s.Stream, s.TLS.JA3S)
				}
				continue
			}
			compared++
			if s.TLS.JA3S != w {
				t.Errorf("%s stream %d: JA3S %s, tshark %s", filepath.Base(f), s.Stream, s.TLS.JA3S, w)
			}
		}
	}
	if _, err := os.Stat(corpus); err == nil && compared < 3 {
		t.Errorf("only %d sessions compared", compared)
	}
}
