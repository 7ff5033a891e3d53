package tui

import (
	"os"
	"strconv"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// CompareUI is --teach --compare: two sessions side by side (a good one
// and its bad counterpart), stepped phase by phase with ] and [, what
// differs above them. Beside each other on a wide screen, one above the
// other under 110 columns.
type CompareUI struct {
	app                 *tview.Application
	theme               theme
	rows                []lesson.CompareRow
	idx                 int
	head, hint          *tview.TextView
	left, right         *tview.TextView
	root, panes         *tview.Flex
	narrow              bool
	width               int // the screen's, at the last draw
	leftName, rightName string
}

// NewCompare builds the side-by-side lesson of left and right
// (lesson.Compare) without starting it; opts gives the theme.
func NewCompare(left, right *session.Session, opts Options) *CompareUI {
	c := &CompareUI{app: tview.NewApplication(), theme: newTheme(opts.Theme, opts.NoColor),
		rows: lesson.Compare(left, right), leftName: compareName(left), rightName: compareName(right)}
	t := c.theme
	view := func() *tview.TextView {
		v := tview.NewTextView().SetDynamicColors(true).SetRegions(false).SetWrap(true).SetWordWrap(true).SetScrollable(true)
		v.SetTextStyle(t.style(roleText))
		v.SetBackgroundColor(t.bg)
		return v
	}
	c.head, c.left, c.right, c.hint = view(), view(), view(), view()
	for _, v := range []*tview.TextView{c.head, c.left, c.right} {
		v.SetBorder(true).SetTitleAlign(tview.AlignLeft).SetBorderStyle(t.style(roleDim)).SetTitleColor(t.color(roleAccent))
	}
	c.hint.SetTextStyle(t.style(roleDim))
	c.hint.SetText(sanitize.Tag("compare: ] n space next phase  [ previous  j k scroll both  g first  q quit"))
	c.panes = tview.NewFlex()
	c.root = tview.NewFlex().SetDirection(tview.FlexRow)
	c.layout()
	c.app.SetRoot(c.root, true).SetInputCapture(c.key)
	c.app.SetBeforeDrawFunc(func(s tcell.Screen) bool {
		if w, _ := s.Size(); w != c.width {
			c.width, c.narrow = w, w < narrowWidth
			c.layout()
		}
		return false
	})
	if opts.Title != "" {
		c.app.SetTitle("smtpscope compare — " + sanitize.String(opts.Title))
	}
	c.show()
	return c
}

// App returns the tview application, for tests (SetScreen).
func (c *CompareUI) App() *tview.Application { return c.app }

// Run runs the comparison until the user quits; it honours $NO_COLOR
// through the options given to NewCompare.
func (c *CompareUI) Run() error { return c.app.Run() }

// RunCompare builds and runs the comparison on the terminal.
func RunCompare(left, right *session.Session, opts Options) error {
	if os.Getenv("NO_COLOR") != "" {
		opts.NoColor = true
	}
	return NewCompare(left, right, opts).Run()
}

// compareName names a session in a pane title.
func compareName(s *session.Session) string {
	t := "#" + strconv.FormatInt(s.Stream, 10) + " " + s.Client.String() + " → " + s.Server.String()
	w := ""
	for _, f := range s.Findings {
		if w == "" || f.Severity.Rank() > session.Severity(w).Rank() {
			w = string(f.Severity)
		}
	}
	if w == "" {
		return t + " · no findings"
	}
	return t + " · worst " + w
}

// layout places the panes beside each other, or one above the other on a
// narrow screen, under the difference pane.
func (c *CompareUI) layout() {
	c.panes.Clear()
	if c.narrow {
		c.panes.SetDirection(tview.FlexRow)
	} else {
		c.panes.SetDirection(tview.FlexColumn)
	}
	c.panes.AddItem(c.left, 0, 1, false).AddItem(c.right, 0, 1, false)
	// The differences pane is as tall as its wrapped lines, within bounds.
	h := 2
	inner := max(c.width-2, 20)
	if c.idx < len(c.rows) {
		for _, t := range c.rows[c.idx].Diff {
			h += (width("≠ "+t) + inner - 1) / inner
		}
	}
	h = max(min(h, 8), 3)
	if c.narrow {
		h = min(h, 6)
	}
	c.root.Clear()
	c.root.AddItem(c.head, h, 0, false).AddItem(c.panes, 0, 1, false).AddItem(c.hint, 1, 0, false)
}

// show draws row idx.
func (c *CompareUI) show() {
	if len(c.rows) == 0 {
		return
	}
	r := c.rows[c.idx]
	c.head.SetTitle(sanitize.Tag(" Compare " + strconv.Itoa(c.idx+1) + "/" + strconv.Itoa(len(c.rows)) + " — " + r.Title + " "))
	var d []detailLine
	for _, t := range r.Diff {
		d = append(d, detailLine{roleWarn, "≠ " + t})
	}
	c.head.SetText(detailText(c.theme, d)).ScrollToBeginning()
	c.left.SetTitle(sanitize.Tag(" Left: " + c.leftName + " "))
	c.right.SetTitle(sanitize.Tag(" Right: " + c.rightName + " "))
	c.left.SetText(detailText(c.theme, comparePage(r.Left, r.Title))).ScrollToBeginning()
	c.right.SetText(detailText(c.theme, comparePage(r.Right, r.Title))).ScrollToBeginning()
	c.layout()
}

// comparePage styles one side's page, or says the phase is missing.
func comparePage(p *lesson.Page, title string) []detailLine {
	if p == nil {
		return []detailLine{{roleDim, "No " + title + " phase in this session at this point."}}
	}
	return lessonLines(p.Lines)
}

// key handles the comparison's keys.
func (c *CompareUI) key(ev *tcell.EventKey) *tcell.EventKey {
	step := func(d int) {
		c.idx = min(max(c.idx+d, 0), len(c.rows)-1)
		c.show()
	}
	switch ev.Key() {
	case tcell.KeyCtrlC:
		c.app.Stop()
	case tcell.KeyDown:
		c.scroll(1)
	case tcell.KeyUp:
		c.scroll(-1)
	case tcell.KeyPgDn:
		c.scroll(10)
	case tcell.KeyPgUp:
		c.scroll(-10)
	case tcell.KeyRune:
		switch ev.Rune() {
		case ']', 'n', ' ':
			step(1)
		case '[':
			step(-1)
		case 'g':
			step(-len(c.rows))
		case 'j':
			c.scroll(1)
		case 'k':
			c.scroll(-1)
		case 'q':
			c.app.Stop()
		}
	}
	return nil
}

// scroll moves both sides by n lines.
func (c *CompareUI) scroll(n int) {
	for _, v := range []*tview.TextView{c.left, c.right} {
		r, _ := v.GetScrollOffset()
		v.ScrollTo(max(r+n, 0), 0)
	}
}
