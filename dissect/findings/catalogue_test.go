package findings

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// designFindings is the catalogue the rules implement.
const designFindings = "/work/shared/design/FINDINGS.md"

// designCodes parses the codes of the "Findings" table of FINDINGS.md, or
// returns the catalogue's codes when the file is not there.
func designCodes(t *testing.T) []string {
	data, err := os.ReadFile(designFindings)
	if err != nil {
		t.Logf("%s not readable (%v): checking the catalogue against itself", designFindings, err)
		var out []string
		for _, e := range Catalogue() {
			out = append(out, e.Code)
		}
		return out
	}
	row := regexp.MustCompile("^\\| `([a-z0-9_]+\\.[a-z0-9_]+)` \\|")
	var out []string
	for line := range strings.Lines(string(data)) {
		if m := row.FindStringSubmatch(line); m != nil {
			out = append(out, m[1])
		}
	}
	if len(out) < 20 {
		t.Fatalf("%s: only %d codes parsed", designFindings, len(out))
	}
	return out
}

// isReference reports whether r is an RFC (section) or CVE citation.
func isReference(r string) bool {
	return regexp.MustCompile(`^(RFC \d{3,4}(, Section [\d.]+)?|CVE-\d{4}-\d{4,})$`).MatchString(r)
}

func TestCatalogue(t *testing.T) {
	codes := designCodes(t)
	seen := map[string]bool{}
	for _, e := range Catalogue() {
		if seen[e.Code] {
			t.Errorf("%s listed twice", e.Code)
		}
		seen[e.Code] = true
	}
	for _, code := range codes {
		e, ok := Explain(code)
		if !ok {
			t.Errorf("Explain(%q): missing", code)
			continue
		}
		if e.Code != code || e.Title == "" || e.Severity == "" || e.Why == "" || e.Attack == "" || e.Fix == "" {
			t.Errorf("Explain(%q) = %+v: incomplete", code, e)
		}
		if len(e.References) == 0 {
			t.Errorf("Explain(%q): no RFC/CVE reference", code)
		}
		for _, r := range e.References {
			if !isReference(r) {
				t.Errorf("Explain(%q): reference %q is not an RFC section or CVE", code, r)
			}
		}
	}
	if len(Catalogue()) != len(codes) {
		t.Errorf("catalogue has %d codes, design %d", len(Catalogue()), len(codes))
	}
	if _, ok := Explain("no.such_code"); ok {
		t.Error("Explain(unknown) ok")
	}
}

// TestCodesHaveRules: every code a rule emits is in the catalogue.
func TestCodesHaveRules(t *testing.T) {
	for _, c := range ruleCases() {
		for _, f := range Session(c.fire()) {
			if _, ok := Explain(f.Code); !ok {
				t.Errorf("%s: emitted %q, not in the catalogue", c.name, f.Code)
			}
			if f.Severity.Rank() < 0 {
				t.Errorf("%s: severity %q", c.name, f.Severity)
			}
		}
	}
}

func TestPhaseText(t *testing.T) {
	for _, p := range session.Phases() {
		e := PhaseText(p)
		if e.Code != string(p) || e.Title == "" || e.Why == "" || e.Attack == "" || e.Fix == "" || len(e.References) == 0 {
			t.Errorf("PhaseText(%q) = %+v: incomplete", p, e)
		}
		for _, r := range e.References {
			if !isReference(r) {
				t.Errorf("PhaseText(%q): reference %q", p, r)
			}
		}
	}
	if e := PhaseText("nonsense"); e.Code != "nonsense" || e.Why != "" {
		t.Errorf("PhaseText(unknown) = %+v", e)
	}
}
