package cmd

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

const lessonsUsage = `smtpscope lessons — the lesson deck of a capture as Markdown, for slides or a handout

Usage:
  smtpscope lessons [flags] [FILE]     without FILE, the embedded demo with its key log

Every session gets a heading and its pages (the ones --teach shows): one heading per page,
the events and the evidence bytes in code blocks (escaped, credentials masked), references
as links to the RFC Editor and the CVE list.

Flags:
  --keylog FILE        NSS key log (SSLKEYLOGFILE) to decrypt TLS
  --keylog-max-bytes SIZE, --keylog-max-lines N
                       read at most this much of a key log (default 64MiB, 1000000 lines)
  --svg-dir DIR        write each session's sequence diagram to DIR/session-N.svg and link
                       it from its heading (the deck is then meant to live in DIR too)
  --theme light|dark   colours of the diagrams (default light)
  --reveal             show AUTH passwords instead of ********
`

// lessons runs `smtpscope lessons`: the lesson pages of every session of
// a capture as one Markdown deck on stdout (package lesson, the same text
// as the UI's lesson mode).
func (e *env) lessons(args []string) int {
	fs := e.flagSet("lessons")
	kf := addKeyLogFlags(fs)
	svgDir := fs.String("svg-dir", "", "write each session's diagram into this directory")
	themeName := fs.String("theme", "light", "light|dark colours of the diagrams")
	reveal := fs.Bool("reveal", false, "show AUTH passwords instead of ********")
	files, err := parseArgs(fs, args, lessonsUsage, e.stdout, e.stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(files) > 1 {
		fmt.Fprintln(e.stderr, "smtpscope lessons: one capture file at a time")
		return exitUsage
	}
	theme, ok := diagram.ParseTheme(*themeName)
	if !ok {
		fmt.Fprintf(e.stderr, "smtpscope lessons: --theme %q: want light or dark\n", sanitize.String(*themeName))
		return exitUsage
	}
	name := ""
	if len(files) == 1 {
		name = files[0]
	}
	keys, err := e.keysFor(name, kf)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.SMTP.Reveal = *reveal
	opts.Session.KeepBytes = true // the evidence bytes on the pages
	opts.Session.Keys = keys
	all, _, runErr := e.readAll(name, opts)
	status := exitOK
	if runErr != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(runErr.Error()))
		status = exitInput
	}
	if *svgDir != "" {
		if err := os.MkdirAll(*svgDir, 0o755); err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
			return exitInput
		}
	}
	decks := make([]lesson.Deck, 0, len(all))
	for _, s := range all {
		dk := lesson.Deck{Title: deckTitle(s), Pages: lesson.Pages(s)}
		if *svgDir != "" {
			file := "session-" + strconv.FormatInt(s.Stream, 10) + ".svg"
			var b bytes.Buffer
			err := diagram.SVG(&b, s, diagram.Options{Reveal: *reveal, Theme: theme})
			if err == nil {
				err = os.WriteFile(filepath.Join(*svgDir, file), b.Bytes(), 0o644)
			}
			if err != nil {
				fmt.Fprintf(e.stderr, "smtpscope: %s\n", sanitize.String(err.Error()))
				return exitInput
			}
			dk.Diagram = file
		}
		decks = append(decks, dk)
	}
	if len(decks) > 0 {
		q, a := lesson.SelfCheck(all)
		decks = append(decks, lesson.Deck{Title: "Self-check", Pages: []lesson.Page{q, a}})
	}
	title := "SMTP lessons: " + name
	if name == "" {
		title = "SMTP lessons: the smtpscope demo (" + pcaps.Demo() + ")"
	}
	if len(decks) == 0 {
		fmt.Fprintln(e.stderr, "smtpscope lessons: no SMTP session in the capture")
		return exitInput
	}
	if err := lesson.WriteMarkdown(e.stdout, sanitize.String(title), decks); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: writing the deck: %s\n", sanitize.String(err.Error()))
		return exitInput
	}
	return status
}

// deckTitle names a session in the deck.
func deckTitle(s *session.Session) string {
	return "Session #" + strconv.FormatInt(s.Stream, 10) + ": " + s.Client.String() + " → " + s.Server.String() +
		" (" + string(s.PortRole) + ")"
}
