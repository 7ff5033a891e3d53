package tui

// Sessions-table column layout. The widths come from every row the table
// has held (never only the rows on screen), so they do not jump while
// scrolling; when the pane is too narrow, columns shrink and then the least
// useful ones are hidden, in a fixed order, so that the worst finding stays
// visible at 80 columns.

// columnCap is the widest column c is drawn, whatever its rows hold (0:
// no cap).
func columnCap(c int) int {
	switch c {
	case colPeers:
		return 60
	case colFinding:
		return 48
	}
	return 0
}

// layoutStep is one way of making the columns fit: shrink col to min cells,
// or (min < 0) hide it.
type layoutStep struct {
	col, min int
}

// fitSteps are tried in order until the columns fit.
func fitSteps() []layoutStep {
	return []layoutStep{
		{colFinding, 24},
		{colRole, -1},
		{colCmds, -1},
		{colTLS, 8}, // the short form ("STLS 1.3") fits 8
		{colFinding, 14},
		{colPeers, 30},
		{colMsgs, -1},
		{colPeers, 22},
		{colFinding, 8},
		{colPeers, 12},
	}
}

// layoutColumns returns the visible columns in order and their widths for
// natural widths nat and avail cells (one cell separates two columns).
func layoutColumns(nat [numCols]int, avail int) (vis []int, w [numCols]int) {
	shown := [numCols]bool{}
	for c := range numCols {
		w[c] = nat[c]
		if cp := columnCap(c); cp > 0 {
			w[c] = min(w[c], cp)
		}
		shown[c] = true
	}
	total := func() int {
		t := -1
		for c := range numCols {
			if shown[c] {
				t += w[c] + 1
			}
		}
		return t
	}
	for _, st := range fitSteps() {
		excess := total() - avail
		if excess <= 0 {
			break
		}
		if st.min < 0 {
			shown[st.col] = false
			continue
		}
		if w[st.col] > st.min {
			w[st.col] = max(st.min, w[st.col]-excess)
		}
	}
	for c := range numCols {
		if shown[c] {
			vis = append(vis, c)
		} else {
			w[c] = 0
		}
	}
	return vis, w
}

// fit pads or cuts s to exactly n cells, right-aligned when right is set.
func fit(s string, n int, right bool) string {
	s = truncate(s, n)
	gap := n - width(s)
	if gap <= 0 {
		return s
	}
	sp := spaces(gap)
	if right {
		return sp + s
	}
	return s + sp
}

func spaces(n int) string {
	const blank = "                                                                "
	if n <= len(blank) {
		return blank[:n]
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}
