package tui

import (
	"slices"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// detailTitle is the detail pane's title: the lesson page in lesson mode.
func (u *UI) detailTitle() string {
	if !u.teach {
		return " Detail "
	}
	if len(u.deck.pages) == 0 {
		return " Lesson "
	}
	t := " Lesson " + strconv.Itoa(u.deck.idx+1) + "/" + strconv.Itoa(len(u.deck.pages)) + " "
	if u.deck.tour != nil {
		if pos := slices.Index(u.view, u.sel); pos >= 0 {
			t = " Tour: session " + strconv.Itoa(pos+1) + "/" + strconv.Itoa(len(u.view)) + " ·" + t
		}
	}
	return t
}

// toggleTeach switches lesson mode on or off (t).
func (u *UI) toggleTeach() {
	u.teach = !u.teach
	u.deck.idx = 0
	u.layout() // the lesson's share
	u.updateHint()
	u.followLesson()
	u.withSelected(u.renderDetail)
	if u.teach {
		u.say(roleText, "lesson mode: ] n space next page, [ previous, t leaves")
	} else {
		u.say(roleText, "lesson mode off")
	}
}

// renderLesson shows the current lesson page. Call inside Store.View.
func (u *UI) renderLesson(s *session.Session) {
	u.deck.pages = stylePages(u.tourPages(s, lesson.Pages(s)), u.lines)
	u.deck.idx = min(max(u.deck.idx, 0), len(u.deck.pages)-1)
	u.detail.SetTitle(u.detailTitle())
	u.detail.SetText(detailText(u.theme, u.deck.pages[u.deck.idx].lines)).ScrollToBeginning()
}

// stepLesson moves to the next (1) or previous (-1) lesson page, and the
// timeline to the band the page explains (lesson mode only).
func (u *UI) stepLesson(dir int) {
	if !u.teach {
		return
	}
	if u.streamMode {
		u.toggleStream()
	}
	if len(u.deck.pages) == 0 {
		u.withSelected(u.renderDetail)
	}
	if len(u.deck.pages) == 0 {
		return
	}
	if u.tourStep(dir) {
		return // the tour went on to the next (or back to the previous) session
	}
	u.deck.idx = min(max(u.deck.idx+dir, 0), len(u.deck.pages)-1)
	u.showLessonPage()
}

// showLessonPage shows page lessonIdx and moves the timeline to the band
// it explains.
func (u *UI) showLessonPage() {
	u.deck.stepping = true
	if b := u.deck.pages[u.deck.idx].band; b >= 0 && b < len(u.lines) {
		u.phaseToTop(b) // the phase and its events in view, not on the last row
	} else if u.deck.idx == 0 {
		u.timeline.Select(0, 0).ScrollToBeginning()
	}
	u.deck.stepping = false
	if u.maximised == nil {
		u.focus(u.timeline)
	} // a maximised lesson stays maximised while paging
	u.withSelected(u.renderDetail)
}

// followLesson moves the lesson to the page of the phase band holding the
// timeline's selection, after the user moved it (j, k, a click, a jump).
func (u *UI) followLesson() {
	if !u.teach || u.deck.stepping || u.streamMode {
		return
	}
	r, _ := u.timeline.GetSelection()
	if r < 0 || r >= len(u.lines) {
		return
	}
	for i, p := range u.deck.pages {
		if p.band >= 0 && p.band <= r {
			u.deck.idx = i
		}
	}
}
