package tui

import (
	"io"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// streamTitle names the stream pane with its mode and keys.
func (u *UI) streamTitle() string {
	return " Stream — " + u.streamView.String() + " · x: ASCII/escaped/hex · w: save "
}

// cycleStreamMode shows the stream's bytes the next way (x), keeping the
// selection on the same event.
func (u *UI) cycleStreamMode() {
	if !u.streamMode {
		u.say(roleWarn, "x switches how the stream view (s) shows its bytes")
		return
	}
	ev := -1
	if r, _ := u.streamTab.GetSelection(); r >= 0 && r < len(u.streamLines) {
		ev = u.streamLines[r].event
	}
	u.streamView = (u.streamView + 1) % numStreamModes
	u.streamTab.SetTitle(u.streamTitle())
	u.rebuildStream(ev)
	u.say(roleText, "stream as "+u.streamView.String())
}

// rebuildStream renders the stream view again, keeping the selection on
// event ev (-1: the first row).
func (u *UI) rebuildStream(ev int) {
	u.withSelected(func(s *session.Session) { u.streamLines = streamLines(s, u.streamView, u.hexRow()) })
	for r := range u.streamLines {
		if u.streamLines[r].event == ev {
			u.streamTab.Select(r, 0)
			break
		}
	}
}

// wideHex is the stream pane's inner width from which a hex row holds 16
// bytes, as in Wireshark (frame, side and "0000  " + 16*3 + 16 cells).
const wideHex = 82

// hexRow is the number of bytes a hex row of the stream view shows.
func (u *UI) hexRow() int {
	if u.streamWidth >= wideHex {
		return 16
	}
	return hexPerLine
}

// setStreamWidth follows the stream pane's width (before each draw): the
// hex view is laid out again when its row width changes.
func (u *UI) setStreamWidth(w int) {
	before := u.hexRow()
	u.streamWidth = w
	if u.hexRow() != before && u.streamMode && u.streamView == streamHex {
		ev := -1
		if r, _ := u.streamTab.GetSelection(); r >= 0 && r < len(u.streamLines) {
			ev = u.streamLines[r].event
		}
		u.rebuildStream(ev)
	}
}

// saveStream asks for a path and writes the session's SMTP bytes there
// (w in the stream view), through the same path field as the key log.
func (u *UI) saveStream() {
	if !u.streamMode {
		u.say(roleWarn, "w saves the stream view's bytes: open it with s")
		return
	}
	var (
		data            []byte
		missing, bodies int
		stream          int64 = -1
	)
	u.withSelected(func(s *session.Session) {
		data, missing, bodies = streamBytes(s)
		stream = s.Stream
	})
	if stream < 0 {
		return
	}
	if len(data) == 0 {
		u.say(roleWarn, "no bytes kept for this session's SMTP lines (encrypted, with no key log?)")
		return
	}
	what := "the stream's SMTP bytes"
	if missing > 0 || bodies > 0 {
		what += "; without " + plural(bodies, "message body", "message bodies") + " and " + plural(missing, "line", "lines") + " not kept"
	}
	u.askSave(what, "stream-"+strconv.FormatInt(stream, 10)+".txt", func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
