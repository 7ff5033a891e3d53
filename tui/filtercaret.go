package tui

import (
	"errors"
	"strings"

	"github.com/rivo/tview"

	flt "github.com/smtpscope/smtpscope/dissect/filter"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// newCaretLine makes the line shown under the filter field while the filter
// is invalid: a caret under the part of the filter the error is about.
func (u *UI) newCaretLine() *tview.TextView {
	c := tview.NewTextView().SetDynamicColors(true).SetRegions(false).SetWrap(false)
	c.SetTextStyle(u.theme.style(roleError))
	c.SetBackgroundColor(u.theme.bg)
	return c
}

// caretText is the caret line for err in filter src: spaces up to the
// column under the filter field (after its "/" label), carets under the
// culprit, then the reason. "" when err does not say where.
func caretText(src string, err error, screenW int) string {
	var fe *flt.Error
	if !errors.As(err, &fe) {
		return ""
	}
	off := min(max(fe.Offset, 0), len(src))
	end := min(off+fe.Len, len(src))
	col := 1 + width(sanitize.String(src[:off])) // after the "/" label
	n := max(1, width(sanitize.String(src[off:end])))
	if screenW > 0 && col >= screenW {
		col = screenW - 1
	}
	msg := "^" + strings.Repeat("~", n-1) + " " + fe.Msg
	if screenW > 0 && col+width(msg) > screenW && col > screenW/2 {
		// Too little room after the caret: the reason goes before it.
		lead := fe.Msg + " "
		if w := width(lead); w < col {
			return strings.Repeat(" ", col-w) + sanitize.Tag(lead) + "^" + strings.Repeat("~", n-1)
		}
	}
	return strings.Repeat(" ", col) + sanitize.Tag(msg)
}

// showCaret shows (err != nil) or hides the caret line under the filter.
func (u *UI) showCaret(src string, err error) {
	text := ""
	if err != nil {
		text = caretText(src, err, u.screenW)
	}
	u.caret.SetText(text)
	if shown := text != ""; shown != u.caretShown {
		u.caretShown = shown
		u.layout()
		u.app.SetFocus(u.input)
	}
}
