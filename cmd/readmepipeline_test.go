package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The README's pipeline examples (the sh block after the
// "pipeline-examples" marker) run as written from the repository root,
// with this build of smtpscope on the PATH; each command must succeed and
// print something.
func TestReadmePipelineExamples(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq is not installed: the README's pipeline examples use it")
	}
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "<!-- pipeline-examples -->\n```sh\n")
	if !ok {
		t.Fatal("README.md has no pipeline-examples block")
	}
	block, _, _ := strings.Cut(rest, "```")
	bin := t.TempDir()
	gobin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	build := exec.Command(gobin, "build", "-o", filepath.Join(bin, "smtpscope"), "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	n := 0
	for _, line := range strings.Split(block, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		cmd := exec.Command("bash", "-o", "pipefail", "-c", line)
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", line, err, out)
			continue
		}
		if !strings.HasPrefix(line, "smtpscope report --format zeek") && !strings.HasPrefix(line, "smtpscope report --zeek") &&
			!strings.Contains(line, "--output") && len(strings.TrimSpace(string(out))) == 0 {
			t.Errorf("%s: printed nothing", line)
		}
	}
	if n < 8 {
		t.Errorf("only %d commands in the block", n)
	}
}
