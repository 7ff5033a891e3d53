package cmd

import (
	"bytes"
	"fmt"
	"os"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/htmlreport"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// htmlReport runs `smtpscope report --html OUT FILE...`: every capture is
// read whole (sessions and cross-session findings), then one page is written.
func (e *env) htmlReport(out, themeName string, files []string, opts engine.Options, reveal bool) int {
	theme, ok := diagram.ParseTheme(themeName)
	if !ok {
		fmt.Fprintf(e.stderr, "smtpscope report: --theme %q: want light or dark\n", sanitize.String(themeName))
		return exitUsage
	}
	status := exitOK
	caps := make([]htmlreport.Capture, 0, len(files))
	for _, name := range files {
		ss, limits, err := e.readAll(name, opts)
		c := htmlreport.Capture{Name: name, Sessions: ss, Limits: map[string]int64{}}
		for l, n := range limits {
			c.Limits[l.String()] = n
		}
		if err != nil {
			c.Err = err.Error()
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
			status = exitInput
		}
		caps = append(caps, c)
	}
	var b bytes.Buffer
	if err := htmlreport.Write(&b, caps, htmlreport.Options{Theme: theme, Reveal: reveal}); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: writing the report: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	return status
}
