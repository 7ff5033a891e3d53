package cmd

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/pcaps"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden")

// TestGoldenReports checks `report --json` and the text report of every
// sample capture in pcaps/ against testdata/golden (go test ./cmd -update
// rewrites them; review the diff).
func TestGoldenReports(t *testing.T) {
	names := pcaps.Names()
	if len(names) == 0 {
		t.Fatal("no sample capture embedded")
	}
	for _, name := range names {
		path := filepath.Join("..", "pcaps", name)
		modes := []struct {
			ext  string
			args []string
		}{{".json", []string{"--json"}}, {".txt", nil}}
		if k := pcaps.KeyLog(name); k != "" {
			// With the key log the generator wrote: the SMTP inside TLS.
			keys := filepath.Join("..", "pcaps", k)
			modes = append(modes, struct {
				ext  string
				args []string
			}{".keylog.json", []string{"--json", "--keylog", keys}}, struct {
				ext  string
				args []string
			}{".keylog.txt", []string{"--keylog", keys}})
		}
		for _, mode := range modes {
			t.Run(name+mode.ext, func(t *testing.T) {
				args := append([]string{"report"}, mode.args...)
				var out, errOut bytes.Buffer
				if st := Main(append(args, path), nil, &out, &errOut); st != exitOK {
					t.Fatalf("exit %d: %s", st, errOut.String())
				}
				golden := filepath.Join("testdata", "golden", strings.TrimSuffix(strings.TrimSuffix(name, ".pcap"), ".pcapng")+mode.ext)
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
					t.Fatalf("%v (run go test ./cmd -run Golden -update)", err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Errorf("report of %s differs from %s:\n%s", name, golden, firstDiff(out.String(), string(want)))
				}
			})
		}
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
