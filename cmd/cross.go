package cmd

import (
	"fmt"
	"io"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/report"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// writeAcross writes the "Across sessions" section (findings.Across over
// the light copies of one file's sessions) of the text report: the
// findings that only comparing the sessions of one capture shows. It
// returns them all (for the totals and --fail-on).
func writeAcross(out io.Writer, copies []*session.Session) []session.Finding {
	extra := findings.Across(copies)
	var all []session.Finding
	for i, fs := range extra {
		if len(fs) == 0 {
			continue
		}
		if len(all) == 0 {
			io.WriteString(out, "Across sessions:\n")
		}
		c := copies[i]
		for _, f := range fs {
			fmt.Fprintf(out, "    ! %-6s %s  #%d %s → %s  %s (frames %s)\n", f.Severity, f.Code, c.Stream, c.Client,
				c.Server, f.Summary, report.JoinFrames(f.Frames, ", "))
		}
		all = append(all, fs...)
	}
	if len(all) > 0 {
		io.WriteString(out, "\n")
	}
	return all
}

// acrossFindings returns the cross-session findings of a file, flat.
func acrossFindings(copies []*session.Session) []session.Finding {
	var all []session.Finding
	for _, fs := range findings.Across(copies) {
		all = append(all, fs...)
	}
	return all
}
