package cmd

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// diagram runs `smtpscope diagram`: one session (or those a filter
// selects) as an SVG sequence diagram or Mermaid.
func (e *env) diagram(args []string) int {
	fs := e.flagSet("diagram")
	fs.SetOutput(e.stderr)
	stream := fs.Int64("stream", -1, "the session (tcp.stream) to draw")
	filterExpr := fs.String("filter", "", "draw the sessions this filter selects (the UI's / language)")
	svgOut := fs.String("svg", "", "write the SVG to this file (several sessions: FILE.sN.svg each)")
	mermaid := fs.Bool("mermaid", false, "write a Mermaid sequenceDiagram to stdout instead of SVG")
	output := fs.String("output", "", "write the SVG (or Mermaid) to FILE; - for stdout")
	kf := addKeyLogFlags(fs)
	reveal := fs.Bool("reveal", false, "show AUTH passwords instead of ********")
	themeName := fs.String("theme", "", "light|dark (default: light, dark when the viewer prefers it)")
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	theme, ok := diagram.ParseTheme(*themeName)
	if !ok {
		fmt.Fprintf(e.stderr, "smtpscope diagram: --theme %q: want light or dark\n", sanitize.String(*themeName))
		return exitUsage
	}
	if *mermaid && *svgOut != "" {
		fmt.Fprintln(e.stderr, "smtpscope diagram: --svg and --mermaid exclude each other")
		return exitUsage
	}
	if *output != "" && *output != "-" {
		switch {
		case *mermaid:
			f, err := os.Create(*output)
			if err != nil {
				fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
				return exitInput
			}
			defer f.Close()
			ec := *e
			ec.stdout = f
			e = &ec
		case *svgOut == "":
			*svgOut = *output
		default:
			fmt.Fprintln(e.stderr, "smtpscope diagram: --svg and --output exclude each other")
			return exitUsage
		}
	}
	if *stream >= 0 && *filterExpr != "" {
		fmt.Fprintln(e.stderr, "smtpscope diagram: --stream and --filter exclude each other")
		return exitUsage
	}
	sel, done, ok := e.filterFlag(*filterExpr)
	switch {
	case done:
		return exitOK
	case !ok:
		return exitUsage
	}
	match := sel.Match
	if fs.NArg() > 1 {
		fmt.Fprintln(e.stderr, "smtpscope diagram: one capture file at a time")
		return exitUsage
	}
	name := fs.Arg(0) // "" is the embedded demo
	keys, err := e.keysFor(name, kf)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.SMTP.Reveal = *reveal
	opts.Session.Keys = keys
	all, _, runErr := e.readAll(name, opts)
	status := exitOK
	if runErr != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(runErr.Error()))
		status = exitInput
	}
	var picked []*session.Session
	for _, s := range all {
		if (*stream < 0 || s.Stream == *stream) && match(s) {
			picked = append(picked, s)
		}
	}
	if len(picked) == 0 {
		fmt.Fprintln(e.stderr, "smtpscope diagram: no SMTP session matches")
		return exitInput
	}
	do := diagram.Options{Reveal: *reveal, Theme: theme}
	if *mermaid {
		var b bytes.Buffer
		for i, s := range picked {
			if i > 0 {
				b.WriteByte('\n')
			}
			diagram.Mermaid(&b, s, do)
		}
		if _, err := e.stdout.Write(b.Bytes()); err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: writing the diagram: %s\n", sanitize.String(err.Error()))
			return exitInput
		}
		return status
	}
	if *svgOut == "" {
		if len(picked) > 1 {
			fmt.Fprintf(e.stderr, "smtpscope diagram: %d sessions match: choose one with --stream N, or write them with --svg FILE\n", len(picked))
			return exitUsage
		}
		if err := diagram.SVG(e.stdout, picked[0], do); err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: writing the diagram: %s\n", sanitize.String(err.Error()))
			return exitInput
		}
		return status
	}
	for _, s := range picked {
		out := *svgOut
		if len(picked) > 1 {
			out = perSession(out, s.Stream)
		}
		var b bytes.Buffer
		diagram.SVG(&b, s, do)
		if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
			return exitInput
		}
		fmt.Fprintf(e.stderr, "smtpscope: session #%d written to %s\n", s.Stream, sanitize.String(out))
	}
	return status
}

// perSession names the file of one session among several: "out.svg"
// becomes "out.s3.svg".
func perSession(path string, stream int64) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + ".s" + strconv.FormatInt(stream, 10) + ext
}
