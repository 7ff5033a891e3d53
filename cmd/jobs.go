package cmd

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/report"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// filesResult is what reporting some captures gave: the text totals, the
// findings across sessions, the exit status of reading them.
type filesResult struct {
	totals report.Totals
	across int
	status int
}

// reportFiles reports files one after the other to out (text, or JSON
// lines), each text report headed by its name when named is set.
func (e *env) reportFiles(files []string, named bool, opts engine.Options, asJSON bool, threshold int, seen *worst, out io.Writer) filesResult {
	var w sessionWriter
	var text *report.Text
	if asJSON {
		w = report.NewJSON(out)
	} else {
		text = report.NewText(out)
		w = text
	}
	res := filesResult{status: exitOK}
	for _, name := range files {
		if text != nil && named {
			fmt.Fprintf(out, "== %s ==\n", sanitize.String(name))
		}
		// A light copy of each finished session is kept for the
		// cross-session rules at the end of the file: the text report
		// prints what they find; --json streams sessions, so there they
		// only count for --fail-on (and are named on stderr).
		var copies []*session.Session
		fw := &watchWriter{w: w, seen: seen}
		if text != nil || threshold >= 0 {
			fw.keep = func(s *session.Session) { copies = append(copies, findings.Light(s)) }
		}
		err := e.reportFile(name, opts, fw, text)
		if text != nil {
			extra := writeAcross(out, copies)
			seen.see(extra)
			res.across += len(extra)
		} else if extra := acrossFindings(copies); len(extra) > 0 {
			seen.see(extra)
			fmt.Fprintf(e.stderr, "smtpscope: %s: %d finding(s) across sessions are not in the JSON lines (use --findings-only)\n",
				sanitize.String(name), len(extra))
		}
		if err != nil {
			if f, ok := out.(interface{ Flush() error }); ok {
				f.Flush()
			}
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			res.status = exitInput
		}
	}
	if text != nil {
		res.totals = text.Totals()
	}
	return res
}

// writeTotals is the text report's last line.
func writeTotals(out io.Writer, t report.Totals, across int) {
	t.Findings += across
	fmt.Fprintln(out, t.Line())
}

// job is one capture of `report --jobs N`: its report goes to a temporary
// file (so that memory stays bounded however big the report), its
// messages to errOut, both copied out in file order once it is done.
type job struct {
	name   string
	out    *os.File
	errOut bytes.Buffer
	seen   *worst
	res    filesResult
	err    error
	done   chan struct{}
}

// reportParallel runs `report --jobs N FILE...`: up to n captures are read
// at once, each by its own engine; the reports are written to out in the
// order of the files, and the text report ends with one summary of all.
// The output is byte for byte what --jobs 1 writes.
func (e *env) reportParallel(files []string, opts engine.Options, asJSON bool, threshold, n int, out io.Writer) int {
	jobs := make([]*job, len(files))
	for i, name := range files {
		jobs[i] = &job{name: name, seen: newWorst(), done: make(chan struct{})}
	}
	// The goroutines each file's engine would use are shared out.
	opts.Threads = max(1, opts.Threads/n)
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	go func() {
		for _, j := range jobs {
			sem <- struct{}{}
			wg.Add(1)
			go func(j *job) {
				defer wg.Done()
				defer func() { <-sem }()
				defer close(j.done)
				f, err := os.CreateTemp("", "smtpscope-job-*")
				if err != nil {
					j.err = fmt.Errorf("cmd: --jobs: temporary file: %w", err)
					return
				}
				os.Remove(f.Name()) // gone when closed
				j.out = f
				je := *e
				je.stderr = &j.errOut
				bw := bufio.NewWriterSize(f, 256<<10)
				j.res = je.reportFiles([]string{j.name}, len(files) > 1, opts, asJSON, threshold, j.seen, bw)
				if err := bw.Flush(); err != nil {
					j.err = fmt.Errorf("cmd: --jobs: temporary file: %w", err)
				}
			}(j)
		}
	}()
	status := exitOK
	seen := newWorst()
	var total report.Totals
	across := 0
	for _, j := range jobs {
		<-j.done
		if j.out != nil {
			if _, err := j.out.Seek(0, io.SeekStart); err == nil {
				io.Copy(out, j.out)
			}
			j.out.Close()
		}
		if f, ok := out.(interface{ Flush() error }); ok && j.errOut.Len() > 0 {
			f.Flush() // the report before the messages about it, as --jobs 1
		}
		e.stderr.Write(j.errOut.Bytes())
		if j.err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(j.err))
			status = exitInput
		}
		if j.res.status != exitOK {
			status = j.res.status
		}
		seen.rank = max(seen.rank, j.seen.rank)
		t := j.res.totals
		total.Sessions += t.Sessions
		total.Commands += t.Commands
		total.Replies += t.Replies
		total.TLSRecords += t.TLSRecords
		total.Messages += t.Messages
		total.Findings += t.Findings
		total.Anomalies += t.Anomalies
		across += j.res.across
	}
	wg.Wait()
	if !asJSON {
		writeTotals(out, total, across)
	}
	if status == exitOK && seen.failed(threshold) {
		status = exitFindings
	}
	return status
}

// expandDirs replaces each directory among names by the captures in it:
// the regular files that start like a pcap, pcapng or gzip file, in name
// order with runs of digits compared as numbers (tcpdump -C writes
// dump.pcap, dump.pcap1, ... dump.pcap10).
func expandDirs(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		fi, err := os.Stat(n)
		if err != nil || !fi.IsDir() {
			out = append(out, n) // opening it reports the problem
			continue
		}
		ents, err := os.ReadDir(n)
		if err != nil {
			return nil, fmt.Errorf("cmd: reading directory %s: %w", n, err)
		}
		var files []string
		for _, d := range ents {
			p := filepath.Join(n, d.Name())
			if d.Type().IsRegular() && looksLikeCapture(p) {
				files = append(files, p)
			}
		}
		sort.Slice(files, func(i, j int) bool { return naturalLess(files[i], files[j]) })
		out = append(out, files...)
	}
	return out, nil
}

// looksLikeCapture reads a file's first four bytes: a pcap magic (either
// byte order, micro- or nanoseconds), a pcapng Section Header Block, or
// gzip.
func looksLikeCapture(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [4]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	switch string(b[:]) {
	case "\xd4\xc3\xb2\xa1", "\xa1\xb2\xc3\xd4", "\x4d\x3c\xb2\xa1", "\xa1\xb2\x3c\x4d", "\x0a\x0d\x0d\x0a":
		return true
	}
	return b[0] == 0x1f && b[1] == 0x8b
}

// naturalLess compares names with runs of digits as numbers.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
