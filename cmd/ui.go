package cmd

import (
	"flag"
	"fmt"
	"os"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
	"github.com/smtpscope/smtpscope/tui"
)

// ui runs the terminal UI on a file, or on the embedded demo.
func (e *env) ui(args []string) int {
	fs := flag.NewFlagSet("smtpscope", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	theme := fs.String("theme", "dark", "colour theme: dark or light")
	reveal := fs.Bool("reveal", false, "show AUTH passwords instead of ********")
	keylog := fs.String("keylog", "", "NSS key log (SSLKEYLOGFILE) to decrypt TLS")
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(e.stderr, "smtpscope: give one capture file (or none for the demo)")
		return exitUsage
	}
	if *theme != "dark" && *theme != "light" {
		fmt.Fprintf(e.stderr, "smtpscope: --theme must be dark or light, not %q\n", sanitize.String(*theme))
		return exitUsage
	}
	name := fs.Arg(0)
	keys, err := e.loadKeyLog(*keylog)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	if name == "" && *keylog == "" {
		// The demo comes with the key log its generator wrote.
		if kf, err := pcaps.FS().Open(pcaps.KeyLog(pcaps.Demo())); err == nil {
			_ = keys.Read(kf)
			kf.Close()
		}
	}
	src, err := e.open(name)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	defer src.Close()
	store := session.NewStore()
	title := name
	if title == "" {
		title = "demo (embedded sample capture)"
	}
	store.Update(func(_ func(*session.Session), p *session.Progress) { p.Source = sanitize.String(title) })
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.SMTP.Reveal = *reveal
	opts.Session.KeepBytes = true // for the hex view
	opts.Session.Keys = keys
	runErr := make(chan error, 1)
	go func() {
		_, err := engine.Run(src, opts, &storeTarget{store: store})
		store.UpdateAll(func(ss []*session.Session, _ *session.Progress) { engine.CrossSession(ss) })
		runErr <- err
	}()
	_, noColor := os.LookupEnv("NO_COLOR")
	if err := tui.Run(store, tui.Options{Theme: *theme, NoColor: noColor, Title: title}); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	select {
	case err := <-runErr:
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
			return exitInput
		}
	default: // the user quit before the file was read
	}
	return exitOK
}

// storeTarget builds sessions into the UI's store, under its lock.
type storeTarget struct {
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
func (t *storeTarget) Candidate(int64)            {}
func (t *storeTarget) Started(s *session.Session) { t.add(s) }
func (t *storeTarget) Finished(*session.Session)  {}
func (t *storeTarget) Dropped(int64)              {}
