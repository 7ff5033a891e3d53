package tui

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// pathAsk is what the path field, shown in place of the hint bar, is
// asked for: a file to read (the key log) or a file to write (a diagram,
// a message, a stream's bytes). Every prompt that takes a path goes
// through it, so all of them expand "~", complete on Tab and refuse to
// overwrite without a second enter.
type pathAsk struct {
	label       string
	placeholder string
	// use takes the expanded path of a file to read (enter).
	use func(path string)
	// write, when set, makes this a save prompt: it writes the file's
	// contents. An existing file is overwritten only when enter is pressed
	// again on the same path (confirm holds that path).
	write   func(w io.Writer) error
	what    string // what is saved, for "saved 1.2 KB (the diagram) to PATH"
	confirm string
}

// askPath opens the path field for a, with initial text.
func (u *UI) askPath(a *pathAsk, initial string) {
	u.ask = a
	u.keyOpen = true
	u.alert = ""
	u.keyInput.SetLabel(a.label).SetPlaceholder(a.placeholder)
	u.keyInput.SetText(initial)
	u.layout()
	u.app.SetFocus(u.keyInput)
	u.updateStatus()
}

// askSave opens the path field to save what write produces, suggesting
// the file name suggested.
func (u *UI) askSave(what, suggested string, write func(w io.Writer) error) {
	u.askPath(&pathAsk{
		label:       "save " + what + " to: ",
		placeholder: "path · tab completes · enter saves · esc cancels",
		write:       write,
		what:        what,
	}, suggested)
}

// pathKey completes the path on Tab; the candidates, when several, go to
// the status bar. Any edit withdraws a pending overwrite question.
func (u *UI) pathKey(ev *tcell.EventKey) *tcell.EventKey {
	if ev.Key() != tcell.KeyTab {
		if u.ask != nil && u.ask.confirm != "" && ev.Key() != tcell.KeyEnter {
			u.ask.confirm = ""
			u.alert = ""
			u.updateStatus()
		}
		return ev
	}
	text, names := completePath(u.keyInput.GetText())
	u.keyInput.SetText(text)
	switch {
	case len(names) == 0:
		u.status.SetText(u.theme.tag(roleWarn) + "no file starts with that" + u.theme.reset(roleWarn))
	case len(names) > 1:
		u.status.SetText(sanitize.Tag(strconv.Itoa(len(names)) + " files: " + strings.Join(names, "  ")))
	default:
		u.updateStatus()
	}
	return nil
}

// onPathDone handles enter and esc in the path field.
func (u *UI) onPathDone(key tcell.Key) {
	if key != tcell.KeyEnter && key != tcell.KeyEscape {
		return
	}
	a := u.ask
	path := expandHome(u.keyInput.GetText())
	if key == tcell.KeyEnter && a != nil && a.write != nil {
		if !u.save(a, path) {
			return // the field stays open: an overwrite question or an error to correct
		}
	}
	u.closePath()
	if key == tcell.KeyEscape || a == nil || a.write != nil {
		u.updateHint()
		return
	}
	a.use(path)
}

// closePath closes the path field and gives the focus back.
func (u *UI) closePath() {
	u.keyOpen = false
	u.ask = nil
	u.layout()
	if u.overlay != overlayNone && u.overlayFocus != nil {
		u.app.SetFocus(u.overlayFocus) // a save from the message view
		return
	}
	u.app.SetFocus(u.sessions)
}

// save writes a's contents to path and reports it; false keeps the field
// open (an empty path, an existing file not yet confirmed, an error).
func (u *UI) save(a *pathAsk, path string) bool {
	if path == "" {
		u.alert = "type a file name first"
		u.updateStatus()
		return false
	}
	n, err := writeNew(path, a.confirm == path, a.write)
	switch {
	case errors.Is(err, fs.ErrExist):
		a.confirm = path
		u.alert = filepath.Base(path) + " exists — enter again overwrites it, esc cancels" // the full path is in the field
		u.updateStatus()
		return false
	case err != nil:
		a.confirm = ""
		u.alert = errtext.Plain(err)
		u.updateStatus()
		return false
	}
	u.alert = ""
	u.updateStatus()
	u.flash.text, u.flash.role = "saved "+a.what+" ("+byteCount(n)+") to "+path, roleText
	return true
}

// writeNew writes path with write's output: a new file, or an existing one
// replaced only when overwrite is set. O_EXCL makes "does it exist?" and
// "create it" one step.
func writeNew(path string, overwrite bool, write func(w io.Writer) error) (int64, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if overwrite {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: f}
	err = write(cw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return cw.n, fmt.Errorf("write %s: %w", path, err)
	}
	return cw.n, nil
}

// countWriter counts what passes through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
