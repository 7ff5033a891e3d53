package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/pcaps"
)

// TestGoldenStats checks `report --stats` (text and JSON) of every sample
// against testdata/golden/stats (go test ./cmd -run GoldenStats -update).
func TestGoldenStats(t *testing.T) {
	for _, name := range pcaps.Names() {
		path := filepath.Join("..", "pcaps", name)
		base := strings.TrimSuffix(strings.TrimSuffix(name, ".pcap"), ".pcapng")
		for _, mode := range []struct {
			ext  string
			args []string
		}{{".txt", nil}, {".json", []string{"--json"}}} {
			t.Run(name+mode.ext, func(t *testing.T) {
				var out, errOut bytes.Buffer
				args := append(append([]string{"report", "--stats"}, mode.args...), path)
				if st := Main(args, nil, &out, &errOut); st != exitOK {
					t.Fatalf("exit %d: %s", st, errOut.String())
				}
				golden := filepath.Join("testdata", "golden", "stats", base+mode.ext)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd -run GoldenStats -update)", err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Errorf("stats of %s differ from %s:\n%s", name, golden, firstDiff(out.String(), string(want)))
				}
			})
		}
	}
}

// The statistics agree with the session report they summarise: every
// reply code of `report --json` is in the histogram, as often.
func TestStatsMatchTheReport(t *testing.T) {
	var files []string
	for _, name := range pcaps.Names() {
		files = append(files, filepath.Join("..", "pcaps", name))
	}
	var sess, st, errOut bytes.Buffer
	if Main(append([]string{"report", "--json"}, files...), nil, &sess, &errOut) != exitOK ||
		Main(append([]string{"report", "--stats", "--json"}, files...), nil, &st, &errOut) != exitOK {
		t.Fatal(errOut.String())
	}
	codes := map[string]int{}
	verbs := map[string]int{}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(sess.String()), "\n") {
		var s struct {
			Replies []struct {
				Code int `json:"code"`
			} `json:"replies"`
			Commands []struct {
				Verb string `json:"verb"`
			} `json:"commands"`
		}
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		n++
		for _, r := range s.Replies {
			codes[fmt.Sprintf("%03d", r.Code)]++
		}
		for _, c := range s.Commands {
			verbs[c.Verb]++
		}
	}
	var got struct {
		Sessions   int `json:"sessions"`
		ReplyCodes struct {
			Bars []struct {
				Key string `json:"key"`
				N   int    `json:"n"`
			} `json:"bars"`
		} `json:"reply_codes"`
		Verbs struct {
			Bars []struct {
				Key string `json:"key"`
				N   int    `json:"n"`
			} `json:"bars"`
		} `json:"commands_by_verb"`
	}
	if err := json.Unmarshal(st.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Sessions != n {
		t.Errorf("stats count %d sessions, the report %d", got.Sessions, n)
	}
	for _, b := range got.ReplyCodes.Bars {
		if codes[b.Key] != b.N {
			t.Errorf("reply %s: stats %d, report %d", b.Key, b.N, codes[b.Key])
		}
		delete(codes, b.Key)
	}
	for _, b := range got.Verbs.Bars {
		if verbs[b.Key] != b.N {
			t.Errorf("verb %s: stats %d, report %d", b.Key, b.N, verbs[b.Key])
		}
		delete(verbs, b.Key)
	}
	if len(codes) > 0 || len(verbs) > 0 {
		t.Errorf("missing from the stats: codes %v verbs %v", codes, verbs)
	}
	// With --filter: only the selected sessions.
	var f bytes.Buffer
	if Main(append([]string{"report", "--stats", "--filter", "tls.version >= 1.2"}, files...), nil, &f, &errOut) != exitOK {
		t.Fatal(errOut.String())
	}
	if !strings.Contains(f.String(), "Sessions selected by: tls.version >= 1.2") || strings.Contains(f.String(), "  none ") {
		t.Errorf("filtered stats:\n%s", f.String())
	}
}
