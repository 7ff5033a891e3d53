package tui

import (
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/sanitize"

	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// openKeyLog shows the key log path field in place of the hint bar (K).
func (u *UI) openKeyLog() {
	if u.opts.LoadKeyLog == nil {
		u.say(roleWarn, "this capture cannot be read again with a key log")
		return
	}
	u.keyOpen = true
	u.alert = ""
	u.keyInput.SetText("")
	u.layout()
	u.app.SetFocus(u.keyInput)
	u.updateStatus()
}

// keyLogKey completes the path on Tab; the candidates, when several, go
// to the status bar.
func (u *UI) keyLogKey(ev *tcell.EventKey) *tcell.EventKey {
	if ev.Key() != tcell.KeyTab {
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

// onKeyLogDone closes the key log field: enter loads the key log and swaps
// in the store read with it; esc cancels. Errors go to the status bar in
// red; the current store stays.
func (u *UI) onKeyLogDone(key tcell.Key) {
	if key != tcell.KeyEnter && key != tcell.KeyEscape {
		return
	}
	path := expandHome(u.keyInput.GetText())
	u.keyOpen = false
	u.layout()
	u.app.SetFocus(u.sessions)
	if key == tcell.KeyEscape {
		u.updateHint()
		return
	}
	st, note, err := u.opts.LoadKeyLog(path)
	if err != nil {
		u.alert = errtext.Plain(err)
		u.updateStatus()
		u.updateHint()
		return
	}
	u.swapStore(st)
	u.say(roleText, note)
}

// swapStore makes st the store shown (a re-read of the same capture),
// keeping the filter, the sort order, the modes and, once it is read
// again, the selected session.
func (u *UI) swapStore(st *session.Store) {
	if u.sel >= 0 && u.sel < len(u.rows) {
		u.want = u.rows[u.sel].stream // the same session, decrypted this time
	}
	u.store = st
	u.storeRef.Store(st)
	u.rows, u.view = nil, nil
	u.sel, u.selComplete = -1, false
	u.lines, u.streamLines, u.lessons = nil, nil, nil
	clear(u.expanded)
	u.done, u.version = false, 0
	u.progress = session.Progress{}
	u.detail.SetText("")
	u.refresh(true)
}
