package tui

import (
	"strconv"

	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/lesson"
)

// openIndex lists the pages of the selected session's lesson (i): number,
// kind and title; enter opens the page, esc closes.
func (u *UI) openIndex() {
	if !u.teach {
		u.say(roleText, "i lists the lesson's pages in lesson mode (t)")
		return
	}
	if len(u.deck.pages) == 0 {
		u.withSelected(u.renderDetail)
	}
	if len(u.deck.pages) == 0 {
		return
	}
	if u.index == nil {
		u.index = tview.NewTable().SetSelectable(true, false)
		u.index.SetSelectedFunc(func(r, _ int) { u.openIndexPage(r) })
		u.index.SetBordersColor(u.theme.color(roleDim))
		u.pane(u.index.Box, " Lesson pages — enter opens, esc closes ")
	}
	t := u.theme
	u.index.Clear()
	w := width(u.index.GetTitle()) + 4
	for i, p := range u.deck.pages {
		num := strconv.Itoa(i+1) + "."
		kind := pageKindName(p.kind)
		st := t.style(roleText)
		if i == u.deck.idx {
			st = t.style(roleAccent)
		}
		u.index.SetCell(i, 0, cell(num, t.style(roleDim)).SetAlign(tview.AlignRight))
		u.index.SetCell(i, 1, cell(kind, t.style(roleDim)))
		u.index.SetCell(i, 2, cell(p.title, st).SetExpansion(1))
		w = max(w, width(num)+width(kind)+width(p.title)+6)
	}
	u.index.Select(u.deck.idx, 0)
	u.openOverlay(overlayIndex, u.index, w, len(u.deck.pages)+2)
}

// openIndexPage closes the index and shows page r.
func (u *UI) openIndexPage(r int) {
	u.closeOverlay()
	if r < 0 || r >= len(u.deck.pages) {
		return
	}
	u.deck.idx = r
	u.showLessonPage()
}

// pageKindName says what a page is, for the index.
func pageKindName(k lesson.PageKind) string {
	switch k {
	case lesson.Phase:
		return "phase"
	case lesson.Concept:
		return "concept"
	case lesson.Summary:
		return "summary"
	case lesson.TourIntro:
		return "tour"
	case lesson.Check, lesson.Answers:
		return "check"
	}
	return "intro"
}
