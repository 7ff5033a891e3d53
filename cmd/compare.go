package cmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
	"github.com/smtpscope/smtpscope/tui"
)

// strippedSample is the embedded capture whose session is the demo's
// counterpart: the same submission with STARTTLS stripped on the path.
const strippedSample = "attack-stripped587.pcap"

// wantsCompare reports whether the UI's command line asks for --compare.
func wantsCompare(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "--compare" || a == "-compare" {
			return true
		}
	}
	return false
}

// compare runs `smtpscope --teach --compare [FILE [FILE2]]`: a session
// and its counterpart side by side, stepped phase by phase.
func (e *env) compare(args []string) int {
	left, right, opts, status := e.compareSessions(args)
	if left == nil {
		return status
	}
	if err := tui.RunCompare(left, right, opts); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	return exitOK
}

// compareSessions parses the command line of --compare and picks the two
// sessions: without FILE the demo's clean submission (read with its key
// log unless --no-keys) and the embedded stripped one; with FILE its
// worst session and that session's counterpart in the same capture
// (lesson.Counterpart); with FILE and FILE2 the cleanest session of the
// first and the worst of the second. The cleaner session goes left.
func (e *env) compareSessions(args []string) (left, right *session.Session, opts tui.Options, status int) {
	fs := e.flagSet("smtpscope")
	theme := fs.String("theme", "dark", "colour theme: dark or light")
	reveal := fs.Bool("reveal", false, "show AUTH passwords instead of ********")
	kf := addKeyLogFlags(fs)
	fs.Bool("teach", false, "lesson mode (implied)")
	fs.Bool("compare", false, "two sessions side by side")
	noKeys := fs.Bool("no-keys", false, "read without any key log, not even the demo's")
	files, err := parseArgs(fs, args, usage, e.stdout, e.stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, opts, exitOK
		}
		return nil, nil, opts, exitUsage
	}
	if len(files) > 2 {
		fmt.Fprintln(e.stderr, "smtpscope: --compare takes at most two capture files")
		return nil, nil, opts, exitUsage
	}
	if *theme != "dark" && *theme != "light" {
		fmt.Fprintf(e.stderr, "smtpscope: --theme must be dark or light, not %q\n", sanitize.String(*theme))
		return nil, nil, opts, exitUsage
	}
	if *noKeys && *kf.path != "" {
		fmt.Fprintln(e.stderr, "smtpscope: --no-keys and --keylog exclude each other")
		return nil, nil, opts, exitUsage
	}
	keys, err := e.loadKeyLog(kf)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return nil, nil, opts, exitInput
	}
	eo := engine.Options{}
	eo.Session.AnyPort = true
	eo.Session.KeepBytes = true // the evidence bytes on the pages
	eo.Session.SMTP.Reveal = *reveal
	eo.Session.Keys = keys
	read := func(name string) ([]*session.Session, bool) {
		ss, _, err := e.readAll(name, eo)
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		}
		if len(ss) == 0 {
			fmt.Fprintf(e.stderr, "smtpscope: %s: no SMTP session to compare\n", sanitize.String(name))
			return nil, false
		}
		return ss, true
	}
	title := ""
	switch len(files) {
	case 0:
		if *kf.path == "" && !*noKeys {
			if eo.Session.Keys, err = e.demoKeys(); err != nil {
				fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
				return nil, nil, opts, exitInput
			}
		}
		demo, ok := read("")
		if !ok {
			return nil, nil, opts, exitInput
		}
		stripped, err := e.readEmbedded(strippedSample, eo)
		if err != nil || len(stripped) == 0 {
			fmt.Fprintf(e.stderr, "smtpscope: embedded %s: %v\n", strippedSample, err)
			return nil, nil, opts, exitInput
		}
		left, right = cleanest(demo, session.RoleSubmission), stripped[0]
		title = "demo vs " + strippedSample
	case 1:
		ss, ok := read(files[0])
		if !ok {
			return nil, nil, opts, exitInput
		}
		bad := worstSession(ss)
		good := lesson.Counterpart(ss, bad)
		if good == nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s: no session to compare #%d with (same role, another verdict); give a second file\n",
				sanitize.String(files[0]), bad.Stream)
			return nil, nil, opts, exitInput
		}
		left, right = good, bad
		title = files[0]
	case 2:
		a, ok := read(files[0])
		if !ok {
			return nil, nil, opts, exitInput
		}
		b, ok := read(files[1])
		if !ok {
			return nil, nil, opts, exitInput
		}
		left, right = cleanest(a, ""), worstSession(b)
		title = files[0] + " vs " + files[1]
	}
	if rank(left) > rank(right) {
		left, right = right, left
	}
	_, noColor := os.LookupEnv("NO_COLOR")
	return left, right, tui.Options{Theme: *theme, NoColor: noColor, Title: title, Teach: true}, exitOK
}

// readEmbedded reads one of the embedded sample captures.
func (e *env) readEmbedded(name string, eo engine.Options) ([]*session.Session, error) {
	f, err := pcaps.FS().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := capture.NewFile(f, "embedded:"+name, capture.Options{})
	if err != nil {
		return nil, err
	}
	c := &keepAll{}
	_, err = engine.Run(context.Background(), src, eo, c)
	sort.SliceStable(c.sessions, func(i, j int) bool { return c.sessions[i].Stream < c.sessions[j].Stream })
	findings.Apply(c.sessions)
	return c.sessions, err
}

// rank is the rank of a session's worst finding, -1 for none.
func rank(s *session.Session) int {
	r := -1
	for _, f := range s.Findings {
		r = max(r, f.Severity.Rank())
	}
	return r
}

// cleanest returns the session of ss with the mildest findings, of role
// role when one has it ("" for any).
func cleanest(ss []*session.Session, role session.PortRole) *session.Session {
	pool := ss
	if role != "" {
		pool = slices.DeleteFunc(slices.Clone(ss), func(s *session.Session) bool { return s.PortRole != role })
		if len(pool) == 0 {
			pool = ss
		}
	}
	return slices.MinFunc(pool, func(a, b *session.Session) int { return rank(a) - rank(b) })
}

// worstSession returns the session of ss with the worst finding (the first
// of equals).
func worstSession(ss []*session.Session) *session.Session {
	w := ss[0]
	for _, s := range ss[1:] {
		if rank(s) > rank(w) {
			w = s
		}
	}
	return w
}
