package cmd

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
	"github.com/smtpscope/smtpscope/tui"
)

// ui runs the terminal UI on a file, or on the embedded demo.
func (e *env) ui(args []string) int {
	if wantsCompare(args) {
		return e.compare(args)
	}
	u, read, code := e.newUI(args)
	if u == nil {
		return code
	}
	if err := u.Run(); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	select {
	case err := <-read:
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			return exitInput
		}
	default: // the user quit before the file was read
	}
	return exitOK
}

// newUI parses the UI's command line, starts reading the capture into a
// store and builds the UI over it (not yet running). It returns a nil UI
// and the exit status after a usage or input error. read receives the
// result of reading the capture given on the command line.
func (e *env) newUI(args []string) (u *tui.UI, read <-chan error, status int) {
	fs := e.flagSet("smtpscope")
	fs.SetOutput(e.stderr)
	theme := fs.String("theme", "dark", "colour theme: dark or light")
	reveal := fs.Bool("reveal", false, "show AUTH passwords instead of ********")
	kf := addKeyLogFlags(fs)
	keylog := kf.path
	teach := fs.Bool("teach", false, "open in lesson mode")
	tour := fs.Bool("tour", false, "lesson mode as a guided walk of every session, ending with a self-check")
	noKeys := fs.Bool("no-keys", false, "read without any key log, not even the demo's")
	fs.Bool("compare", false, "two sessions side by side (ui routes --compare to compare before parsing)")
	mouse := fs.Bool("mouse", false, "capture the mouse")
	pick := fs.Bool("pick", false, "with several captures (or a directory): list them and open the one chosen")
	timeName := fs.String("time", "tod", "timeline time format: tod, start, prev, epoch or utc")
	files, err := parseArgs(fs, args, usage, e.stdout, e.stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, exitOK // -h asked for the usage, which was printed
		}
		return nil, nil, exitUsage
	}
	if files, err = expandDirs(files); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return nil, nil, exitInput
	}
	if *pick && len(files) > 1 {
		f, err := e.pickCapture(files)
		if err != nil {
			fmt.Fprintf(e.stderr, "\nsmtpscope: %s\n", errtext.Plain(err))
			return nil, nil, exitUsage
		}
		files = []string{f}
	}
	if *theme != "dark" && *theme != "light" {
		fmt.Fprintf(e.stderr, "smtpscope: --theme must be dark or light, not %q\n", sanitize.String(*theme))
		return nil, nil, exitUsage
	}
	timeFmt, ok := tui.ParseTimeFormat(*timeName)
	if !ok {
		fmt.Fprintf(e.stderr, "smtpscope: --time must be tod, start, prev, epoch or utc, not %q\n", sanitize.String(*timeName))
		return nil, nil, exitUsage
	}
	name := ""
	if len(files) >= 1 {
		name = files[0]
	}
	if *noKeys && *keylog != "" {
		fmt.Fprintln(e.stderr, "smtpscope: --no-keys and --keylog exclude each other")
		return nil, nil, exitUsage
	}
	keys, err := e.loadKeyLog(kf)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return nil, nil, exitInput
	}
	if name == "" && *keylog == "" && !*noKeys {
		// The demo comes with the key log its generator wrote.
		if kf, err := pcaps.FS().Open(pcaps.KeyLog(pcaps.Demo())); err == nil {
			_ = keys.Read(kf)
			kf.Close()
		}
	}
	title := name
	if title == "" {
		title = "demo (embedded sample capture)"
	}
	if len(files) > 1 {
		// Several captures (or a directory of rotated ones) are one
		// capture in time order, as mergecap would write them.
		title = fmt.Sprintf("%s + %d more, merged in time order", name, len(files)-1)
	}
	r := &reader{e: e, name: name, names: files, title: title, reveal: *reveal, keyOpts: kf.options()}
	store, read, err := r.start(keys)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return nil, nil, exitInput
	}
	_, noColor := os.LookupEnv("NO_COLOR")
	u = tui.New(store, tui.Options{Theme: *theme, NoColor: noColor, Title: title, Teach: *teach || *tour, Tour: *tour, Mouse: *mouse,
		Time: timeFmt, LoadKeyLog: r.reload, SaveMessage: r.saveMessage})
	return u, read, exitOK
}

// storeTarget builds sessions into the UI's store, under its lock.
type storeTarget struct {
	engine.Nop
	store *session.Store
	add   func(*session.Session)
}

func (t *storeTarget) Batch(fn func(p *session.Progress)) {
	t.store.Update(func(add func(*session.Session), p *session.Progress) {
		t.add = add
		fn(p)
		t.add = nil
	})
}
func (t *storeTarget) Started(s *session.Session) { t.add(s) }
