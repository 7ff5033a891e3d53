package tui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// cell makes a table cell; every text reaches tview through sanitize.Tag so
// captured "[red]" stays literal.
func cell(text string, st tcell.Style) *tview.TableCell {
	c := tview.NewTableCell(sanitize.Tag(text)).SetStyle(st)
	// A cell whose style equals tcell.StyleDefault falls back to these.
	c.Color, c.BackgroundColor, c.Attributes = st.Decompose()
	return c
}

// sizedTable is a table that learns its width before drawing, so that the
// ladder can be drawn to fit.
type sizedTable struct {
	*tview.Table
	onWidth func(int)
}

func newSizedTable(content tview.TableContent, onWidth func(int)) *sizedTable {
	return &sizedTable{Table: tview.NewTable().SetContent(content), onWidth: onWidth}
}

// sessionsContent is the virtual content of the sessions table: row 0 is
// the header, row r > 0 is u.rows[u.view[r-1]]. Cells are made on demand,
// so only the visible rows cost anything.
type sessionsContent struct {
	tview.TableContentReadOnly
	u *UI
}

// GetRowCount returns the header plus the filtered sessions.
func (c *sessionsContent) GetRowCount() int { return len(c.u.view) + 1 }

// GetColumnCount returns the number of visible columns.
func (c *sessionsContent) GetColumnCount() int { return len(c.u.cols.vis) }

// GetCell makes the cell at (r, dc), dc counting visible columns. Every
// cell is padded or cut to its column's width, so widths never depend on
// the rows on screen.
func (c *sessionsContent) GetCell(r, dc int) *tview.TableCell {
	u := c.u
	if dc < 0 || dc >= len(u.cols.vis) {
		return nil
	}
	col := u.cols.vis[dc]
	w := u.cols.w[col]
	right := col == colStream || col == colCmds || col == colMsgs || col == colDur
	last := dc == len(u.cols.vis)-1
	if r == 0 {
		hc := cell(fit(u.columnHeader(col), w, false), u.theme.style(roleAccent).Bold(true)).SetSelectable(false)
		hc.SetClickedFunc(func() bool { u.sortBy(col); return true })
		if last {
			hc.SetExpansion(1)
		}
		return hc
	}
	if r-1 >= len(u.view) {
		return nil
	}
	rw := &u.rows[u.view[r-1]]
	st := u.theme.style(stateRole(rw.state))
	if col == colFinding && rw.worst != "" {
		st = u.theme.style(severityRole(rw.worstSev))
	}
	text := rw.cellText(col)
	switch {
	case col == colTLS && width(text) > w:
		text = rw.tlsShort
	case col == colFinding && width(text) > w:
		text = rw.worst // the colour still tells the severity
	}
	tc := cell(fit(text, w, right), st).SetMaxWidth(w)
	if last {
		tc.SetExpansion(1).SetMaxWidth(0)
	}
	return tc
}

// columnHeader is the title of column col with the sort arrow.
func (u *UI) columnHeader(col int) string {
	title := columnTitle(col)
	if col == u.sorting.col {
		if u.sorting.desc {
			return title + " ▼"
		}
		return title + " ▲"
	}
	return title
}

// noteWidths widens the natural column widths to fit r.
func (u *UI) noteWidths(r *row) {
	for c := range numCols {
		n := width(r.cellText(c))
		if c == colTLS {
			n = max(n, width(r.tlsShort))
		}
		if n > u.cols.nat[c] {
			u.cols.nat[c] = n
			u.cols.dirty = true
		}
	}
}

// setSessionsWidth lays the sessions columns out for an inner width w.
func (u *UI) setSessionsWidth(w int) {
	if w == u.cols.avail && !u.cols.dirty {
		return
	}
	u.cols.avail, u.cols.dirty = w, false
	nat := u.cols.nat
	for c := range numCols {
		nat[c] = max(nat[c], width(u.columnHeader(c)))
	}
	u.cols.vis, u.cols.w = layoutColumns(nat, w)
}

// deltaWidth is the width of the timeline's Δt column ("+123.4ms").
const deltaWidth = 8

// marginWidth is the width of the timeline's frame, time, delta, phase
// gutter and finding marker columns with their separators.
func (u *UI) marginWidth() int {
	return u.margin.frameWidth + 1 + u.margin.timeFmt.width() + 1 + deltaWidth + 1 + 1 + 1 + 1 + 1
}

// ladderContent is the virtual content of the timeline table: one row per
// ladder line, with the frame number, time (in the format T picks), Δt, a phase gutter, a finding marker ("!" in the
// colour of the worst finding whose evidence is on the line) and the
// ladder itself.
type ladderContent struct {
	tview.TableContentReadOnly
	u *UI
}

// GetRowCount returns the number of ladder lines.
func (c *ladderContent) GetRowCount() int { return len(c.u.lines) }

// GetColumnCount returns frame, time, delta, gutter, marker and ladder.
func (c *ladderContent) GetColumnCount() int { return 6 }

// GetCell makes the cell at (r, col).
func (c *ladderContent) GetCell(r, col int) *tview.TableCell {
	u := c.u
	if r < 0 || r >= len(u.lines) {
		return nil
	}
	l := &u.lines[r]
	t := u.theme
	switch col {
	case 0:
		f := ""
		if l.frame > 0 {
			f = itoa64(l.frame)
		}
		return cell(strings.Repeat(" ", max(0, u.margin.frameWidth-len(f)))+f, t.style(roleDim))
	case 1:
		return cell(pad(u.margin.timeFmt.format(l.time, u.margin.capStart, l.delta, l.hasDelta), u.margin.timeFmt.width()), t.style(roleDim))
	case 2:
		d := ""
		if l.hasDelta {
			d = delta(l.delta)
		}
		if n := deltaWidth - width(d); n > 0 {
			d = strings.Repeat(" ", n) + d
		}
		return cell(d, t.style(roleDim)).SetMaxWidth(deltaWidth)
	case 3:
		return cell("▌", t.phaseStyle(l.phase))
	case 4:
		if l.mark == "" {
			return cell(" ", t.style(roleText))
		}
		return cell("!", t.style(severityRole(l.mark)).Bold(true))
	case 5:
		st := t.style(roleClient)
		switch {
		case l.kind == lineBand:
			st = t.phaseStyle(l.phase).Bold(true)
		case l.kind == lineDivider:
			st = t.style(roleDivider).Bold(true)
		case l.kind == lineRun:
			st = t.style(roleDim)
		case l.dir == wire.ServerToClient:
			st = t.style(roleServer)
		}
		if l.locked {
			st = st.Italic(true)
		}
		return cell(ladderText(l, u.ladderWidth), st)
	}
	return nil
}

// streamContent is the virtual content of the stream table.
type streamContent struct {
	tview.TableContentReadOnly
	u *UI
}

// GetRowCount returns the number of stream lines.
func (c *streamContent) GetRowCount() int { return len(c.u.streamLines) }

// GetColumnCount returns frame, side and text.
func (c *streamContent) GetColumnCount() int { return 3 }

// GetCell makes the cell at (r, col).
func (c *streamContent) GetCell(r, col int) *tview.TableCell {
	u := c.u
	if r < 0 || r >= len(u.streamLines) {
		return nil
	}
	l := &u.streamLines[r]
	st := u.theme.style(roleClient)
	side := "C:"
	if l.dir == wire.ServerToClient {
		st, side = u.theme.style(roleServer), "S:"
	}
	switch {
	case l.marker: // TLS record boundaries and their bytes, TCP events
		st = u.theme.style(roleDim)
	case l.code >= 500:
		st = u.theme.style(roleError)
	case l.code >= 400:
		st = u.theme.style(roleWarn)
	}
	if l.locked {
		st = st.Italic(true)
	}
	switch col {
	case 0:
		f := ""
		if l.frame > 0 {
			f = itoa64(l.frame)
		}
		return cell(f, u.theme.style(roleDim)).SetAlign(tview.AlignRight)
	case 1:
		return cell(side, st)
	case 2:
		text := l.text
		if l.locked && !l.bytes {
			text = lockMark + text
		}
		return cell(text, st).SetExpansion(1)
	}
	return nil
}
