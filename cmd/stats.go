package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/stats"
)

// statsWidth is the width of the text statistics (bars fill it).
const statsWidth = 80

// accWriter counts each finished session.
type accWriter struct{ acc *stats.Acc }

func (a accWriter) Write(s *session.Session) error {
	a.acc.Add(s)
	return nil
}

// statsReport runs `report --stats`: the statistics of every session of
// every file (those --filter selects), as text bar charts or one JSON
// object.
func (e *env) statsReport(files []string, opts engine.Options, asJSON bool, out io.Writer) int {
	acc := &stats.Acc{}
	status := exitOK
	for _, name := range files {
		if err := e.reportFile(name, opts, accWriter{acc}, nil); err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			status = exitInput
		}
	}
	st := acc.Stats(stats.Options{})
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Files  []string `json:"files"`
			Filter string   `json:"filter,omitempty"`
			// Skipped: frames of a link type smtpscope cannot decode.
			Skipped []linkSkip `json:"frames_skipped,omitempty"`
			*stats.Stats
		}{files, e.sel.String(), e.skipped, &st}); err != nil {
			return exitInput
		}
		return status
	}
	if !e.sel.Empty() {
		fmt.Fprintf(out, "Sessions selected by: %s\n", e.sel.String())
	}
	if err := st.WriteText(out, statsWidth); err != nil {
		return exitInput
	}
	return status
}
