package tui

import "strconv"

// The lesson's share of the space beside (or under) the timeline, in
// percent: by default 40 beside it, as outside lesson mode, and 65 under
// it on a narrow screen (a projector at 80x24), where a page of 25 lines
// would otherwise show 6.
const (
	shareWide   = 40
	shareNarrow = 65
	shareStep   = 10
	shareMin    = 20
	shareMax    = 90
)

// lessonShare returns the lesson's share in percent.
func (u *UI) lessonShare() int {
	if u.deck.share != 0 {
		return u.deck.share
	}
	if u.narrow {
		return shareNarrow
	}
	return shareWide
}

// middleShares returns the flex proportions of the timeline and the
// detail pane: 3:2 outside lesson mode, the lesson's share in it.
func (u *UI) middleShares() (timeline, detail int) {
	if !u.teach {
		if u.narrow {
			return 1, 1
		}
		return 3, 2
	}
	s := u.lessonShare()
	return 100 - s, s
}

// teachSessionsRows is the fixed height of the sessions pane in lesson
// mode (on a narrow screen borders, header and two sessions), or 0 for the
// usual share: the lesson keeps the space it needs.
func (u *UI) teachSessionsRows() int {
	switch {
	case !u.teach:
		return 0
	case u.narrow:
		return 5
	}
	return 9 // borders, header and six sessions: the rest is timeline and lesson
}

// growLesson changes the lesson's share by dir steps (+ and -).
func (u *UI) growLesson(dir int) {
	if !u.teach {
		return
	}
	u.deck.share = min(max(u.lessonShare()+dir*shareStep, shareMin), shareMax)
	u.layout()
	u.say(roleText, "lesson "+strconv.Itoa(u.deck.share)+"% of the space (+ more, - less)")
}

// phaseToTop scrolls the timeline so that ladder line r (a phase band) is
// its first row, with the phase's events under it.
func (u *UI) phaseToTop(r int) {
	u.timeline.Select(r, 0)
	u.timeline.SetOffset(r, 0)
}

// scrollLesson scrolls the lesson by a page (dir 1 down, -1 up), leaving a
// line of the previous page in view.
func (u *UI) scrollLesson(dir int) {
	_, _, _, h := u.detail.GetInnerRect()
	r, _ := u.detail.GetScrollOffset()
	u.detail.ScrollTo(max(r+dir*max(h-1, 1), 0), 0)
}
