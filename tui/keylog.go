package tui

import (
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// openKeyLog asks for the key log's path in place of the hint bar (K).
func (u *UI) openKeyLog() {
	if u.opts.LoadKeyLog == nil {
		u.say(roleWarn, "this capture cannot be read again with a key log")
		return
	}
	u.askPath(&pathAsk{
		label:       "key log: ",
		placeholder: "SSLKEYLOGFILE path · tab completes · enter loads · esc cancels",
		use:         u.loadKeyLog,
	}, "")
}

// loadKeyLog loads the key log at path and swaps in the store read with
// it. Errors go to the status bar in red; the current store stays.
func (u *UI) loadKeyLog(path string) {
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
	u.lines, u.streamLines, u.deck.pages = nil, nil, nil
	clear(u.expanded)
	u.done, u.version = false, 0
	u.progress = session.Progress{}
	u.detail.SetText("")
	u.refresh(true)
}
