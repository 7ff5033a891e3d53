package tui

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// withSelected runs fn on the selected session inside Store.View. It must
// not be called from inside another View (read locks do not nest safely).
func (u *UI) withSelected(fn func(s *session.Session)) {
	if u.sel < 0 {
		return
	}
	u.store.View(func(ss []*session.Session, _ *session.Progress) {
		if u.sel < len(ss) {
			fn(ss[u.sel])
		}
	})
}

// onSessionRow follows the sessions table's selection.
func (u *UI) onSessionRow(r int) {
	if u.syncing || r < 1 || r-1 >= len(u.view) {
		return
	}
	if idx := u.view[r-1]; idx != u.sel {
		u.selectSession(idx)
	}
}

// selectSession makes session idx the selected one and renders it.
func (u *UI) selectSession(idx int) {
	u.sel = idx
	u.deck.idx = 0
	clear(u.expanded)
	u.lines, u.streamLines = nil, nil
	u.timeline.Select(0, 0).ScrollToBeginning()
	u.streamTab.Select(0, 0).ScrollToBeginning()
	u.withSelected(u.renderSession)
}

// renderSession renders the ladder, the stream and the detail of s. Call
// inside Store.View.
func (u *UI) renderSession(s *session.Session) {
	u.selComplete = s.Complete
	u.lines = ladder(s, u.expanded)
	u.margin.frameWidth = frameWidthOf(u.lines)
	u.streamLines = streamLines(s, u.streamView, u.hexRow())
	u.timeline.SetTitle(" Timeline — " + sanitize.Tag(s.Client.String()+" → "+s.Server.String()) + " ")
	u.renderDetail(s)
}

// renderDetail shows the detail of the selected line of the visible pane.
// Call inside Store.View.
func (u *UI) renderDetail(s *session.Session) {
	if u.teach {
		u.renderLesson(s)
		return
	}
	u.detail.SetTitle(u.detailTitle())
	var l line
	if u.streamMode {
		r, _ := u.streamTab.GetSelection()
		if r < 0 || r >= len(u.streamLines) {
			u.detail.SetText("")
			return
		}
		l = line{kind: lineEvent, event: u.streamLines[r].event}
	} else {
		r, _ := u.timeline.GetSelection()
		if r < 0 || r >= len(u.lines) {
			u.detail.SetText(sessionSummaryText(u.theme, s))
			return
		}
		l = u.lines[r]
	}
	u.detail.SetText(detailText(u.theme, detail(s, &l))).ScrollToBeginning()
}

// showDetail follows the timeline's or the stream's selection.
func (u *UI) showDetail() {
	u.followLesson()
	u.withSelected(u.renderDetail)
}

// detailText renders detail lines for a dynamic-colour text view: colour
// tags are ours, every text goes through sanitize.Tag.
func detailText(t theme, lines []detailLine) string {
	var b strings.Builder
	for _, l := range lines {
		if l.Role != roleText {
			b.WriteString(t.tag(l.Role))
		}
		b.WriteString(sanitize.Tag(l.Text))
		if l.Role != roleText {
			b.WriteString(t.reset(l.Role))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// sessionSummaryText is the detail pane of a session with no events yet.
func sessionSummaryText(t theme, s *session.Session) string {
	r := summarize(0, s)
	return detailText(t, []detailLine{
		{roleAccent, "Session " + r.peers},
		{roleText, "Role: " + string(r.role)},
		{roleText, "TLS: " + r.tls},
		{roleDim, "No events yet."},
	})
}

// setLadderWidth re-flows the ladder when the timeline's width changed.
func (u *UI) setLadderWidth(w int) {
	u.margin.width = w
	if lw := max(w-u.marginWidth(), 12); lw != u.ladderWidth {
		u.ladderWidth = lw
	}
}
