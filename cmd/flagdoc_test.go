package cmd

import (
	"bytes"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mainCommands returns the words Main dispatches on (the case labels of
// e.run's switch), read from main.go, so a new command is checked too.
func mainCommands(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		cc, ok := n.(*ast.CaseClause)
		if !ok {
			return true
		}
		for _, x := range cc.List {
			if lit, ok := x.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				w, _ := strconv.Unquote(lit.Value)
				if isWord(w) && w != "help" && w != "version" {
					out = append(out, w)
				}
			}
		}
		return true
	})
	return out
}

// definedFlags runs a command line ending in -h and returns the flags the
// FlagSets it made define.
func definedFlags(t *testing.T, args ...string) []string {
	t.Helper()
	var o, eb bytes.Buffer
	e := &env{stdout: &o, stderr: &eb}
	if code := e.run(args); code != exitOK {
		t.Fatalf("smtpscope %s = %d, want 0; stderr %q", strings.Join(args, " "), code, eb.String())
	}
	var names []string
	for _, fs := range e.flagSets {
		fs.VisitAll(func(f *flag.Flag) {
			if !slices.Contains(names, f.Name) {
				names = append(names, f.Name)
			}
		})
	}
	return names
}

// TestFlagsDocumented: every flag a command defines is in the usage its -h
// prints (the table completion and the man page are made from), and every
// flag the usage documents is one the command takes.
func TestFlagsDocumented(t *testing.T) {
	runs := map[string][][]string{
		"":       {{"--theme", "dark", "-h"}, {"-i", "lo", "-h"}}, // a bare -h prints the usage before any parsing
		"report": {{"report", "-h"}, {"report", "-i", "lo", "-h"}},
	}
	for _, c := range mainCommands(t) {
		if c != "report" && c != "completion" && c != "man" {
			runs[c] = [][]string{{c, "-h"}}
		}
	}
	docs := commandFlags()
	for c, lines := range runs {
		var defined []string
		for _, args := range lines {
			defined = append(defined, definedFlags(t, args...)...)
		}
		for _, name := range defined {
			if !documented(c, name) {
				t.Errorf("smtpscope %s defines -%s but its usage (what -h prints) does not document it", c, name)
			}
		}
		for _, f := range docs[c] {
			if !slices.Contains(defined, f.name) {
				t.Errorf("smtpscope %s: the usage documents %s, which the command does not define", c, f.dashed())
			}
		}
		if len(defined) > 0 && len(docs[c]) == 0 {
			t.Errorf("smtpscope %s has flags but no entry in commandDocs (flagdoc.go)", c)
		}
	}
}

// TestFlagSetsRecorded: commands make their FlagSets with e.flagSet, so
// the test above sees every flag.
func TestFlagSetsRecorded(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "flagdoc.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(src, []byte("flag.NewFlagSet(")) {
			t.Errorf("%s calls flag.NewFlagSet: use e.flagSet so its flags are checked against the usage", name)
		}
	}
}

// bashComplete sources the bash completion and completes words (the last
// one is being typed); it returns the candidates.
func bashComplete(t *testing.T, script string, words ...string) []string {
	t.Helper()
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = shQuote(w)
	}
	prog := script + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
		"\n_smtpscope\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", prog)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash completion of %q: %v\n%s", words, err, out)
	}
	return strings.Fields(string(out))
}

func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	var o, eb bytes.Buffer
	if code := Main([]string{"completion", "bash"}, nil, &o, &eb); code != exitOK {
		t.Fatalf("completion bash = %d: %s", code, eb.String())
	}
	script := o.String()
	if out, err := exec.Command("bash", "-n", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	cases := []struct {
		words []string
		want  []string
	}{
		{[]string{"smtpscope", "rep"}, []string{"report"}},
		{[]string{"smtpscope", "report", "--th"}, []string{"--theme", "--threads"}},
		{[]string{"smtpscope", "report", "--theme", ""}, []string{"light", "dark"}},
		{[]string{"smtpscope", "report", "--fail-on", "h"}, []string{"high"}},
		{[]string{"smtpscope", "--te"}, []string{"--teach"}},
		{[]string{"smtpscope", "diagram", "--mer"}, []string{"--mermaid"}},
		{[]string{"smtpscope", "completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"smtpscope", "-i", "l"}, []string{"lo"}},
		{[]string{"smtpscope", "report", "--filter", "tls.v"}, []string{"tls.version"}},
		{[]string{"smtpscope", "diagram", "--filter", "replies.c"}, []string{"replies.code"}},
		{[]string{"smtpscope", "--time", "e"}, []string{"epoch"}},
	}
	for _, c := range cases {
		got := bashComplete(t, script, c.words...)
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("completing %q = %q, want %q", c.words, got, want)
		}
	}
}

// TestCompletionScripts: zsh and fish scripts name every documented flag
// and pass their shell's syntax check where that shell is installed.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"zsh", "fish"} {
		var o, eb bytes.Buffer
		if code := Main([]string{"completion", shell}, nil, &o, &eb); code != exitOK {
			t.Fatalf("completion %s = %d: %s", shell, code, eb.String())
		}
		for c, fl := range commandFlags() {
			for _, f := range fl {
				if !strings.Contains(o.String(), f.name) {
					t.Errorf("%s completion lacks %s of %q", shell, f.dashed(), c)
				}
			}
		}
		if _, err := exec.LookPath(shell); err != nil {
			t.Logf("%s is not installed: its syntax check is skipped", shell)
			continue
		}
		if out, err := exec.Command(shell, "-n", "-c", o.String()).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, out)
		}
	}
	var eb bytes.Buffer
	if code := Main([]string{"completion", "tcsh"}, nil, &bytes.Buffer{}, &eb); code != exitUsage {
		t.Errorf("completion tcsh = %d, want %d", code, exitUsage)
	}
}

// TestManPage: the manual page renders without a warning from groff, and
// documents every flag of every command.
func TestManPage(t *testing.T) {
	var o, eb bytes.Buffer
	if code := Main([]string{"man"}, nil, &o, &eb); code != exitOK {
		t.Fatalf("man = %d: %s", code, eb.String())
	}
	page := o.String()
	for c, fl := range commandFlags() {
		for _, f := range fl {
			if !strings.Contains(page, ".TP\n\\fB"+roffFlag(f.dashed())+"\\fR") {
				t.Errorf("the man page lacks %s of %q", f.dashed(), c)
			}
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("no groff: the rendering check is skipped")
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww")
	cmd.Stdin = strings.NewReader(page)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || errb.Len() > 0 {
		t.Fatalf("groff: %v\n%s", err, errb.String())
	}
	text := out.String()
	for _, want := range []string{"EXIT STATUS", "SMTPSCOPE REPORT", "UI flags", "--max-memory", "smtpscope report FILE..."} {
		if !strings.Contains(stripOverstrike(text), want) {
			t.Errorf("rendered man page lacks %q", want)
		}
	}
}

// stripOverstrike removes groff's bold and underline overstriking (c\bc).
func stripOverstrike(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		if i+1 < len(r) && r[i+1] == '\b' {
			i++
			continue
		}
		b.WriteRune(r[i])
	}
	return b.String()
}

// TestFishCompletion: fish, given the script, completes as bash does.
func TestFishCompletion(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("fish is not installed (apt-get install fish): its completion check is skipped")
	}
	var o bytes.Buffer
	if code := Main([]string{"completion", "fish"}, nil, &o, &bytes.Buffer{}); code != exitOK {
		t.Fatalf("completion fish = %d", code)
	}
	script := filepath.Join(t.TempDir(), "smtpscope.fish")
	if err := os.WriteFile(script, o.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"smtpscope report --th":     {"--theme", "--threads"},
		"smtpscope report --theme ": {"dark", "light"},
		"smtpscope dia":             {"diagram"},
		"smtpscope --te":            {"--teach"},
	}
	for line, want := range cases {
		cmd := exec.Command("fish", "--no-config", "-c", "source "+shQuote(script)+"; complete -C "+shQuote(line))
		cmd.Dir = t.TempDir() // no file names to complete besides the words
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			cand, _, _ := strings.Cut(l, "\t")
			got = append(got, cand)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("fish completes %q to %q, want %q", line, got, want)
		}
	}
}
