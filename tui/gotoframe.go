package tui

import (
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// newGotoInput makes the "go to frame" field (: or ctrl-g, like
// Wireshark's Go To Packet), shown in place of the hint bar.
func (u *UI) newGotoInput() *tview.InputField {
	t := u.theme
	in := tview.NewInputField().SetLabel("go to frame: ").
		SetPlaceholder("frame number · enter goes · esc cancels").
		SetAcceptanceFunc(func(text string, r rune) bool { return len(text) <= 19 && (r >= '0' && r <= '9' || r == '#') })
	in.SetFieldStyle(t.style(roleText)).SetLabelStyle(t.style(roleAccent))
	in.SetPlaceholderStyle(t.style(roleDim))
	in.SetBackgroundColor(t.bg)
	in.SetDoneFunc(u.onGotoDone)
	return in
}

// openGoto asks for a frame number.
func (u *UI) openGoto() {
	u.gotoOpen = true
	u.gotoInput.SetText("")
	u.layout()
	u.app.SetFocus(u.gotoInput)
}

func (u *UI) onGotoDone(key tcell.Key) {
	if key != tcell.KeyEnter && key != tcell.KeyEscape {
		return
	}
	text := strings.TrimPrefix(strings.TrimSpace(u.gotoInput.GetText()), "#")
	u.gotoOpen = false
	u.layout()
	u.app.SetFocus(u.sessions)
	if key == tcell.KeyEscape || text == "" {
		u.updateHint()
		return
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 1 {
		u.say(roleError, "frame "+sanitize.String(text)+"? Frames are numbered from 1")
		return
	}
	u.goToFrame(n)
}

// frameHit is where a frame is: the session holding it and whether one of
// its timeline events is that frame.
type frameHit struct {
	idx   int // index into the store's sessions, -1 when none holds it
	exact bool
	first int64 // the capture's SMTP frames, for the message when none does
	last  int64
}

// findFrame looks for frame n: a session with an event in that frame
// first, else one whose first..last frames include it. Call inside View.
func findFrame(ss []*session.Session, n int64) frameHit {
	h := frameHit{idx: -1}
	for i, s := range ss {
		if h.first == 0 || (s.FirstFrame > 0 && s.FirstFrame < h.first) {
			h.first = s.FirstFrame
		}
		h.last = max(h.last, s.LastFrame)
		if n < s.FirstFrame || n > s.LastFrame {
			continue
		}
		if hasFrame(s, n) {
			return frameHit{idx: i, exact: true}
		}
		if h.idx < 0 {
			h.idx = i
		}
	}
	return h
}

func hasFrame(s *session.Session, n int64) bool {
	for i := range s.Timeline {
		e := &s.Timeline[i]
		if e.Frame == n {
			return true
		}
		for _, f := range e.Frames {
			if f == n {
				return true
			}
		}
	}
	return false
}

// goToFrame selects the session holding frame n and the timeline line of
// that frame (or the last line before it: a frame with no event, such as
// a bare ACK, or one inside a collapsed run of records).
func (u *UI) goToFrame(n int64) {
	var h frameHit
	u.store.View(func(ss []*session.Session, _ *session.Progress) { h = findFrame(ss, n) })
	if h.idx < 0 {
		msg := "frame " + itoa64(n) + " is in no SMTP session"
		if h.last > 0 {
			msg += " (they span frames " + itoa64(h.first) + "–" + itoa64(h.last) + ")"
		}
		u.say(roleWarn, msg)
		return
	}
	pos := -1
	for r, idx := range u.view {
		if idx == h.idx {
			pos = r
		}
	}
	if pos < 0 {
		u.say(roleWarn, "frame "+itoa64(n)+" is in session #"+itoa64(u.rows[h.idx].stream)+", which the filter hides")
		return
	}
	u.sessions.Select(pos+1, 0)
	if h.idx != u.sel {
		u.selectSession(h.idx)
	}
	if u.streamMode {
		u.toggleStream()
	}
	best := -1
	for r := range u.lines {
		if f := u.lines[r].frame; f > 0 && f <= n {
			best = r
		}
	}
	if best >= 0 {
		u.timeline.Select(best, 0)
	}
	u.focus(u.timeline)
	if h.exact {
		u.say(roleText, "frame "+itoa64(n))
	} else {
		u.say(roleText, "frame "+itoa64(n)+" carries no SMTP or TLS event: the line before it is selected")
	}
}
