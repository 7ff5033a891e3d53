package tui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/gdamore/tcell/v2"

	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// openOverlay shows p centred over the main page, w×h cells at most: it
// never exceeds the screen (it is laid out again at every draw, so a
// resized terminal keeps it inside).
func (u *UI) openOverlay(kind overlayKind, p tview.Primitive, w, h int) {
	u.overlay = kind
	u.pages.AddPage("overlay", &overlayBox{Box: tview.NewBox(), inner: p, w: w, h: h}, true, true)
	u.overlayFocus = p
	u.app.SetFocus(p)
}

// overlayBox centres inner on the screen, clipped to the screen's size.
type overlayBox struct {
	*tview.Box
	inner tview.Primitive
	w, h  int
}

// Draw lays inner out inside the screen and draws it.
func (o *overlayBox) Draw(screen tcell.Screen) {
	x0, y0, sw, sh := o.GetRect()
	w, h := min(o.w, sw), min(o.h, sh)
	o.inner.SetRect(x0+(sw-w)/2, y0+(sh-h)/2, w, h)
	o.inner.Draw(screen)
}

// Focus gives the focus to inner.
func (o *overlayBox) Focus(delegate func(p tview.Primitive)) { delegate(o.inner) }

// HasFocus reports whether inner has the focus.
func (o *overlayBox) HasFocus() bool { return o.inner.HasFocus() }

// InputHandler is inner's.
func (o *overlayBox) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	return o.inner.InputHandler()
}

// MouseHandler is inner's.
func (o *overlayBox) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return o.inner.MouseHandler()
}

// textSize is the number of cells of the widest line of s and its number
// of lines.
func textSize(s string) (w, h int) {
	for _, l := range strings.Split(s, "\n") {
		w = max(w, width(l))
		h++
	}
	return w, h
}

// closeOverlay hides the overlay and gives the focus back to the panes.
func (u *UI) closeOverlay() {
	u.overlay = overlayNone
	u.pages.RemovePage("overlay")
	u.app.SetFocus(u.panes()[paneSessions])
}

// openFindings lists the selected session's findings, worst first (o
// switches to evidence order and back); enter jumps to the evidence.
func (u *UI) openFindings() {
	n, w := u.fillFindings()
	// As wide as the summaries need (up to the whole screen), as tall as
	// the list (the table scrolls past the screen's height).
	u.openOverlay(overlayFindings, u.findings, w, n+3)
}

// fillFindings fills the findings table in the chosen order and returns
// the number of rows after the header and the width the table needs.
func (u *UI) fillFindings() (rows, w int) {
	var fs []session.Finding
	u.withSelected(func(s *session.Session) {
		fs = slices.Clone(s.Findings)
		for i := range fs {
			fs[i].Frames = slices.Clone(fs[i].Frames)
		}
	})
	if u.findByTime {
		slices.SortStableFunc(fs, func(a, b session.Finding) int { return cmp.Compare(firstFrame(a), firstFrame(b)) })
		u.findings.SetTitle(" Findings by frame — enter jumps, o worst first, esc closes ")
	} else {
		slices.SortStableFunc(fs, func(a, b session.Finding) int { return b.Severity.Rank() - a.Severity.Rank() })
		u.findings.SetTitle(" Findings, worst first — enter jumps, o by frame, esc closes ")
	}
	t := u.theme
	u.findings.Clear()
	u.findings.SetCell(0, 0, cell("Severity", t.style(roleAccent)).SetSelectable(false))
	u.findings.SetCell(0, 1, cell("Code", t.style(roleAccent)).SetSelectable(false))
	u.findings.SetCell(0, 2, cell("Frames", t.style(roleAccent)).SetSelectable(false))
	u.findings.SetCell(0, 3, cell("Summary", t.style(roleAccent)).SetSelectable(false))
	if len(fs) == 0 {
		u.findings.SetCell(1, 1, cell("no findings for this session", t.style(roleDim)))
	}
	for i, f := range fs {
		st := t.style(severityRole(f.Severity))
		u.findings.SetCell(i+1, 0, cell(string(f.Severity), st).SetReference(f.Frames))
		u.findings.SetCell(i+1, 1, cell(f.Code, st))
		u.findings.SetCell(i+1, 2, cell(framesShort(f.Frames), t.style(roleDim)))
		u.findings.SetCell(i+1, 3, cell(f.Summary, t.style(roleText)).SetExpansion(1))
	}
	u.findings.Select(1, 0).ScrollToBeginning()
	w = 2 + width(u.findings.GetTitle()) + 2
	cols := 0
	for c := range 4 {
		cw := 0
		for r := range u.findings.GetRowCount() {
			if tc := u.findings.GetCell(r, c); tc != nil {
				cw = max(cw, width(tc.Text))
			}
		}
		cols += cw + 1
	}
	return max(len(fs), 1), max(w, cols+1)
}

// firstFrame is a finding's first evidence frame (0 when it has none).
func firstFrame(f session.Finding) int64 {
	if len(f.Frames) == 0 {
		return 0
	}
	return slices.Min(f.Frames)
}

// framesShort lists up to four frames ("7,8,13…").
func framesShort(fs []int64) string {
	s := ""
	for i, f := range fs {
		if i == 4 {
			return s + "…"
		}
		if i > 0 {
			s += ","
		}
		s += itoa64(f)
	}
	return s
}

// jumpToFinding selects the first timeline line with the finding's evidence.
func (u *UI) jumpToFinding(r int) {
	c := u.findings.GetCell(r, 0)
	frames, _ := c.GetReference().([]int64)
	u.closeOverlay()
	if len(frames) == 0 {
		return
	}
	target := -1
	u.withSelected(func(s *session.Session) {
		for i := range u.lines {
			ev := u.lines[i].event
			if u.lines[i].kind == lineEvent && ev >= 0 && ev < len(s.Timeline) && s.Timeline[ev].SharesFrame(frames) {
				target = i
				return
			}
		}
	})
	if u.streamMode {
		u.toggleStream()
	}
	if target >= 0 {
		u.timeline.Select(target, 0)
	}
	u.focus(u.timeline)
}
