package tui

import (
	"slices"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// tourState is the guided walk of --teach --tour: every session's lesson
// in the sessions table's order, one after the other, opened by a page
// naming the sessions and closed by a self-check answered from the
// capture. Its pages are rebuilt from the store at every refresh.
type tourState struct {
	first, last int // store indices of the first and last session of the walk; -1 when none
	intro       lesson.Page
	check       []lesson.Page // the questions, then the answers
}

// tourSessions rebuilds the tour's own pages from ss in the table's order.
// Call inside Store.View (refresh does).
func (u *UI) tourSessions(ss []*session.Session) {
	if u.deck.tour == nil {
		return
	}
	walk := make([]*session.Session, 0, len(u.view))
	for _, i := range u.view {
		if i < len(ss) {
			walk = append(walk, ss[i])
		}
	}
	u.deck.tour.first, u.deck.tour.last = -1, -1
	if len(walk) == 0 {
		return
	}
	u.deck.tour.first, u.deck.tour.last = u.view[0], u.view[len(walk)-1]
	u.deck.tour.intro = lesson.TourPage(walk)
	q, a := lesson.SelfCheck(walk)
	u.deck.tour.check = []lesson.Page{q, a}
}

// tourPages adds the tour's pages to the lesson of s: the tour's first
// page before the first session's, the self-check after the last's.
func (u *UI) tourPages(s *session.Session, pages []lesson.Page) []lesson.Page {
	if u.deck.tour == nil || u.deck.tour.first < 0 {
		return pages
	}
	if u.sel == u.deck.tour.first {
		pages = append([]lesson.Page{u.deck.tour.intro}, pages...)
	} else if len(pages) > 0 && pages[0].Kind == lesson.Intro {
		// The ports and roles were taught with the first session: later
		// ones open with what is particular to them.
		pages[0] = lesson.SessionIntro(s)
	}
	if u.sel == u.deck.tour.last {
		pages = append(pages, u.deck.tour.check...)
	}
	return pages
}

// tourStep goes on to the next session's first page from the last page of
// a session (dir 1), or back to the previous session's last page from the
// first (dir -1), and reports whether it did.
func (u *UI) tourStep(dir int) bool {
	if u.deck.tour == nil {
		return false
	}
	pos := slices.Index(u.view, u.sel)
	switch {
	case pos < 0:
		return false
	case dir > 0 && u.deck.idx == len(u.deck.pages)-1 && pos+1 < len(u.view):
		u.openTourSession(pos+1, false)
	case dir < 0 && u.deck.idx == 0 && pos > 0:
		u.openTourSession(pos-1, true)
	default:
		return false
	}
	return true
}

// openTourSession selects the session at position pos of the table and
// shows its first page, or its last when atEnd.
func (u *UI) openTourSession(pos int, atEnd bool) {
	u.sessions.Select(pos+1, 0) // row 0 is the header; selects and renders the session
	if u.view[pos] != u.sel {
		u.selectSession(u.view[pos])
	}
	u.deck.idx = 0
	u.withSelected(u.renderDetail)
	if atEnd {
		u.deck.idx = len(u.deck.pages) - 1
	}
	u.showLessonPage()
	u.say(roleText, "tour: session "+sessionName(u, pos))
}

// sessionName is the table row's peers, for the hint bar.
func sessionName(u *UI, pos int) string {
	if pos < 0 || pos >= len(u.view) || u.view[pos] >= len(u.rows) {
		return ""
	}
	return u.rows[u.view[pos]].peers
}
