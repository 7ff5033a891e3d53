package cmd

import (
	"os/exec"
	"strings"
	"testing"
)

// The model and its readers must not depend on gopacket or on any package
// that parses captured bytes (ARCHITECTURE.md, "Packages"): tui, report and
// findings only show or judge what the builder (dissect/build) put in the
// model (dissect/session).
var (
	modelSide = []string{"./dissect/session", "./dissect/findings", "./dissect/lesson", "./dissect/report", "./dissect/filter", "./dissect/stats", "./tui",
		"./dissect/smtpcode", "./dissect/tlsname"}
	// parserSide are the packages that read captured bytes, and the ones
	// that wire them together.
	parserSide = []string{
		"dissect/bpf", "dissect/build", "dissect/capture", "dissect/engine", "dissect/flow", "dissect/message",
		"dissect/smtp", "dissect/tlsdecrypt", "dissect/tlsrec",
	}
)

const module = "github.com/smtpscope/smtpscope/"

// forbiddenDeps lists the dependencies of pkg (go list -deps) that are
// gopacket or a parser package.
func forbiddenDeps(t *testing.T, pkg string) []string {
	t.Helper()
	// go test puts the go command that runs it first in PATH; the package
	// paths are the repository root's.
	cmd := exec.Command("go", "list", "-deps", pkg)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	var bad []string
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "gopacket") {
			bad = append(bad, dep)
			continue
		}
		rel, ok := strings.CutPrefix(dep, module)
		if !ok {
			continue
		}
		for _, p := range parserSide {
			if rel == p || strings.HasPrefix(rel, p+"/") {
				bad = append(bad, dep)
			}
		}
	}
	return bad
}

func TestModelDoesNotDependOnParsers(t *testing.T) {
	for _, pkg := range modelSide {
		if bad := forbiddenDeps(t, pkg); len(bad) > 0 {
			t.Errorf("%s depends on %s: the model side must not import gopacket or a parser package", pkg, strings.Join(bad, ", "))
		}
	}
}

// The check itself can fail: the builder does depend on the parsers.
func TestLayeringCheckSeesTheBuilder(t *testing.T) {
	bad := forbiddenDeps(t, "./dissect/build")
	var gopacket, smtp bool
	for _, d := range bad {
		gopacket = gopacket || strings.Contains(d, "gopacket")
		smtp = smtp || d == module+"dissect/smtp"
	}
	if !gopacket || !smtp {
		t.Errorf("forbiddenDeps(./dissect/build) = %v, want gopacket and dissect/smtp among them", bad)
	}
}
