package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/smtpscope/smtpscope/cmd/mutate/internal/mutate"
)

// sample is one capture the campaign mutates, with its key log if any.
type sample struct {
	path, keys string
	data       []byte
}

// runner runs smtpscope: argv[0] and any fixed arguments before the
// command's own, plus environment for a re-executed test binary.
type runner struct {
	argv []string
	env  []string
}

// config is one campaign.
type config struct {
	n       int           // variants
	seed    uint64        // of the random choices
	timeout time.Duration // per run
	maxRSS  int64         // peak RSS allowed per run, bytes
	out     string        // where failing variants are saved ("" : nowhere)
	run     runner
	log     io.Writer // progress lines (every 500 variants) and failures
}

// result counts a campaign.
type result struct {
	variants, runs, failures int
	byKind                   map[string]int
	exits                    map[int]int // exit status -> runs
	peakRSS                  int64
	slowest                  time.Duration
	slowestWhat              string
	elapsed                  time.Duration
}

// loadSamples reads every capture under dirs (pcap, pcapng, .gz), with the
// key log named like it (X.keys for X.pcap or X.pcapng) when there is one.
func loadSamples(dirs []string) ([]sample, error) {
	var out []sample
	for _, dir := range dirs {
		names, err := os.ReadDir(dir)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return nil, err
		}
		for _, e := range names {
			n := e.Name()
			if e.IsDir() || !(strings.HasSuffix(n, ".pcap") || strings.HasSuffix(n, ".pcapng") || strings.HasSuffix(n, ".pcap.gz")) {
				continue
			}
			p := filepath.Join(dir, n)
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			s := sample{path: p, data: data}
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(p, ".gz"), ".pcap"), ".pcapng")
			if _, err := os.Stat(base + ".keys"); err == nil {
				s.keys = base + ".keys"
			}
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// campaign runs c.n variants of samples through the report path.
func campaign(c config, samples []sample) (result, error) {
	r := result{byKind: map[string]int{}, exits: map[int]int{}}
	if len(samples) == 0 {
		return r, errors.New("mutate: no samples")
	}
	start := time.Now()
	rng := rand.New(rand.NewPCG(c.seed, c.seed^0x9e3779b97f4a7c15))
	dir, err := os.MkdirTemp("", "smtpscope-mutate-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	kinds := mutate.Kinds()
	for i := 0; i < c.n; i++ {
		// Every kind in turn, over samples that shift each round, so
		// that any n covers the kinds evenly and every pair in time.
		kind := kinds[i%len(kinds)]
		s := samples[(i+i/len(kinds))%len(samples)]
		v := mutate.Mutate(s.data, rng, kind)
		r.variants++
		r.byKind[v.Kind]++
		path := filepath.Join(dir, fmt.Sprintf("v%d%s", i, filepath.Ext(s.path)))
		if strings.HasSuffix(s.path, ".gz") {
			path = filepath.Join(dir, fmt.Sprintf("v%d.pcap", i)) // a mutated gzip is mostly a bad header
		}
		if err := os.WriteFile(path, v.Data, 0o600); err != nil {
			return r, err
		}
		cmds := [][]string{{"report", path}, {"report", "--json", path}}
		if s.keys != "" {
			cmds = [][]string{{"report", "--keylog", s.keys, path}, {"report", "--json", "--keylog", s.keys, path}, {"report", "--json", path}}
		}
		for _, args := range cmds {
			r.runs++
			bad, what := c.runOne(args, &r)
			if bad == "" {
				continue
			}
			r.failures++
			fmt.Fprintf(c.log, "mutate: FAIL variant %d (%s of %s: %s): %s: %s\n", i, v.Kind, filepath.Base(s.path), v.Note,
				strings.Join(args, " "), bad)
			if c.out != "" {
				save(c.out, i, s, v, args, bad, what)
			}
			break
		}
		os.Remove(path)
		if (i+1)%500 == 0 {
			fmt.Fprintf(c.log, "mutate: %d variants, %d runs, %d failures, %s\n", i+1, r.runs, r.failures, time.Since(start).Round(time.Second))
		}
	}
	r.elapsed = time.Since(start)
	return r, nil
}

// runOne runs smtpscope once; it returns why the run failed ("" if it did
// not) and its stderr.
func (c config) runOne(args []string, r *result) (string, string) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.run.argv[0], append(append([]string{}, c.run.argv[1:]...), args...)...)
	cmd.Env = append(os.Environ(), c.run.env...)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 64 << 10}
	t0 := time.Now()
	err := cmd.Run()
	d := time.Since(t0)
	if d > r.slowest {
		r.slowest, r.slowestWhat = d, strings.Join(args, " ")
	}
	var rss int64
	if st := cmd.ProcessState; st != nil {
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss << 10
		}
	}
	if rss > r.peakRSS {
		r.peakRSS = rss
	}
	text := stderr.String()
	code := -1
	if cmd.ProcessState != nil {
		code = cmd.ProcessState.ExitCode()
	}
	r.exits[code]++
	switch {
	case ctx.Err() != nil:
		return fmt.Sprintf("hang: no exit within %s", c.timeout), text
	case strings.Contains(text, "panic:") || strings.Contains(text, "fatal error:") || strings.Contains(text, "goroutine "):
		return "panic or runtime error on stderr", text
	case code != 0 && code != 1:
		return fmt.Sprintf("exit status %d (%v)", code, err), text
	case rss > c.maxRSS:
		return fmt.Sprintf("peak RSS %d MiB over the %d MiB limit", rss>>20, c.maxRSS>>20), text
	}
	return "", text
}

// save writes a failing variant, and what happened, to dir.
func save(dir string, i int, s sample, v mutate.Variant, args []string, bad, stderr string) {
	os.MkdirAll(dir, 0o755)
	base := filepath.Join(dir, fmt.Sprintf("fail-%05d-%s", i, v.Kind))
	os.WriteFile(base+".pcap", v.Data, 0o644)
	os.WriteFile(base+".txt", []byte(fmt.Sprintf("sample: %s\nkeys: %s\nmutation: %s: %s\ncommand: smtpscope %s\nfailure: %s\nstderr:\n%s\n",
		s.path, s.keys, v.Kind, v.Note, strings.Join(args, " "), bad, stderr)), 0o644)
}

// limitedBuffer keeps the first max bytes written.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// summary writes the campaign's figures.
func (r result) summary(w io.Writer) {
	fmt.Fprintf(w, "mutate: %d variants, %d runs, %d failures in %s; peak RSS %d MiB; slowest run %s (%s)\n",
		r.variants, r.runs, r.failures, r.elapsed.Round(time.Second), r.peakRSS>>20, r.slowest.Round(time.Millisecond), r.slowestWhat)
	kinds := mutate.Kinds()
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, r.byKind[k]))
	}
	fmt.Fprintf(w, "mutate: by kind: %s\n", strings.Join(parts, ", "))
	var codes []int
	for c := range r.exits {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	parts = parts[:0]
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("exit %d: %d", c, r.exits[c]))
	}
	fmt.Fprintf(w, "mutate: runs by exit status: %s\n", strings.Join(parts, ", "))
}
