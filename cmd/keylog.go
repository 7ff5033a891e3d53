package cmd

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

// keyLogFlags are the key log flags every command that decrypts takes.
type keyLogFlags struct {
	path     *string
	maxBytes sizeFlag
	maxLines *int64
}

// keyLogPipeWait bounds how long a key log that is not a regular file (a
// FIFO, a pipe from a process substitution, a device) may take to reach its
// end (issue 12, defect 3).
const keyLogPipeWait = 10 * time.Second

func addKeyLogFlags(fs *flag.FlagSet) *keyLogFlags {
	k := &keyLogFlags{maxBytes: sizeFlag{n: tlsdecrypt.DefaultMaxKeyLogBytes}}
	k.path = fs.String("keylog", "", "NSS key log (SSLKEYLOGFILE) to decrypt TLS")
	fs.Var(&k.maxBytes, "keylog-max-bytes", "read at most this much of the key log (default 64MiB)")
	k.maxLines = fs.Int64("keylog-max-lines", tlsdecrypt.DefaultMaxKeyLogLines, "read at most this many key log lines")
	return k
}

func (k *keyLogFlags) options() tlsdecrypt.KeyLogOptions {
	o := tlsdecrypt.KeyLogOptions{MaxBytes: k.maxBytes.n}
	if k.maxLines != nil {
		o.MaxLines = *k.maxLines
	}
	return o
}

// loadKeyLog reads an NSS key log (SSLKEYLOGFILE); "" means none. Bad lines
// and a cut at the limits are reported on stderr, never fatal.
func (e *env) loadKeyLog(kf *keyLogFlags) (*tlsdecrypt.KeyLog, error) {
	keys := tlsdecrypt.NewKeyLog(kf.options())
	path := *kf.path
	if path == "" {
		return keys, nil
	}
	if err := readKeyLogFile(keys, path, keyLogPipeWait); err != nil {
		return nil, err
	}
	st := keys.Stats()
	for i, bad := range st.BadLines {
		if i == 5 {
			fmt.Fprintf(e.stderr, "smtpscope: %s: %d more bad lines\n", sanitize.String(path), len(st.BadLines)-i)
			break
		}
		fmt.Fprintf(e.stderr, "smtpscope: %s: line %d: %s\n", sanitize.String(path), bad.Line, sanitize.String(bad.Reason))
	}
	if note := st.CutNote(); note != "" {
		fmt.Fprintf(e.stderr, "smtpscope: %s: %s\n", sanitize.String(path), note)
	}
	return keys, nil
}

// readKeyLogFile reads the key log at path into keys. A regular file is read
// as it is. Anything else is opened without blocking (open(2) of a FIFO
// with no writer waits for ever otherwise) and must reach its end within
// wait; a directory is refused.
func readKeyLogFile(keys *tlsdecrypt.KeyLog, path string, wait time.Duration) error {
	fi, err := os.Stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			pe.Op = "open" // the same words as a failing open
		}
		return fmt.Errorf("cmd: key log: %w", err)
	}
	var r io.Reader
	switch {
	case fi.Mode().IsRegular():
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("cmd: key log: %w", err)
		}
		defer f.Close()
		r = f
	case fi.IsDir():
		return fmt.Errorf("cmd: key log %s is a directory, not a file", path)
	default:
		f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return fmt.Errorf("cmd: key log: %w", err)
		}
		defer f.Close()
		// A pollable file (FIFO, pipe, socket) gets a deadline; others
		// (such as /dev/zero) never block and stop at the limits.
		_ = f.SetReadDeadline(time.Now().Add(wait))
		r = f
	}
	if err := keys.Read(r); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("cmd: key log %s is a %s that did not end within %s: write the key log to a regular file and give that",
				path, kindOf(fi.Mode()), wait)
		}
		return fmt.Errorf("cmd: key log %s: %w", path, err)
	}
	return nil
}

// kindOf names a file type for a message.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "file of mode " + strconv.Quote(m.String())
}

// keysFor loads --keylog for the capture name, or, for the embedded demo
// (name "") without --keylog, the demo's own key log.
func (e *env) keysFor(name string, kf *keyLogFlags) (*tlsdecrypt.KeyLog, error) {
	if name == "" && *kf.path == "" {
		return e.demoKeys()
	}
	return e.loadKeyLog(kf)
}

// demoKeys returns the key log the demo's generator wrote, for commands run
// on the embedded demo without --keylog.
func (e *env) demoKeys() (*tlsdecrypt.KeyLog, error) {
	keys := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
	kf, err := pcaps.FS().Open(pcaps.KeyLog(pcaps.Demo()))
	if err != nil {
		return nil, fmt.Errorf("cmd: demo key log: %w", err)
	}
	defer kf.Close()
	if err := keys.Read(kf); err != nil {
		return nil, fmt.Errorf("cmd: demo key log: %w", err)
	}
	return keys, nil
}
