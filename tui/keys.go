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
	actPrevLesson
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
}

// bindings is the key table.
func bindings() []binding {
	return []binding{
		{tcell.KeyTab, 0, "tab", "next pane", "pane", actNextPane},
		{tcell.KeyBacktab, 0, "shift-tab", "previous pane", "", actPrevPane},
		{tcell.KeyRune, '\\', `\`, "maximise the focused pane (lesson mode: the lesson; again to restore)", "max", actMaximise},
		{tcell.KeyRune, '/', "/", "filter sessions (reply >= 500 or tls.version < 1.2, port:587 ...)", "filter", actFilter},
		{tcell.KeyRune, 'n', "n", "next timeline line matching the filter words", "", actNextMatch},
		{tcell.KeyRune, 'N', "N", "previous timeline line matching the filter words", "", actPrevMatch},
		{tcell.KeyRune, 'j', "j / down", "move down", "", actDown},
		{tcell.KeyRune, 'k', "k / up", "move up", "", actUp},
		{tcell.KeyRune, 'g', "g / home", "first row", "", actTop},
		{tcell.KeyRune, 'G', "G / end", "last row", "", actBottom},
		{tcell.KeyEnter, 0, "enter", "open session / expand or collapse encrypted records", "", actEnter},
		{tcell.KeyRune, '[', "[", "previous phase (lesson page in lesson mode)", "", actPrevPhase},
		{tcell.KeyRune, ']', "]", "next phase (lesson page in lesson mode)", "", actNextPhase},
		{tcell.KeyRune, ' ', "space", "next lesson page (lesson mode; n too)", "", actNextLesson},
		{tcell.KeyRune, 'i', "i", "lesson mode: the index of the lesson's pages (enter opens one)", "", actIndex},
		{tcell.KeyRune, '+', "+", "lesson mode: the lesson takes more of the screen", "", actLessonMore},
		{tcell.KeyRune, '-', "-", "lesson mode: the lesson takes less of the screen", "", actLessonLess},
		{tcell.KeyRune, 't', "t", "lesson mode on/off: the session explained phase by phase", "", actTeach},
		{tcell.KeyRune, 'K', "K", "load a TLS key log (SSLKEYLOGFILE) and re-read the capture", "", actKeyLog},
		{tcell.KeyRune, 'D', "D", "save the session's diagram as SVG (for a slide, a post, a ticket)", "", actDiagram},
		{tcell.KeyRune, ':', ":", "go to frame N (its session and timeline line)", "", actGoto},
		{tcell.KeyCtrlG, 0, "ctrl-g", "go to frame N", "", actGoto},
		{tcell.KeyRune, 'T', "T", "time format: time of day, since start, since previous, epoch, UTC", "", actTime},
		{tcell.KeyRune, 'f', "f", "findings of the session", "findings", actFindings},
		{tcell.KeyRune, 'M', "M", "messages of every session (from, to, subject, size, attachments, TLS, reply); enter on a message line opens it", "msgs", actMessages},
		{tcell.KeyRune, 'e', "e", "message view: save the message as .eml (the bytes the client sent)", "", actSaveEML},
		{tcell.KeyRune, 'a', "a", "message view: save the chosen part (an attachment), decoded", "", actSavePart},
		{tcell.KeyRune, 'S', "S", "statistics of the sessions shown: reply codes, verbs, TLS, top talkers, over time", "", actStats},
		{tcell.KeyRune, 's', "s", "stream view (follow stream) / timeline", "stream", actStream},
		{tcell.KeyRune, 'x', "x", "stream view: show as ASCII, escaped bytes or hex", "", actStreamMode},
		{tcell.KeyRune, 'w', "w", "stream view: save the stream's SMTP bytes to a file", "", actStreamSave},
		{tcell.KeyRune, 'o', "o", "sort sessions by the next column (findings: worst first / by frame)", "", actSort},
		{tcell.KeyRune, 'O', "O", "reverse the sort order", "", actReverse},
		{tcell.KeyRune, 'm', "m", "mouse on/off (click selects, wheel scrolls; while on, the terminal cannot select text)", "mouse", actMouse},
		{tcell.KeyRune, '?', "?", "this help", "help", actHelp},
		{tcell.KeyEscape, 0, "esc", "close overlay / restore layout", "", actEscape},
		{tcell.KeyRune, 'q', "q", "quit", "quit", actQuit},
		{tcell.KeyCtrlC, 0, "ctrl-c", "quit", "", actQuit},
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
