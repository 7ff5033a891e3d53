package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/cmd"
)

func validator(t *testing.T) *Validator {
	t.Helper()
	v, err := New(Session)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Every golden NDJSON session validates against the published schema.
func TestGoldensValidate(t *testing.T) {
	v := validator(t)
	files, _ := filepath.Glob(filepath.Join("..", "..", "cmd", "testdata", "golden", "*.json"))
	if len(files) == 0 {
		t.Fatal("no golden NDJSON")
	}
	lines := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 64<<20)
		for n := 1; sc.Scan(); n++ {
			lines++
			for _, err := range v.ValidateLine(sc.Bytes()) {
				t.Errorf("%s line %d: %v", f, n, err)
			}
		}
	}
	if lines < 20 {
		t.Errorf("only %d golden sessions", lines)
	}
}

// The sessions of the public corpus (other servers, other clients) validate
// too; skipped without ../shared.
func TestCorpusValidates(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "public")
	files, _ := filepath.Glob(filepath.Join(corpus, "*.pcap*"))
	if len(files) == 0 {
		t.Skipf("no public corpus at %s", corpus)
	}
	v := validator(t)
	for _, f := range files {
		if strings.HasSuffix(f, ".txt") || strings.HasSuffix(f, ".keylog") {
			continue
		}
		var out, errOut bytes.Buffer
		args := []string{"report", "--json", f}
		if _, err := os.Stat(f + ".keylog"); err == nil {
			args = append(args, "--keylog", f+".keylog")
		}
		cmd.Main(args, nil, &out, &errOut)
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 64<<20)
		for n := 1; sc.Scan(); n++ {
			for _, err := range v.ValidateLine(sc.Bytes()) {
				t.Errorf("%s session %d: %v", filepath.Base(f), n, err)
			}
		}
	}
}

// The validator rejects what the schema forbids.
func TestViolations(t *testing.T) {
	v := validator(t)
	b, err := os.ReadFile(filepath.Join("..", "..", "cmd", "testdata", "golden", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	line := bytes.SplitN(b, []byte("\n"), 2)[0]
	if errs := v.ValidateLine(line); len(errs) != 0 {
		t.Fatalf("demo.json line 1: %v", errs)
	}
	mutate := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, _ := json.Marshal(m)
		return out
	}
	cases := map[string][]byte{
		"required property \"stream\"": mutate(func(m map[string]any) { delete(m, "stream") }),
		"is not of type":               mutate(func(m map[string]any) { m["commands"] = "none" }),
		"is not one of":                mutate(func(m map[string]any) { m["port_role"] = "mx" }),
		"below the minimum":            mutate(func(m map[string]any) { m["first_frame"] = -1 }),
		"RFC 3339":                     mutate(func(m map[string]any) { m["start"] = "yesterday" }),
		"$.tls.mode":                   mutate(func(m map[string]any) { m["tls"].(map[string]any)["mode"] = "tls" }),
		"not JSON":                     []byte("{"),
	}
	for want, doc := range cases {
		errs := v.ValidateLine(doc)
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e.Error(), want)
		}
		if !found {
			t.Errorf("want an error containing %q, got %v", want, errs)
		}
	}
	// Additions are allowed (the contract: fields are added, never renamed).
	if errs := v.ValidateLine(mutate(func(m map[string]any) { m["new_field"] = 1 })); len(errs) != 0 {
		t.Errorf("an added field: %v", errs)
	}
}
