package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// capture is the application's input capture: overlays and the filter
// field get their keys first, then the key table decides.
func (u *UI) capture(ev *tcell.EventKey) *tcell.EventKey {
	if ev.Key() == tcell.KeyCtrlC {
		u.quit()
		return nil
	}
	if u.flash.text != "" {
		u.flash.text = ""
		u.updateHint()
	}
	if u.filterOpen || u.keyOpen || u.gotoOpen {
		return ev // the input field's done func handles enter and esc
	}
	switch u.overlay {
	case overlayHelp, overlayStats:
		return u.helpKey(ev)
	case overlayIndex:
		switch lookup(ev) {
		case actEscape, actIndex, actQuit:
			u.closeOverlay()
			return nil
		case actDown:
			return tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone)
		case actUp:
			return tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone)
		}
		return ev
	case overlayMessages:
		switch lookup(ev) {
		case actEscape, actMessages, actQuit:
			u.closeOverlay()
			return nil
		case actDown:
			return tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone)
		case actUp:
			return tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone)
		}
		return ev
	case overlayMessage:
		switch lookup(ev) {
		case actEscape, actQuit:
			u.closeOverlay()
			u.msgView = nil
			return nil
		case actMessages:
			u.openMessages()
			return nil
		case actSaveEML:
			u.saveMessage(false)
			return nil
		case actSavePart:
			u.saveMessage(true)
			return nil
		case actDown:
			return tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone)
		case actUp:
			return tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone)
		}
		if d := pageKey(ev); d != 0 && u.msgView != nil {
			r, c := u.msgView.body.GetScrollOffset()
			u.msgView.body.ScrollTo(max(0, r+d*10), c)
			return nil
		}
		return ev
	case overlayFindings:
		if d := pageKey(ev); d != 0 {
			pageTable(u.findings, 1, d)
			return nil
		}
		switch lookup(ev) {
		case actEscape, actFindings, actQuit:
			u.closeOverlay()
			return nil
		case actDown:
			return tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone)
		case actUp:
			return tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone)
		case actSort, actReverse:
			u.findByTime = !u.findByTime
			u.fillFindings()
			return nil
		}
		return ev
	}
	if d := pageKey(ev); d != 0 {
		switch u.focused() {
		case paneSessions:
			pageTable(u.sessions.Table, 1, d)
			return nil
		case paneTimeline:
			if u.teach && !u.streamMode {
				u.scrollLesson(d) // lesson mode: the page being taught scrolls
				return nil
			}
			if u.streamMode {
				pageTable(u.streamTab.Table, 0, d)
			} else {
				pageTable(u.timeline.Table, 0, d)
			}
			return nil
		}
		return ev // the detail pane scrolls itself
	}
	return u.do(lookup(ev), ev)
}

// mouseCapture drops mouse events while the mouse is off: a terminal that
// still reports them (or one that reported them before m) must not move
// the selection the user no longer drives with the mouse.
func (u *UI) mouseCapture(ev *tcell.EventMouse, a tview.MouseAction) (*tcell.EventMouse, tview.MouseAction) {
	if !u.mouse {
		return nil, a
	}
	return ev, a
}

// do performs an action through the key table's handler for it; it
// returns the event to pass on to the focused widget, or nil when the key
// was consumed.
func (u *UI) do(a action, ev *tcell.EventKey) *tcell.EventKey {
	for _, b := range bindings() {
		if b.act == a && b.run != nil {
			return b.run(u, ev)
		}
	}
	return ev
}

// lessonOr steps the lesson by step in lesson mode (] [ and n step it,
// page by page), and runs otherwise outside it.
func (u *UI) lessonOr(step int, otherwise func()) {
	if u.teach {
		u.stepLesson(step)
		return
	}
	otherwise()
}

// toggleMouse turns mouse support on or off and says what that means.
func (u *UI) toggleMouse() {
	u.mouse = !u.mouse
	u.app.EnableMouse(u.mouse)
	if u.mouse {
		u.say(roleText, "mouse on: click selects, wheel scrolls; the terminal cannot select text (m again)")
	} else {
		u.say(roleText, "mouse off: the terminal selects and copies text again")
	}
}

// openHelp shows the key table, wrapped to the screen.
func (u *UI) openHelp() {
	if u.screenW > 0 {
		u.help.SetText(helpText(u.screenW - 2)) // inside the box's borders
	}
	w, h := textSize(u.help.GetText(false))
	u.help.ScrollToBeginning()
	u.openOverlay(overlayHelp, u.help, w+2, h+2)
}

// restoreLayout is esc outside an overlay: a maximised pane goes back.
func (u *UI) restoreLayout() {
	if u.maximised != nil {
		u.toggleMaximise()
	}
}

// helpKey scrolls the help overlay (j k arrows, page keys, space, g G) or
// closes it (any other key).
func (u *UI) helpKey(ev *tcell.EventKey) *tcell.EventKey {
	if pageKey(ev) != 0 || ev.Key() == tcell.KeyUp || ev.Key() == tcell.KeyDown ||
		ev.Key() == tcell.KeyHome || ev.Key() == tcell.KeyEnd {
		return ev // the text view scrolls
	}
	switch lookup(ev) {
	case actDown:
		return tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone)
	case actUp:
		return tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone)
	case actTop:
		return tcell.NewEventKey(tcell.KeyHome, 0, tcell.ModNone)
	case actBottom:
		return tcell.NewEventKey(tcell.KeyEnd, 0, tcell.ModNone)
	case actNextLesson:
		return tcell.NewEventKey(tcell.KeyPgDn, 0, tcell.ModNone)
	}
	u.closeOverlay()
	return nil
}

// say shows a one-shot message in the hint bar.
func (u *UI) say(r role, msg string) {
	u.flash.text, u.flash.role = msg, r
	u.updateHint()
}

// panes lists the focusable panes in tab order, indexed by paneID.
func (u *UI) panes() [numPanes]tview.Primitive {
	return [numPanes]tview.Primitive{paneSessions: u.sessions, paneTimeline: u.timelinePane(), paneDetail: u.detail}
}

// focused returns the focused pane (paneSessions when none is).
func (u *UI) focused() paneID {
	f := u.app.GetFocus()
	for i, p := range u.panes() {
		if p == f || (p == u.sessions && f == u.sessions.Table) || (p == u.timeline && f == u.timeline.Table) || (p == u.streamTab && f == u.streamTab.Table) {
			return paneID(i)
		}
	}
	return paneSessions
}

// focus gives p the focus, following a maximised pane.
func (u *UI) focus(p tview.Primitive) {
	if u.maximised != nil && u.maximised != p {
		u.maximised = p
		u.layout()
	}
	u.app.SetFocus(p)
}

func (u *UI) cyclePane(step int) {
	ps := u.panes()
	u.focus(ps[(int(u.focused())+step+len(ps))%len(ps)])
}

// toggleMaximise shows the focused pane alone, or restores the layout.
func (u *UI) toggleMaximise() {
	switch {
	case u.maximised != nil:
		u.maximised = nil
	case u.teach:
		// Lesson mode: \ projects the lesson, whichever pane has the
		// focus (] moves the focus to the timeline).
		u.maximised = u.detail
		u.app.SetFocus(u.detail)
	default:
		u.maximised = u.panes()[u.focused()]
	}
	u.layout()
	u.app.SetFocus(u.panes()[u.focused()])
}

// toggleStream switches the timeline slot between the ladder and the stream.
func (u *UI) toggleStream() {
	inPane := u.focused() == paneTimeline
	wasMax := u.maximised != nil && inPane
	u.streamMode = !u.streamMode
	if wasMax {
		u.maximised = u.timelinePane()
	}
	u.layout()
	if inPane {
		u.app.SetFocus(u.timelinePane())
	}
	u.showDetail()
}

// enter opens a session, expands or collapses a run of encrypted records,
// or moves to the detail pane.
func (u *UI) enter(ev *tcell.EventKey) *tcell.EventKey {
	switch u.focused() {
	case paneSessions:
		return ev // the table's selected func moves to the timeline
	case paneTimeline:
		if u.streamMode {
			u.focus(u.detail)
			return nil
		}
		r, _ := u.timeline.GetSelection()
		if ref, ok := u.messageAt(r); ok {
			u.openMessage(ref) // a DATA/BDAT message line
			return nil
		}
		if r >= 0 && r < len(u.lines) && u.lines[r].kind == lineRun && u.lines[r].count > 0 {
			if ev := u.lines[r].event; ev >= 0 && !u.isBulk(ev) {
				u.expanded[ev] = !u.expanded[ev]
				u.withSelected(u.renderSession)
				return nil
			}
		}
		u.focus(u.detail)
	}
	return nil
}

// isBulk reports whether timeline event i is a builder-collapsed bulk event
// (which has no records to expand).
func (u *UI) isBulk(i int) bool {
	bulk := false
	u.withSelected(func(s *session.Session) {
		bulk = i < len(s.Timeline) && s.Timeline[i].Kind == session.KindTLSBulk
	})
	return bulk
}

// stepPhase moves the timeline selection to the previous or next phase band.
func (u *UI) stepPhase(dir int) {
	if u.streamMode {
		u.toggleStream()
	}
	r, _ := u.timeline.GetSelection()
	for i := r + dir; i >= 0 && i < len(u.lines); i += dir {
		if u.lines[i].kind == lineBand {
			u.timeline.Select(i, 0)
			break
		}
	}
	u.focus(u.timeline)
}

// search moves to the next (dir 1) or previous (-1) line whose text holds
// one of the filter's words.
func (u *UI) search(dir int) {
	words := u.filter.searchWords()
	if len(words) == 0 {
		u.say(roleWarn, "no search words: use / with plain words or cmd:, rcpt:, from:, subject:")
		return
	}
	tab, n := u.timeline.Table, len(u.lines)
	text := func(i int) string { return u.lines[i].label }
	if u.streamMode {
		tab, n = u.streamTab.Table, len(u.streamLines)
		text = func(i int) string { return u.streamLines[i].text }
	}
	r, _ := tab.GetSelection()
	for k := 1; k <= n; k++ {
		i := ((r+dir*k)%n + n) % n
		for _, w := range words {
			if containsFold(text(i), w) {
				tab.Select(i, 0)
				u.focus(u.timelinePane())
				return
			}
		}
	}
	u.say(roleWarn, "no match in this session")
}

// sortBy sorts the sessions by column c; the same column again reverses.
func (u *UI) sortBy(c int) {
	if c == u.sorting.col {
		u.sorting.desc = !u.sorting.desc
	} else {
		u.sorting.col, u.sorting.desc = c, false
	}
	u.cols.dirty = true // the arrow moved to another header
	u.store.View(func(ss []*session.Session, _ *session.Progress) { u.rebuildView(ss) })
	u.syncSelection()
	u.updateStatus()
}

// openFilter shows the filter field in place of the hint bar.
func (u *UI) openFilter() {
	u.filterOpen = true
	u.prevFilter = u.filterSrc
	u.input.SetText(u.filterSrc)
	u.layout()
	u.app.SetFocus(u.input)
}

// onFilterChanged applies a valid filter as it is typed; while it is
// invalid no filter applies (never a valid prefix of it, which would select
// sessions the user did not ask for) and the error shows in red.
func (u *UI) onFilterChanged(text string) {
	f, err := parseFilter(text)
	u.showCaret(text, err)
	if err != nil {
		u.applyFilter("", filter{})
		u.status.SetText(u.theme.tag(roleError) + "filter not applied: " + sanitize.Tag(errtext.Plain(err)) + u.theme.reset(roleError))
		u.input.SetFieldStyle(u.theme.style(roleError))
		return
	}
	u.input.SetFieldStyle(u.theme.style(roleText))
	u.applyFilter(text, f)
}

// onFilterDone closes the filter field: enter keeps the filter, esc
// restores the previous one.
func (u *UI) onFilterDone(key tcell.Key) {
	switch key {
	case tcell.KeyEnter:
		if _, err := parseFilter(u.input.GetText()); err != nil {
			u.closeFilter()
			u.say(roleError, "filter not applied: "+errtext.Plain(err))
			return
		}
	case tcell.KeyEscape:
		if f, err := parseFilter(u.prevFilter); err == nil {
			u.applyFilter(u.prevFilter, f)
		}
	default:
		return
	}
	u.closeFilter()
}

func (u *UI) closeFilter() {
	u.filterOpen = false
	u.caretShown = false
	u.layout()
	u.app.SetFocus(u.sessions)
	u.updateHint()
	u.updateStatus()
}

// applyFilter makes f the sessions filter.
func (u *UI) applyFilter(src string, f filter) {
	u.filter, u.filterSrc = f, src
	u.store.View(func(ss []*session.Session, _ *session.Progress) { u.rebuildView(ss) })
	u.sessions.ScrollToBeginning()
	u.syncSelection()
	u.updateStatus()
	u.updateHint()
}

// quit stops the ticker, waits until it can queue no more updates, then
// stops the application; the wait runs off the event goroutine so that a
// pending update can still be executed.
func (u *UI) quit() {
	u.ticking.once.Do(func() {
		close(u.ticking.stop)
		go func() {
			u.ticking.wg.Wait()
			u.app.Stop()
		}()
	})
}
