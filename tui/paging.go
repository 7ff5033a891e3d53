package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// pageKey returns +1 for a page-down key, -1 for page-up, 0 otherwise.
func pageKey(ev *tcell.EventKey) int {
	switch ev.Key() {
	case tcell.KeyPgDn, tcell.KeyCtrlF:
		return 1
	case tcell.KeyPgUp, tcell.KeyCtrlB:
		return -1
	}
	return 0
}

// pageTable scrolls t by one screenful of rows (dir +1 or -1) and moves its
// selection by the same amount, so that the selection keeps its place on
// the screen and no row is skipped or shown twice: from the top, page down
// shows the rows just under the last one that was visible. fixed is the
// number of header rows.
func pageTable(t *tview.Table, fixed, dir int) {
	_, _, _, h := t.GetInnerRect()
	page := max(h-fixed, 1)
	rows := t.GetRowCount()
	if rows <= fixed {
		return
	}
	off, col := t.GetOffset()
	sel, _ := t.GetSelection()
	newOff := min(max(off+dir*page, 0), max(rows-fixed-page, 0))
	newSel := min(max(sel+dir*page, fixed), rows-1)
	t.SetOffset(newOff, col)
	t.Select(newSel, 0)
}

// Draw reports the inner width, then draws the table. The table never
// "tracks its end": tview starts doing so whenever a table has fewer rows
// than its height, and then keeps the last row in view as rows are added,
// which opened big captures scrolled far past the selected session.
func (t *sizedTable) Draw(screen tcell.Screen) {
	if t.onWidth != nil {
		_, _, w, _ := t.GetInnerRect()
		t.onWidth(w)
	}
	r, c := t.GetOffset()
	t.SetOffset(r, c)
	t.Table.Draw(screen)
}
