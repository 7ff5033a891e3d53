package cmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/smtpscope/smtpscope/dissect/wire"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/report"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/zeek"
)

// report runs `smtpscope report`.
func (e *env) report(args []string) int {
	if isLive(args) {
		return e.live(args, true)
	}
	fs := e.flagSet("report")
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "one JSON object per session per line (NDJSON)")
	reveal := fs.Bool("reveal", false, "show AUTH passwords instead of ********")
	kf := addKeyLogFlags(fs)
	creds := fs.Bool("credentials", false, "list every AUTH exchange: mechanism, user, server, frame, outcome")
	only := fs.Bool("findings-only", false, "one line (or JSON object) per finding, cross-session rules included")
	failOn := fs.String("fail-on", "", "exit 3 when a finding at or above this severity is reported")
	maxMemory := sizeFlag{n: defaultMaxMemory}
	fs.Var(&maxMemory, "max-memory", "memory budget for tracked connections (e.g. 512MiB)")
	threads := fs.Int("threads", runtime.GOMAXPROCS(0), "goroutines that dissect (1: no pipeline)")
	htmlOut := fs.String("html", "", "write one self-contained HTML report to this file")
	themeName := fs.String("theme", "", "light|dark colours of the HTML report (default: the viewer's)")
	zeekDir := fs.String("zeek", "", "write Zeek logs (smtp.log, ssl.log, x509.log, conn.log, weird.log, notice.log) into this directory")
	zeekFormat := fs.String("zeek-format", "tsv", "tsv (Zeek's ASCII logs) or json (LogAscii::use_json)")
	withStats := fs.Bool("stats", false, "statistics instead of sessions: reply codes, verbs, TLS, top talkers, sessions over time")
	filterExpr := fs.String("filter", "", "only the sessions this filter selects (the UI's / language)")
	output := fs.String("output", "", "write the report to FILE (- for stdout); the directory of --format zeek, the page of --format html")
	format := fs.String("format", "", "text|json|zeek|html: the writer (json is --json, zeek --zeek, html --html; the path from --output)")
	jobs := fs.Int("jobs", 1, "captures read at once (FILE... or a directory of rotated captures); output in file order")
	files, err := parseArgs(fs, args, reportUsage, e.stdout, e.stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK // -h asked for the usage, which was printed
		}
		return exitUsage
	}
	if *threads < 1 {
		fmt.Fprintf(e.stderr, "smtpscope report: --threads %d: want 1 or more\n", *threads)
		return exitUsage
	}
	sel, done, ok := e.filterFlag(*filterExpr)
	switch {
	case done:
		return exitOK
	case !ok:
		return exitUsage
	}
	e.sel = sel
	threshold, err := failOnRank(*failOn)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope report: %s\n", errtext.Plain(err))
		return exitUsage
	}
	keys, err := e.loadKeyLog(kf)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "smtpscope report: no capture file given (smtpscope report -h lists the flags)")
		return exitUsage
	}
	switch *format {
	case "", "text":
	case "json":
		*asJSON = true
	case "zeek", "html":
		if *output == "" || *output == "-" {
			fmt.Fprintf(e.stderr, "smtpscope report: --format %s writes files: give --output %s\n", *format,
				map[string]string{"zeek": "DIR", "html": "FILE.html"}[*format])
			return exitUsage
		}
		if *format == "zeek" {
			*zeekDir = *output
		} else {
			*htmlOut = *output
		}
	default:
		fmt.Fprintf(e.stderr, "smtpscope report: --format %s: want text, json, zeek or html\n", sanitize.String(*format))
		return exitUsage
	}
	if *output != "" && *output != "-" && *zeekDir != *output && *htmlOut != *output {
		f, err := os.Create(*output)
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			return exitInput
		}
		defer f.Close()
		ec := *e
		ec.stdout = f
		e = &ec
	}
	if *jobs < 1 {
		fmt.Fprintf(e.stderr, "smtpscope report: --jobs %d: want 1 or more\n", *jobs)
		return exitUsage
	}
	if files, err = expandDirs(files); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	ew := &errWriter{w: e.stdout}
	out := bufio.NewWriterSize(ew, 256<<10)
	// finish flushes the report: an output that cannot be written (a full
	// disk, a closed pipe) is an error, never a silent exit 0.
	finish := func(status int) int {
		if err := out.Flush(); err != nil || ew.err != nil {
			if ew.err != nil {
				err = ew.err
			}
			fmt.Fprintf(e.stderr, "smtpscope: writing the report: %s\n", errtext.Plain(err))
			return exitInput
		}
		return status
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.SMTP.Reveal = *reveal
	opts.Session.Keys = keys
	opts.Flow.MaxMemory = maxMemory.n
	opts.Threads = *threads
	// Attachment hashes appear only in the JSON lines and the HTML page.
	opts.Session.Message.NoHashes = (*only || !*asJSON) && *htmlOut == "" && *zeekDir == "" && *filterExpr == "" && !*withStats
	setHeapLimit(maxMemory.n)
	if *htmlOut != "" {
		return e.htmlReport(*htmlOut, *themeName, files, opts, *reveal)
	}
	if *zeekDir != "" {
		format, ok := zeek.ParseFormat(*zeekFormat)
		if !ok {
			fmt.Fprintf(e.stderr, "smtpscope report: --zeek-format %s: want tsv or json\n", sanitize.String(*zeekFormat))
			return exitUsage
		}
		return e.zeekReport(*zeekDir, format, files, opts, threshold)
	}
	if *withStats {
		return finish(e.statsReport(files, opts, *asJSON, out))
	}
	if *creds {
		opts.Session.NoContent = true
		return finish(e.credentials(files, opts, *asJSON, out))
	}
	if *only {
		return finish(e.findingsOnly(files, opts, *asJSON, threshold, out))
	}
	if *jobs > 1 && len(files) > 1 {
		return finish(e.reportParallel(files, opts, *asJSON, threshold, *jobs, out))
	}
	seen := newWorst()
	res := e.reportFiles(files, len(files) > 1, opts, *asJSON, threshold, seen, out)
	if !*asJSON {
		writeTotals(out, res.totals, res.across)
	}
	status := res.status
	if status == exitOK && seen.failed(threshold) {
		status = exitFindings
	}
	return finish(status)
}

// errWriter remembers the first write error; later writes fail at once.
type errWriter struct {
	w   io.Writer
	err error
}

func (w *errWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	if err != nil {
		w.err = err
	}
	return n, err
}

// watchWriter passes sessions to a writer, noting their findings for
// --fail-on and handing each to keep (when set) after it was written.
type watchWriter struct {
	w    sessionWriter
	seen *worst
	keep func(*session.Session)
}

func (f *watchWriter) Write(s *session.Session) error {
	f.seen.see(s.Findings)
	err := f.w.Write(s)
	if f.keep != nil {
		f.keep(s)
	}
	return err
}

// sessionWriter writes one session (text or JSON).
type sessionWriter interface {
	Write(s *session.Session) error
}

// reportFile reports one capture; sessions are written in order of first
// frame as soon as every earlier one is finished.
func (e *env) reportFile(name string, opts engine.Options, w sessionWriter, text *report.Text) error {
	src, err := e.open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	if !e.sel.Empty() {
		w = filteredWriter{w: w, f: e.sel}
	}
	t := &reportTarget{gz: newGzProgress(e.stderr, name)}
	// Finished sessions are written by a second goroutine, so that
	// encoding the report (JSON especially) runs on the other core while
	// the capture is dissected; a session is never changed once finished.
	queue := make(chan *session.Session, 256)
	written := make(chan struct{})
	var werr error
	go func() {
		defer close(written)
		for s := range queue {
			if werr == nil {
				werr = w.Write(s)
			}
		}
	}()
	t.ordered = session.NewOrdered(func(s *session.Session) { queue <- s })
	_, runErr := engine.Run(context.Background(), src, opts, t)
	close(queue)
	<-written
	if werr != nil {
		return fmt.Errorf("cmd: writing report: %w", werr)
	}
	if n := t.ordered.OutOfOrder(); n > 0 {
		if t.limits == nil {
			t.limits = wire.Counts{}
		}
		t.limits[wire.LimitReportOrder] = n // sessions written out of stream order
	}
	if t.progress.LinkSkipped > 0 {
		e.skipped = append(e.skipped, linkSkip{File: sanitize.String(name), LinkType: t.progress.LinkType, Frames: t.progress.LinkSkipped})
	}
	if lt := t.link; lt != "" {
		fmt.Fprintf(e.stderr, "smtpscope: %s: %s\n", sanitize.String(name), lt)
	}
	if hit := limitsText(t.limits); hit != "" {
		fmt.Fprintf(e.stderr, "smtpscope: %s: limits hit: %s\n", sanitize.String(name), hit)
	}
	return runErr
}

// reportTarget hands finished sessions to the ordered writer.
type reportTarget struct {
	ordered  *session.Ordered
	progress session.Progress
	limits   wire.Counts
	link     string // frames skipped for their link type (Progress.LinkText)
	gz       *gzProgress
}

func (t *reportTarget) Batch(fn func(p *session.Progress)) {
	fn(&t.progress)
	t.gz.see(&t.progress)
	if t.progress.Done {
		t.limits = t.progress.Limits
		t.link = t.progress.LinkText()
	}
}
func (t *reportTarget) Candidate(stream int64)   { t.ordered.Expect(stream) }
func (t *reportTarget) Started(*session.Session) {}
func (t *reportTarget) Finished(s *session.Session) {
	t.ordered.Done(s)
}
func (t *reportTarget) Dropped(stream int64) { t.ordered.Drop(stream) }

// limitsText lists the limits hit, sorted by name ("" when none).
func limitsText(m wire.Counts) string {
	var b strings.Builder
	for i, k := range m.Hit() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%d", k, m[k])
	}
	return b.String()
}
