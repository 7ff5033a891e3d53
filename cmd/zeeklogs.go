package cmd

import (
	"fmt"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/zeek"
)

// zeekReport runs `report --zeek DIR`: the sessions of every file as Zeek
// logs in DIR (one set of logs for all the files, as one Zeek run over
// them would write).
func (e *env) zeekReport(dir string, format zeek.Format, files []string, opts engine.Options, threshold int) int {
	w, err := zeek.NewWriter(zeek.Options{Dir: dir, Format: format, Open: e.now()})
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	status := exitOK
	seen := newWorst()
	for _, name := range files {
		// The findings that need several sessions go to notice.log once
		// the file is read, under the uid of the session they are about.
		var copies []*session.Session
		fw := &watchWriter{w: w, seen: seen, keep: func(s *session.Session) { copies = append(copies, findings.Light(s)) }}
		if err := e.reportFile(name, opts, fw, nil); err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			status = exitInput
		}
		for i, fs := range findings.Across(copies) {
			seen.see(fs)
			if err := w.WriteNotices(copies[i], fs); err != nil {
				fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
				status = exitInput
			}
		}
	}
	if err := w.Close(e.now()); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: writing the Zeek logs: %s\n", errtext.Plain(err))
		return exitInput
	}
	if status == exitOK && seen.failed(threshold) {
		status = exitFindings
	}
	return status
}
