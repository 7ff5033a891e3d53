package cmd

import (
	"fmt"
	"os"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/errtext"
)

// withOutput runs a command that prints to stdout with --output FILE (or
// --output=FILE) taken out of its arguments: what it prints goes to FILE
// ("-" is stdout). The command's exit status is returned unchanged.
func (e *env) withOutput(args []string, run func(*env, []string) int) int {
	out := ""
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if v, ok := strings.CutPrefix(strings.TrimPrefix(a, "-"), "-output="); ok {
			out = v
			continue
		}
		if a == "--output" || a == "-output" {
			if i+1 >= len(args) {
				fmt.Fprintln(e.stderr, "smtpscope: flag --output needs a value")
				return exitUsage
			}
			out = args[i+1]
			i++
			continue
		}
		rest = append(rest, a)
	}
	if out == "" || out == "-" {
		return run(e, rest)
	}
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	ec := *e
	ec.stdout = f
	st := run(&ec, rest)
	if err := f.Close(); err != nil && st == exitOK {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	return st
}
