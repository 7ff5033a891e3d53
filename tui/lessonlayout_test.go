package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/pcaps"
)

// layoutNow returns the detail pane's inner height and the timeline's
// first shown row, as last drawn.
func (h *appHarness) layoutNow() (detailRows, timelineTop int) {
	h.u.App().QueueUpdate(func() {
		_, _, _, detailRows = h.u.detail.GetInnerRect()
		timelineTop, _ = h.u.timeline.GetOffset()
	})
	return
}

// rowAfter returns the screen row just under the one containing marker.
func rowAfter(screen, marker string) string {
	rows := strings.Split(screen, "\n")
	for i, r := range rows {
		if strings.Contains(r, marker) && i+1 < len(rows) {
			return rows[i+1]
		}
	}
	return ""
}

// TestProjectorLayout: at 80x24 and 160x45 the lesson keeps the space it
// needs, the phase a page explains is the timeline's first row, \ keeps
// the lesson maximised while ] and [ page, and + and - change its share
// (issue 17, defect 3).
func TestProjectorLayout(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		st := readSample(t, pcaps.Demo(), samplePath(pcaps.KeyLog(pcaps.Demo())))
		h := startApp(t, New(st, Options{Teach: true, Title: "demo"}), sz[0], sz[1])
		h.waitText("Lesson 1/")
		rows, _ := h.layoutNow()
		if want := map[int]int{24: 10, 45: 25}[sz[1]]; rows < want {
			t.Errorf("%dx%d: the lesson has %d rows, want at least %d", sz[0], sz[1], rows, want)
		}

		// ] to the STARTTLS page: its band is the timeline's top row.
		stepToPage(t, h, "STARTTLS")
		if sz[1] == 24 {
			// PgDn scrolls the page being taught, not the timeline.
			h.key(tcell.KeyPgDn, 0)
			h.waitFor("the lesson scrolled", func(string) bool {
				var r int
				h.u.App().QueueUpdate(func() { r, _ = h.u.detail.GetScrollOffset() })
				return r > 0
			})
			h.key(tcell.KeyPgUp, 0)
			h.waitText("— STARTTLS")
		}
		scr := h.waitFor("the phase at the top", func(s string) bool {
			return strings.Contains(rowAfter(s, "Timeline — "), "━━ starttls")
		})
		_, top := h.layoutNow()
		var band int
		h.u.App().QueueUpdate(func() { band = h.u.deck.pages[h.u.deck.idx].band })
		if top != band {
			t.Errorf("%dx%d: timeline offset %d, the page's band is line %d:\n%s", sz[0], sz[1], top, band, scr)
		}

		// \ projects the lesson; ] and [ keep it so.
		h.key(tcell.KeyRune, '\\')
		h.waitFor("the lesson alone", func(s string) bool {
			return !strings.Contains(s, "Sessions") && strings.Contains(s, "╔ Lesson ")
		})
		h.key(tcell.KeyRune, ']')
		h.waitText("— Opportunistic or required TLS")
		h.key(tcell.KeyRune, '[')
		scr = h.waitText("— STARTTLS")
		if strings.Contains(scr, "Timeline") || strings.Contains(scr, "Sessions") {
			t.Errorf("%dx%d: paging undid the maximised lesson:\n%s", sz[0], sz[1], scr)
		}
		h.key(tcell.KeyRune, '\\')
		h.waitText("Sessions")

		// + and - change the lesson's share (its height under the
		// timeline at 80x24, its width beside it at 160x45).
		before := h.detailArea()
		h.key(tcell.KeyRune, '+')
		h.waitText("lesson ")
		h.waitFor("a bigger lesson", func(string) bool { return h.detailArea() > before })
		h.key(tcell.KeyRune, '-')
		h.key(tcell.KeyRune, '-')
		h.waitFor("a smaller lesson", func(string) bool { return h.detailArea() < before })
	}
}

// detailArea is the detail pane's inner area in cells, as last drawn.
func (h *appHarness) detailArea() int {
	var w, ht int
	h.u.App().QueueUpdate(func() { _, _, w, ht = h.u.detail.GetInnerRect() })
	return w * ht
}
