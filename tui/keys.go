package tui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
)

// action is what a key does.
type action uint8

const (
	actNone action = iota
	actNextPane
	actPrevPane
	actMaximise
	actFilter
	actNextMatch
	actPrevMatch
	actDown
	actUp
	actTop
	actBottom
	actEnter
	actPrevPhase
	actNextPhase
	actFindings
	actStream
	actMouse
	actSort
	actReverse
	actHelp
	actKeyLog
	actDiagram
	actTeach
	actNextLesson
	actLessonMore
	actIndex
	actLessonLess
	actEscape
	actQuit
	actGoto
	actTime
	actStreamMode
	actStreamSave
	actMessages
	actSaveEML
	actSavePart
	actStats
)

// binding is one row of the key table. The same table drives the key
// dispatcher, the help overlay and the hint bar.
type binding struct {
	key   tcell.Key // tcell.KeyRune for printable keys
	ch    rune
	label string // how help shows the key
	desc  string
	hint  string // short text for the hint bar; "" to leave it out
	act   action
	// run does the action; it returns the event to pass on to the
	// focused widget, or nil when the key was consumed. nil for keys
	// that only a view handles (the message view's e and a).
	run func(u *UI, ev *tcell.EventKey) *tcell.EventKey
}

// does makes a handler that runs f and consumes the key.
func does(f func(u *UI)) func(*UI, *tcell.EventKey) *tcell.EventKey {
	return func(u *UI, _ *tcell.EventKey) *tcell.EventKey {
		f(u)
		return nil
	}
}

// sends makes a handler that passes key k on to the focused widget.
func sends(k tcell.Key) func(*UI, *tcell.EventKey) *tcell.EventKey {
	return func(*UI, *tcell.EventKey) *tcell.EventKey { return tcell.NewEventKey(k, 0, tcell.ModNone) }
}

// bindings is the key table.
func bindings() []binding {
	return []binding{
		{tcell.KeyTab, 0, "tab", "next pane", "pane", actNextPane, does(func(u *UI) { u.cyclePane(1) })},
		{tcell.KeyBacktab, 0, "shift-tab", "previous pane", "", actPrevPane, does(func(u *UI) { u.cyclePane(-1) })},
		{tcell.KeyRune, '\\', `\`, "maximise the focused pane (lesson mode: the lesson; again to restore)", "max", actMaximise, does((*UI).toggleMaximise)},
		{tcell.KeyRune, '/', "/", "filter sessions (reply >= 500 or tls.version < 1.2, port:587 ...)", "filter", actFilter, does((*UI).openFilter)},
		{tcell.KeyRune, 'n', "n", "next timeline line matching the filter words", "", actNextMatch, does(func(u *UI) { u.lessonOr(1, func() { u.search(1) }) })},
		{tcell.KeyRune, 'N', "N", "previous timeline line matching the filter words", "", actPrevMatch, does(func(u *UI) { u.search(-1) })},
		{tcell.KeyRune, 'j', "j / down", "move down", "", actDown, sends(tcell.KeyDown)},
		{tcell.KeyRune, 'k', "k / up", "move up", "", actUp, sends(tcell.KeyUp)},
		{tcell.KeyRune, 'g', "g / home", "first row", "", actTop, sends(tcell.KeyHome)},
		{tcell.KeyRune, 'G', "G / end", "last row", "", actBottom, sends(tcell.KeyEnd)},
		{tcell.KeyEnter, 0, "enter", "open session / expand or collapse encrypted records", "", actEnter, (*UI).enter},
		{tcell.KeyRune, '[', "[", "previous phase (lesson page in lesson mode)", "", actPrevPhase, does(func(u *UI) { u.lessonOr(-1, func() { u.stepPhase(-1) }) })},
		{tcell.KeyRune, ']', "]", "next phase (lesson page in lesson mode)", "", actNextPhase, does(func(u *UI) { u.lessonOr(1, func() { u.stepPhase(1) }) })},
		{tcell.KeyRune, ' ', "space", "next lesson page (lesson mode; n too)", "", actNextLesson, does(func(u *UI) { u.stepLesson(1) })},
		{tcell.KeyRune, 'i', "i", "lesson mode: the index of the lesson's pages (enter opens one)", "", actIndex, does((*UI).openIndex)},
		{tcell.KeyRune, '+', "+", "lesson mode: the lesson takes more of the screen", "", actLessonMore, does(func(u *UI) { u.growLesson(1) })},
		{tcell.KeyRune, '-', "-", "lesson mode: the lesson takes less of the screen", "", actLessonLess, does(func(u *UI) { u.growLesson(-1) })},
		{tcell.KeyRune, 't', "t", "lesson mode on/off: the session explained phase by phase", "", actTeach, does((*UI).toggleTeach)},
		{tcell.KeyRune, 'K', "K", "load a TLS key log (SSLKEYLOGFILE) and re-read the capture", "", actKeyLog, does((*UI).openKeyLog)},
		{tcell.KeyRune, 'D', "D", "save the session's diagram as SVG (for a slide, a post, a ticket)", "", actDiagram, does((*UI).saveDiagram)},
		{tcell.KeyRune, ':', ":", "go to frame N (its session and timeline line)", "", actGoto, does((*UI).openGoto)},
		{tcell.KeyCtrlG, 0, "ctrl-g", "go to frame N", "", actGoto, does((*UI).openGoto)},
		{tcell.KeyRune, 'T', "T", "time format: time of day, since start, since previous, epoch, UTC", "", actTime, does((*UI).cycleTime)},
		{tcell.KeyRune, 'f', "f", "findings of the session", "findings", actFindings, does((*UI).openFindings)},
		{tcell.KeyRune, 'M', "M", "messages of every session (from, to, subject, size, attachments, TLS, reply); enter on a message line opens it", "msgs", actMessages, does((*UI).openMessages)},
		{tcell.KeyRune, 'e', "e", "message view: save the message as .eml (the bytes the client sent)", "", actSaveEML, nil},
		{tcell.KeyRune, 'a', "a", "message view: save the chosen part (an attachment), decoded", "", actSavePart, nil},
		{tcell.KeyRune, 'S', "S", "statistics of the sessions shown: reply codes, verbs, TLS, top talkers, over time", "", actStats, does((*UI).openStats)},
		{tcell.KeyRune, 's', "s", "stream view (follow stream) / timeline", "stream", actStream, does((*UI).toggleStream)},
		{tcell.KeyRune, 'x', "x", "stream view: show as ASCII, escaped bytes or hex", "", actStreamMode, does((*UI).cycleStreamMode)},
		{tcell.KeyRune, 'w', "w", "stream view: save the stream's SMTP bytes to a file", "", actStreamSave, does((*UI).saveStream)},
		{tcell.KeyRune, 'o', "o", "sort sessions by the next column (findings: worst first / by frame)", "", actSort, does(func(u *UI) { u.sortBy((u.sorting.col + 1) % numCols) })},
		{tcell.KeyRune, 'O', "O", "reverse the sort order", "", actReverse, does(func(u *UI) { u.sortBy(u.sorting.col) })},
		{tcell.KeyRune, 'm', "m", "mouse on/off (click selects, wheel scrolls; while on, the terminal cannot select text)", "mouse", actMouse, does((*UI).toggleMouse)},
		{tcell.KeyRune, '?', "?", "this help", "help", actHelp, does((*UI).openHelp)},
		{tcell.KeyEscape, 0, "esc", "close overlay / restore layout", "", actEscape, does((*UI).restoreLayout)},
		{tcell.KeyRune, 'q', "q", "quit", "quit", actQuit, does((*UI).quit)},
		{tcell.KeyCtrlC, 0, "ctrl-c", "quit", "", actQuit, does((*UI).quit)},
	}
}

// lookup returns the action bound to ev.
func lookup(ev *tcell.EventKey) action {
	for _, b := range bindings() {
		if b.key != ev.Key() {
			continue
		}
		if b.key != tcell.KeyRune || b.ch == ev.Rune() {
			return b.act
		}
	}
	return actNone
}

// helpText renders the key table for the help overlay.
// Descriptions longer than the help box's width (cols, 0 for no bound)
// wrap under their own column, not under the keys.
func helpText(cols int) string {
	var sb strings.Builder
	sb.WriteString("smtpscope keys\n\n")
	const indent = 2 + 11
	for _, b := range bindings() {
		sb.WriteString("  ")
		sb.WriteString(pad(b.label, 11))
		for i, ln := range wrapWords(b.desc, cols-indent) {
			if i > 0 {
				sb.WriteString(strings.Repeat(" ", indent))
			}
			sb.WriteString(ln)
			sb.WriteByte('\n')
		}
	}
	sb.WriteString("\nFilters: reply >= 500 or tls.version < 1.2, not (tls == starttls),\n")
	sb.WriteString("msgs > 0, duration > 2s, frame in 100..200, port:587 cmd:AUTH,\n")
	sb.WriteString("plain words (smtpscope report --filter help lists the fields).\n")
	sb.WriteString("Rows: red plaintext, green STARTTLS,\n")
	sb.WriteString("cyan implicit TLS, pink failed TLS.\nj k PgDn PgUp scroll this help; any other key closes it.")
	return sb.String()
}

// hintText renders the hint bar from the key table.
func hintText() string {
	var sb strings.Builder
	for _, b := range bindings() {
		if b.hint == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteString("  ")
		}
		sb.WriteString(b.label)
		sb.WriteByte(' ')
		sb.WriteString(b.hint)
	}
	return sb.String()
}

// wrapWords breaks s into lines of at most w cells at spaces (a word
// longer than w gets a line of its own); w < 10 leaves s whole.
func wrapWords(s string, w int) []string {
	if w < 10 || width(s) <= w {
		return []string{s}
	}
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = word
		case width(cur)+1+width(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	return append(lines, cur)
}
