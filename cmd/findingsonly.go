package cmd

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/report"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// exitFindings is the exit status when a finding at or above --fail-on
// was reported (and every input was readable: an input error, 1, wins).
const exitFindings = 3

// failOnRank parses --fail-on: "" (never fail) is -1, otherwise the rank of
// the severity (crit|high|medium|low|info).
func failOnRank(v string) (int, error) {
	if v == "" || v == "none" {
		return -1, nil
	}
	r := session.Severity(v).Rank()
	if r < 0 {
		return 0, fmt.Errorf("cmd: --fail-on must be crit, high, medium, low or info, not %q", v)
	}
	return r, nil
}

// worst tracks the worst severity reported, for --fail-on.
type worst struct{ rank int }

func newWorst() *worst { return &worst{rank: -1} }

func (w *worst) see(fs []session.Finding) {
	for _, f := range fs {
		w.rank = max(w.rank, f.Severity.Rank())
	}
}

// failed reports whether a finding at or above threshold was seen
// (threshold -1: never).
func (w *worst) failed(threshold int) bool { return threshold >= 0 && w.rank >= threshold }

// collector keeps a small copy (findings.Light: what the cross-session rules
// read, and the findings) of every finished session of one capture, in the
// order the ordered writer releases them.
type collector struct{ sessions []*session.Session }

func (c *collector) Write(s *session.Session) error {
	c.sessions = append(c.sessions, findings.Light(s))
	return nil
}

// findingsOnly runs `report --findings-only`: per file, every session's
// findings after the cross-session rules, one line (or JSON object) per
// finding in stream order; in text, the fix of each code once at the end.
func (e *env) findingsOnly(names []string, opts engine.Options, asJSON bool, threshold int, out io.Writer) int {
	status := exitOK
	w := newWorst()
	var fixes []string // codes in order of first appearance
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, name := range names {
		c := &collector{}
		err := e.reportFile(name, opts, c, nil)
		// What was decoded before damage is still reported (exit 1 after).
		findings.Apply(c.sessions)
		slices.SortStableFunc(c.sessions, func(a, b *session.Session) int { return cmp.Compare(a.Stream, b.Stream) })
		for _, s := range c.sessions {
			w.see(s.Findings)
			for _, f := range s.Findings {
				if !slices.Contains(fixes, f.Code) {
					fixes = append(fixes, f.Code)
				}
				if asJSON {
					_ = enc.Encode(findingJSON(name, s, f))
				} else {
					io.WriteString(out, findingLine(name, s, f))
				}
			}
		}
		if err != nil {
			if f, ok := out.(interface{ Flush() error }); ok {
				f.Flush()
			}
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			status = exitInput
		}
	}
	if !asJSON && len(fixes) > 0 {
		io.WriteString(out, "\nFixes:\n")
		for _, code := range fixes {
			io.WriteString(out, "  "+code+": "+fixText(code)+"\n")
		}
	}
	if status == exitOK && w.failed(threshold) {
		return exitFindings
	}
	return status
}

// findingLine is "FILE #stream client → server  SEVERITY code  frames 7,8  summary".
func findingLine(name string, s *session.Session, f session.Finding) string {
	return fmt.Sprintf("%s #%d %s → %s  %-6s %s  frames %s  %s\n", sanitize.String(name), s.Stream, s.Client, s.Server,
		f.Severity, sanitize.String(f.Code), report.JoinFrames(f.Frames, ","), f.Summary)
}

// fixText is what to change for a finding code (findings.Explain), or "".
func fixText(code string) string {
	if x, ok := findings.Explain(code); ok {
		return x.Fix
	}
	return ""
}

// jsonFinding is one line of `report --findings-only --json`.
type jsonFinding struct {
	File     string           `json:"file"`
	Stream   int64            `json:"stream"`
	Client   string           `json:"client"`
	Server   string           `json:"server"`
	Code     string           `json:"code"`
	Severity session.Severity `json:"severity"`
	Frames   []int64          `json:"frames"`
	Summary  string           `json:"summary"`
	Fix      string           `json:"fix"`
}

func findingJSON(name string, s *session.Session, f session.Finding) jsonFinding {
	frames := f.Frames
	if frames == nil {
		frames = []int64{}
	}
	return jsonFinding{File: sanitize.String(name), Stream: s.Stream, Client: s.Client.String(), Server: s.Server.String(),
		Code: f.Code, Severity: f.Severity, Frames: frames, Summary: f.Summary, Fix: fixText(f.Code)}
}
