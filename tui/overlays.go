package tui

import (
	"cmp"
	"slices"

	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// openOverlay shows p centred over the main page.
func (u *UI) openOverlay(name string, p tview.Primitive, w, h int) {
	u.overlay = name
	grid := tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 0, 1, false).AddItem(p, h, 1, true).AddItem(nil, 0, 1, false), w, 1, true).
		AddItem(nil, 0, 1, false)
	u.pages.AddPage("overlay", grid, true, true)
	u.app.SetFocus(p)
}

// closeOverlay hides the overlay and gives the focus back to the panes.
func (u *UI) closeOverlay() {
	u.overlay = ""
	u.pages.RemovePage("overlay")
	u.app.SetFocus(u.panes()[0])
}

// openFindings lists the selected session's findings, worst first (o
// switches to evidence order and back); enter jumps to the evidence.
func (u *UI) openFindings() {
	n := u.fillFindings()
	u.openOverlay("findings", u.findings, 100, min(n+4, 20))
}

// fillFindings fills the findings table in the chosen order and returns
// the number of findings.
func (u *UI) fillFindings() int {
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
	return len(fs)
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
			if u.lines[i].kind == lineEvent && ev >= 0 && ev < len(s.Timeline) && sharesFrame(frames, &s.Timeline[ev]) {
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
