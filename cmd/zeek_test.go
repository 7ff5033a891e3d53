package cmd

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/zeek"
	"github.com/smtpscope/smtpscope/pcaps"
)

// fixedClock is the #open/#close time of the golden Zeek logs.
func fixedClock() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// zeekLogs runs `report --zeek DIR` on path and returns DIR.
func zeekLogs(t *testing.T, path string, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, now: fixedClock}
	args := append([]string{"--zeek", dir}, extra...)
	if st := e.report(append(args, path)); st != exitOK {
		t.Fatalf("report --zeek %s: exit %d: %s", path, st, errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("report --zeek wrote %q on stdout", out.String())
	}
	return dir
}

// TestGoldenZeekLogs checks the Zeek logs (TSV and JSON) of every sample
// against testdata/zeek/SAMPLE/ (go test ./cmd -run GoldenZeek -update).
func TestGoldenZeekLogs(t *testing.T) {
	for _, name := range pcaps.Names() {
		base := strings.TrimSuffix(strings.TrimSuffix(name, ".pcap"), ".pcapng")
		for _, format := range []string{"tsv", "json"} {
			t.Run(base+"/"+format, func(t *testing.T) {
				dir := zeekLogs(t, filepath.Join("..", "pcaps", name), "--zeek-format", format)
				golden := filepath.Join("testdata", "zeek", base)
				if format == "json" {
					golden = filepath.Join(golden, "json")
				}
				got := logFiles(t, dir)
				if *update {
					if err := os.RemoveAll(golden); err != nil {
						t.Fatal(err)
					}
					if err := os.MkdirAll(golden, 0o755); err != nil {
						t.Fatal(err)
					}
					for f, b := range got {
						if err := os.WriteFile(filepath.Join(golden, f), b, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					return
				}
				if _, err := os.Stat(golden); os.IsNotExist(err) {
					// A sample added since: its logs are not reviewed yet.
					t.Skipf("no golden Zeek logs for %s (go test ./cmd -run GoldenZeek -update, then review)", name)
				}
				want := logFiles(t, golden)
				if !slices.Equal(sortedKeys(got), sortedKeys(want)) {
					t.Fatalf("logs %v, golden has %v (go test ./cmd -run GoldenZeek -update)", sortedKeys(got), sortedKeys(want))
				}
				for f := range want {
					if !bytes.Equal(got[f], want[f]) {
						t.Errorf("%s differs from %s:\n%s", f, golden, firstDiff(string(got[f]), string(want[f])))
					}
				}
			})
		}
	}
}

// logFiles reads the *.log files of dir.
func logFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".log") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

func sortedKeys(m map[string][]byte) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	slices.Sort(k)
	return k
}

// TestZeekGoldensReadBack reads every golden TSV log back by its own
// header, as zeek-cut does, and checks what pipelines rely on: the
// header lines, a value for every field, uid cross-references into
// conn.log, x509 fingerprints in ssl.log's cert_chain_fps, and that the
// JSON log says the same as the TSV log field by field.
func TestZeekGoldensReadBack(t *testing.T) {
	samples, err := os.ReadDir(filepath.Join("testdata", "zeek"))
	if err != nil {
		t.Fatalf("%v (run go test ./cmd -run GoldenZeek -update)", err)
	}
	if len(samples) == 0 {
		t.Fatal("no golden Zeek logs")
	}
	rows := 0
	for _, smp := range samples {
		dir := filepath.Join("testdata", "zeek", smp.Name())
		tables := map[string]*zeek.Table{}
		for f := range logFiles(t, dir) {
			b, _ := os.ReadFile(filepath.Join(dir, f))
			tb, err := zeek.ReadTSV(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s/%s: %v", dir, f, err)
			}
			if tb.Path+".log" != f || tb.Open == "" || tb.Close == "" || tb.Separator != "\t" || tb.SetSeparator != "," {
				t.Errorf("%s/%s: header path=%q open=%q close=%q sep=%q setsep=%q", dir, f, tb.Path, tb.Open, tb.Close, tb.Separator, tb.SetSeparator)
			}
			tables[tb.Path] = tb
			rows += len(tb.Rows)
			compareJSON(t, filepath.Join(dir, "json", f), tb)
		}
		conn := tables["conn"]
		if conn == nil {
			t.Errorf("%s: no conn.log", dir)
			continue
		}
		uids := map[string]bool{}
		for _, r := range conn.Cut("uid") {
			uids[r[0]] = true
		}
		for _, p := range []string{"smtp", "ssl", "weird", "notice"} {
			if tb := tables[p]; tb != nil {
				for _, r := range tb.Cut("uid", "id.orig_h", "id.resp_p") {
					if !uids[r[0]] {
						t.Errorf("%s/%s.log: uid %s is not in conn.log", dir, p, r[0])
					}
				}
			}
		}
		if x := tables["x509"]; x != nil {
			fps := map[string]bool{}
			ssl := tables["ssl"]
			for _, r := range ssl.Rows {
				v, _, _ := ssl.Value(r, "cert_chain_fps")
				for _, fp := range v {
					fps[fp] = true
				}
			}
			for _, r := range x.Cut("fingerprint") {
				if !fps[r[0]] {
					t.Errorf("%s/x509.log: fingerprint %s is in no ssl.log cert_chain_fps", dir, r[0])
				}
			}
		}
		if s := tables["smtp"]; s != nil {
			for _, r := range s.Rows {
				if d, ok, _ := s.Value(r, "trans_depth"); !ok || d[0] == "0" {
					t.Errorf("%s/smtp.log: trans_depth %v", dir, d)
				}
			}
		}
	}
	if rows == 0 {
		t.Fatal("the golden logs have no records")
	}
}

// compareJSON checks that the JSON log at path has the TSV table's rows:
// a key for every set field, none for an unset one, the same values.
func compareJSON(t *testing.T, path string, tb *zeek.Table) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	objs, err := zeek.ReadJSON(bytes.NewReader(b))
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if len(objs) != len(tb.Rows) {
		t.Errorf("%s: %d objects, the TSV log has %d rows", path, len(objs), len(tb.Rows))
		return
	}
	for i, row := range tb.Rows {
		for _, f := range tb.Fields {
			vals, set, err := tb.Value(row, f)
			if err != nil {
				t.Errorf("%s row %d %s: %v", path, i, f, err)
			}
			jv, has := objs[i][f]
			if set != has {
				t.Errorf("%s row %d: %s set in TSV %v, in JSON %v", path, i, f, set, has)
				continue
			}
			if !set {
				continue
			}
			var got []string
			switch x := jv.(type) {
			case []any:
				for _, e := range x {
					got = append(got, jsonScalar(e))
				}
				if got == nil {
					got = []string{}
				}
			default:
				got = []string{jsonScalar(x)}
			}
			typ := tb.Types[tb.Index(f)]
			if typ == "bool" {
				vals = []string{map[string]string{"T": "true", "F": "false"}[vals[0]]}
			}
			if typ == "time" || typ == "interval" {
				// TSV %.6f, JSON the shortest double: the same number.
				a, err1 := strconv.ParseFloat(vals[0], 64)
				b, err2 := strconv.ParseFloat(got[0], 64)
				if err1 != nil || err2 != nil || math.Abs(a-b) > 5e-7 {
					t.Errorf("%s row %d %s: JSON %q, TSV %q", path, i, f, got, vals)
				}
				continue
			}
			if !slices.Equal(got, vals) {
				t.Errorf("%s row %d %s: JSON %q, TSV %q", path, i, f, got, vals)
			}
		}
	}
}

func jsonScalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
