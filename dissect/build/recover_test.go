package build_test

import (
	"bytes"
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
	"github.com/smtpscope/smtpscope/pcaps"
)

type collect struct {
	engine.Nop
	sessions []*session.Session
	p        session.Progress
}

func (c *collect) Batch(fn func(p *session.Progress)) { fn(&c.p) }
func (c *collect) Finished(s *session.Session)        { c.sessions = append(c.sessions, s) }

func runDemo(t *testing.T, opts build.Options, threads int) *collect {
	t.Helper()
	data, err := fs.ReadFile(pcaps.FS(), pcaps.Demo())
	if err != nil {
		t.Fatal(err)
	}
	src, err := capture.NewFile(bytes.NewReader(data), "demo.pcap", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &collect{}
	if _, err := engine.Run(context.Background(), src, engine.Options{Session: opts, Threads: threads}, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func verbs(s *session.Session) []string {
	var v []string
	for _, c := range s.Commands {
		v = append(v, c.Verb)
	}
	return v
}

// Issue 12, deliver 4: a parser that panics on one stream (injected: it
// panics on the bytes of one MAIL command) costs that stream only. The
// panic is counted (limit dissector-error), the session is kept as far as
// it got and marked with an anomaly naming the frame, and every other
// session comes out exactly as without the panic, with one thread or two.
func TestPanicIsRecoveredPerStream(t *testing.T) {
	for _, threads := range []int{1, 2} {
		ref := runDemo(t, build.Options{}, threads)
		var opts build.Options
		build.SetDataHook(&opts, func(_ wire.Dir, data []byte) {
			if bytes.Contains(data, []byte("MAIL FROM:<bob@example.com>")) {
				panic("injected parser failure")
			}
		})
		got := runDemo(t, opts, threads)
		if got.p.Limits[wire.LimitDissectorError] != 1 {
			t.Errorf("threads %d: limits %v, want dissector-error=1", threads, got.p.Limits)
		}
		if len(got.sessions) != len(ref.sessions) {
			t.Fatalf("threads %d: %d sessions, want %d", threads, len(got.sessions), len(ref.sessions))
		}
		marked := 0
		for i, s := range got.sessions {
			r := ref.sessions[i]
			var ano *session.Anomaly
			for j := range s.Anomalies {
				if s.Anomalies[j].Code == build.AnoDissectorError {
					ano = &s.Anomalies[j]
				}
			}
			if ano == nil {
				if !slices.Equal(verbs(s), verbs(r)) || len(s.Replies) != len(r.Replies) || len(s.TLSRecords) != len(r.TLSRecords) {
					t.Errorf("threads %d: session %d differs from the run without the panic: %q vs %q", threads, s.Stream, verbs(s), verbs(r))
				}
				continue
			}
			marked++
			if !strings.Contains(ano.Summary, "injected parser failure") || !strings.Contains(ano.Summary, "frame 64") ||
				!strings.Contains(ano.Summary, "the rest of this stream is not dissected") {
				t.Errorf("threads %d: anomaly %q", threads, ano.Summary)
			}
			if v := verbs(s); slices.Contains(v, "MAIL") || !slices.Contains(v, "EHLO") {
				t.Errorf("threads %d: marked session has commands %q: want those before the MAIL, not after", threads, v)
			}
			if !s.Complete {
				t.Errorf("threads %d: the marked session was not finished", threads)
			}
		}
		if marked != 1 {
			t.Errorf("threads %d: %d sessions marked, want 1", threads, marked)
		}
	}
}

// With Options.Panic (fuzz targets) the panic is not recovered.
func TestPanicOptionLetsPanicThrough(t *testing.T) {
	opts := build.Options{Panic: true}
	build.SetDataHook(&opts, func(_ wire.Dir, data []byte) {
		if bytes.Contains(data, []byte("MAIL FROM:<bob@example.com>")) {
			panic("injected parser failure")
		}
	})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "injected") {
			t.Errorf("recovered %v, want the injected panic", r)
		}
	}()
	runDemo(t, opts, 1)
	t.Error("Run returned: the panic was swallowed")
}
