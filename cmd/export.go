package cmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

const exportUsage = `smtpscope export — write what a capture's sessions carried to files

Usage:
  smtpscope export --eml DIR FILE          each message as DIR/sS-mM.eml: the bytes the client
                                           sent, dot-unstuffed (S is the tcp.stream, M the
                                           message's index in the session)
  smtpscope export --attachments DIR FILE  each attachment, decoded, as DIR/sS-mM-NAME (NAME
                                           sanitised: never a path, never outside DIR)
  smtpscope export --pcap OUT FILE         the packets of the chosen sessions as pcapng

Flags:
  --eml DIR        write each message to DIR/sS-mM.eml
  --attachments DIR
                   write each attachment, decoded, to DIR
  --pcap OUT       write the chosen sessions' packets to OUT (pcapng)
  --stream N       only the session with this tcp.stream
  --filter EXPR    only the sessions this filter selects (the UI's / language)
  --keylog FILE    NSS key log (SSLKEYLOGFILE) for messages inside TLS
  --keylog-max-bytes SIZE, --keylog-max-lines N
                   read at most this much of a key log (default 64MiB, 1000000 lines)
  --force          overwrite files that exist (never without it)
  --all            also export rejected, gapped and incomplete messages, marked in
                   their names (.rejected, .gap, .incomplete)

The capture is read twice (the second time for the message bytes, which are never kept in
memory), so FILE must be a file, not stdin.

Exit status: 0 ok, 1 unreadable input or a file that could not be written, 2 bad usage.
`

// export runs `smtpscope export`.
func (e *env) export(args []string) int {
	fs := e.flagSet("export")
	emlDir := fs.String("eml", "", "write each message as DIR/sS-mM.eml")
	attDir := fs.String("attachments", "", "write each attachment to DIR")
	pcapOut := fs.String("pcap", "", "write the chosen sessions' packets to this pcapng file")
	stream := fs.Int64("stream", -1, "only the session with this tcp.stream")
	filterExpr := fs.String("filter", "", "only the sessions this filter selects")
	kf := addKeyLogFlags(fs)
	force := fs.Bool("force", false, "overwrite existing files")
	all := fs.Bool("all", false, "also export rejected, gapped and incomplete messages")
	files, err := parseArgs(fs, args, exportUsage, e.stdout, e.stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	n := 0
	for _, s := range []string{*emlDir, *attDir, *pcapOut} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		fmt.Fprintln(e.stderr, "smtpscope export: give one of --eml DIR, --attachments DIR, --pcap OUT (smtpscope export -h)")
		return exitUsage
	}
	if len(files) != 1 || files[0] == "-" {
		fmt.Fprintln(e.stderr, "smtpscope export: give one capture file (export reads it twice, so not stdin)")
		return exitUsage
	}
	if *stream >= 0 && *filterExpr != "" {
		fmt.Fprintln(e.stderr, "smtpscope export: --stream and --filter exclude each other")
		return exitUsage
	}
	sel, done, ok := e.filterFlag(*filterExpr)
	switch {
	case done:
		return exitOK
	case !ok:
		return exitUsage
	}
	keys, err := e.loadKeyLog(kf)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	name := files[0]
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.Keys = keys
	if *pcapOut == "" {
		opts.Session.NoContent = true // the second pass reads the content
	}
	sessions, _, runErr := e.readAll(name, opts)
	status := exitOK
	if runErr != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(runErr))
		status = exitInput
	}
	var picked []*session.Session
	for _, s := range sessions {
		if (*stream < 0 || s.Stream == *stream) && sel.Match(s) {
			picked = append(picked, s)
		}
	}
	if len(picked) == 0 {
		fmt.Fprintln(e.stderr, "smtpscope export: no SMTP session matches")
		return exitInput
	}
	if *pcapOut != "" {
		return max(status, e.exportPcap(name, *pcapOut, picked, *force))
	}
	dir, att := *emlDir, false
	if *attDir != "" {
		dir, att = *attDir, true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "smtpscope export: %s\n", errtext.Plain(err))
		return exitInput
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope export: %s\n", errtext.Plain(err))
		return exitInput
	}
	defer root.Close()
	x := newExporter(root, dir, att, *force, e.stdout)
	for _, s := range picked {
		for i := range s.Messages {
			m := &s.Messages[i]
			base := "s" + strconv.FormatInt(s.Stream, 10) + "-m" + strconv.Itoa(i)
			mark, why := exportMark(m)
			if mark != "" && !*all {
				fmt.Fprintf(e.stderr, "smtpscope export: %s skipped: %s (--all exports it, marked %s)\n", base, why, mark)
				continue
			}
			if m.Smuggled {
				fmt.Fprintf(e.stderr, "smtpscope export: %s skipped: smuggled inside the previous message, whose export holds its bytes\n", base)
				continue
			}
			x.plan(s.Stream, m, base+mark)
		}
	}
	if len(x.want) > 0 {
		opts.Session.Tap = x
		opts.Threads = 1
		src, err := e.open(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			return exitInput
		}
		_, runErr := engine.Run(context.Background(), src, opts, &engine.Nop{})
		src.Close()
		if runErr != nil && status == exitOK {
			status = exitInput
		}
	}
	x.finish()
	for _, err := range x.errs {
		fmt.Fprintf(e.stderr, "smtpscope export: %s\n", errtext.Plain(err))
		status = exitInput
	}
	fmt.Fprintf(e.stderr, "smtpscope export: %d file(s) written to %s\n", x.files, sanitize.String(dir))
	return status
}

// exportMark says why a message is exported only with --all, and the mark
// its file names then carry.
func exportMark(m *session.Message) (mark, why string) {
	switch {
	case m.Incomplete:
		return ".incomplete", "its end was not captured"
	case m.GapBytes > 0:
		return ".gap", strconv.FormatInt(m.GapBytes, 10) + " bytes of it were not captured"
	case !m.Accepted:
		if m.Reply == 0 {
			return ".rejected", "no reply accepted it"
		}
		return ".rejected", "the server refused it (" + strconv.Itoa(m.Reply) + ")"
	}
	return "", ""
}

// create makes a new file name in root; it refuses to overwrite unless
// force. The name has no path separator (SafeFilename), and os.Root keeps
// every file inside the directory whatever links it holds.
func create(root *os.Root, name string, force bool) (*os.File, error) {
	if name != filepath.Base(name) || name == "." || name == ".." {
		return nil, fmt.Errorf("%q is not a plain file name", name)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := root.OpenFile(name, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists (--force overwrites it)", name)
	}
	return f, err
}
