package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
)

// reader reads the UI's capture into a store, and reads it again with a
// key log given later in the UI (issue 5): a file by its path, the demo
// from the embedded files; stdin cannot be read twice.
type reader struct {
	e    *env
	name string // "" for the demo, "-" for stdin
	// names are the captures read as one, in time order, when the UI was
	// given several (name is then the first).
	names  []string
	title  string
	reveal bool
	// keyOpts are the key log limits of the command line, for K.
	keyOpts tlsdecrypt.KeyLogOptions
	// reading is the result of the last read started by reload (tests
	// wait on it).
	reading <-chan error
	// cancel ends the read in progress when a reload replaces its store.
	cancel context.CancelFunc
	// keys are those of the last read.
	keys *tlsdecrypt.KeyLog
}

// start opens the capture and reads it into a new store in the
// background, the cross-session findings added at the end; the channel
// receives the reading's result.
func (r *reader) start(keys *tlsdecrypt.KeyLog) (*session.Store, <-chan error, error) {
	src, err := r.openCapture()
	if err != nil {
		return nil, nil, err
	}
	r.keys = keys // for saving messages (uisave.go)
	store := session.NewStore()
	store.Update(func(_ func(*session.Session), p *session.Progress) { p.Source = sanitize.String(r.title) })
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.SMTP.Reveal = r.reveal
	opts.Session.KeepBytes = true // for the hex view
	opts.Session.Keys = keys
	// Reading and decoding on one core, dissecting on the other (the
	// report's default too): the UI shows every session sooner.
	opts.Threads = runtime.GOMAXPROCS(0)
	if r.cancel != nil {
		r.cancel() // the previous store is discarded: stop filling it
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	done := make(chan error, 1)
	go func() {
		defer src.Close()
		_, err := engine.Run(ctx, src, opts, &storeTarget{store: store})
		if errors.Is(err, context.Canceled) {
			done <- nil // replaced by a reload: not a failure
			return
		}
		store.UpdateAll(func(ss []*session.Session, _ *session.Progress) { findings.Apply(ss) })
		done <- err
	}()
	return store, done, nil
}

// reload is the UI's tui.Options.LoadKeyLog: it reads the key log at path
// and the capture again with it into a fresh store. Nothing is written to
// stderr (the UI owns the terminal): problems come back as the error or
// the note.
func (r *reader) reload(path string) (*session.Store, string, error) {
	if r.name == "-" {
		return nil, "", errors.New("cmd: the capture came from stdin and cannot be read again; give --keylog on the command line")
	}
	if path == "" {
		return nil, "", errors.New("cmd: key log: no path given")
	}
	// Only a regular file: the UI waits for this read, and a FIFO or a
	// device could block it for ever.
	if fi, err := os.Stat(path); err != nil {
		return nil, "", fmt.Errorf("cmd: key log: %w", err)
	} else if !fi.Mode().IsRegular() {
		return nil, "", fmt.Errorf("cmd: key log %s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("cmd: key log: %w", err)
	}
	defer f.Close()
	keys := tlsdecrypt.NewKeyLog(r.keyOpts)
	if err := keys.Read(f); err != nil {
		return nil, "", fmt.Errorf("cmd: key log %s: %w", path, err)
	}
	st := keys.Stats()
	if st.Entries == 0 {
		return nil, "", fmt.Errorf("cmd: key log %s: no secrets in it (%d lines, %d bad)", path, st.Lines, st.Bad)
	}
	store, reading, err := r.start(keys)
	if err != nil {
		return nil, "", err
	}
	r.reading = reading
	note := "key log " + filepath.Base(path) + ": " + strconv.FormatInt(st.Entries, 10) + " secrets"
	if st.Bad > 0 {
		note += ", " + strconv.FormatInt(st.Bad, 10) + " bad lines ignored"
	}
	if cut := st.CutNote(); cut != "" {
		note += "; " + cut
	}
	return store, note, nil
}
