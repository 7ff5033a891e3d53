package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/session"
)

var smallSizes = [][2]int{{80, 24}, {60, 20}}

// press sends key k to whatever the application's capture and the focused
// primitive make of it, as tview would, then redraws.
func press(u *UI, s tcell.SimulationScreen, k tcell.Key, r rune) {
	ev := u.capture(tcell.NewEventKey(k, r, tcell.ModNone))
	if ev != nil {
		if h := u.app.GetFocus().InputHandler(); h != nil {
			h(ev, func(p tview.Primitive) { u.app.SetFocus(p) })
		}
	}
	redraw(u, s)
}

func screenText(s tcell.SimulationScreen) string { return strings.Join(screenRows(s), "\n") }

// Regression: a table that once had fewer rows than its height "tracked
// its end" as rows arrived, so a big capture opened scrolled to #2047 with
// no row highlighted.
func TestSessionsOpenAtTheSelectedSession(t *testing.T) {
	st := bigStore(2)
	u := New(st, Options{})
	s := drawOn(t, u, 80, 24)
	st.Update(func(add func(*session.Session), p *session.Progress) {
		for i := 2; i < 2100; i++ {
			add(&session.Session{Stream: int64(i), Client: session.Endpoint{IP: "10.1.2.3", Port: uint16(2000 + i)},
				Server: session.Endpoint{IP: "192.0.2.1", Port: 25}, Complete: true})
		}
	})
	u.refresh(false)
	redraw(u, s)
	rows := screenRows(s)
	if !strings.Contains(rows[2], " 0 10.0.0.0:1024 ") {
		t.Fatalf("first row is not session 0:\n%s", screenText(s))
	}
	cells, w, _ := s.GetContents()
	if _, _, attr := cells[2*w+5].Style.Decompose(); attr&tcell.AttrReverse == 0 {
		t.Errorf("session 0's row is not highlighted:\n%s", screenText(s))
	}
}

// PgDn from the top shows the rows just under the last visible one, with
// the selection on the first of them: none skipped, none twice.
func TestPageDownMovesOneScreenful(t *testing.T) {
	u := New(bigStore(100), Options{})
	s := drawOn(t, u, 80, 24)
	last := lastStreamOnScreen(t, s)
	press(u, s, tcell.KeyPgDn, 0)
	if got := firstStreamOnScreen(t, s); got != last+1 {
		t.Errorf("after PgDn the first row is #%d, want #%d:\n%s", got, last+1, screenText(s))
	}
	if r, _ := u.sessions.GetSelection(); r-1 != last+1 {
		t.Errorf("after PgDn the selection is on #%d, want #%d", r-1, last+1)
	}
	press(u, s, tcell.KeyPgUp, 0)
	if got := firstStreamOnScreen(t, s); got != 0 {
		t.Errorf("after PgUp the first row is #%d, want #0", got)
	}
}

func sessionRowStreams(t *testing.T, s tcell.SimulationScreen) []int {
	t.Helper()
	var out []int
	for _, r := range screenRows(s) {
		f := strings.Fields(strings.Trim(r, "║"))
		if len(f) > 2 && f[2] == "→" {
			if n, err := strconv.Atoi(f[0]); err == nil {
				out = append(out, n)
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no session rows on screen:\n%s", screenText(s))
	}
	return out
}

func firstStreamOnScreen(t *testing.T, s tcell.SimulationScreen) int {
	return sessionRowStreams(t, s)[0]
}

func lastStreamOnScreen(t *testing.T, s tcell.SimulationScreen) int {
	r := sessionRowStreams(t, s)
	return r[len(r)-1]
}

// Column widths come from every row, not the rows on screen: scrolling to
// a wide IPv6 row does not move the header.
func TestSessionColumnsDoNotJump(t *testing.T) {
	ss := []*session.Session{}
	for i := range 40 {
		ss = append(ss, plainSubmission(int64(i), "192.0.2."+strconv.Itoa(i)))
	}
	v6 := plainSubmission(40, "192.0.2.1")
	v6.Client = session.Endpoint{IP: "2001:db8:1000:abcd:1234:5678:9abc:def0", Port: 50000}
	ss = append(ss, v6)
	u := New(storeOf(ss...), Options{})
	s := drawOn(t, u, 200, 50)
	header := screenRows(s)[1]
	press(u, s, tcell.KeyEnd, 0)
	if got := screenRows(s)[1]; got != header {
		t.Errorf("header moved after scrolling:\n%s\n%s", header, got)
	}
	if !screenHas(s, "[2001:db8:1000:abcd:1234:5678:9abc:def0]:50000 → ") {
		t.Errorf("IPv6 row cut:\n%s", screenText(s))
	}
}

// At 80x24 and 60x20 the sessions table keeps the finding column and a
// duration that reads right.
func TestSmallScreensSessions(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(storeOf(startTLSSession(), plainSubmission(1, "192.0.2.20"), implicitSession(2)), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		txt := screenText(s)
		for _, want := range []string{"Worst", "57.0ms", "auth."} {
			if !strings.Contains(txt, want) {
				t.Errorf("%dx%d: sessions lack %q:\n%s", sz[0], sz[1], want, txt)
			}
		}
		if strings.Contains(txt, "m…") {
			t.Errorf("%dx%d: a cut duration:\n%s", sz[0], sz[1], txt)
		}
	}
}

// overlayInside checks that the box whose title starts with title lies
// inside the screen: its top-right and bottom corners are drawn.
func overlayInside(t *testing.T, s tcell.SimulationScreen, title string) {
	t.Helper()
	rows := screenRows(s)
	top := -1
	for y, r := range rows {
		if strings.Contains(r, "╔ "+title) {
			top = y
		}
	}
	if top < 0 {
		t.Fatalf("no %q box:\n%s", title, screenText(s))
	}
	if !strings.HasSuffix(strings.TrimRight(rows[top], " "), "╗") && !strings.Contains(rows[top], "╗") {
		t.Errorf("%q box has no top-right corner on screen:\n%s", title, screenText(s))
	}
	found := false
	for _, r := range rows[top+1:] {
		if strings.Contains(r, "╚") && strings.Contains(r, "╝") {
			found = true
		}
	}
	if !found {
		t.Errorf("%q box has no bottom corners on screen:\n%s", title, screenText(s))
	}
}

func TestOverlaysFitSmallScreens(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(storeOf(startTLSSession(), plainSubmission(1, "192.0.2.20")), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		press(u, s, tcell.KeyRune, '?')
		overlayInside(t, s, "Help")
		// The help scrolls to its last line, then any other key closes it.
		for range 10 {
			press(u, s, tcell.KeyPgDn, 0)
		}
		if !screenHas(s, "any other key closes it") {
			t.Errorf("%dx%d: help did not scroll to its end:\n%s", sz[0], sz[1], screenText(s))
		}
		press(u, s, tcell.KeyRune, 'x')
		if u.overlay != overlayNone {
			t.Errorf("%dx%d: x did not close the help", sz[0], sz[1])
		}
		press(u, s, tcell.KeyRune, 'f')
		overlayInside(t, s, "Findings")
		press(u, s, tcell.KeyEscape, 0)
	}
}

// The findings overlay uses the free width: a summary is not cut when the
// screen has room for it.
func TestFindingsOverlayUsesFreeWidth(t *testing.T) {
	u := New(storeOf(startTLSSession()), Options{})
	s := drawOn(t, u, 200, 50)
	press(u, s, tcell.KeyRune, 'f')
	var sum string
	u.withSelected(func(ss *session.Session) {
		if len(ss.Findings) > 0 {
			sum = ss.Findings[0].Summary
		}
	})
	if sum == "" {
		t.Fatal("the fixture session has no finding to show")
	}
	if !screenHas(s, sum) {
		t.Errorf("summary %q cut:\n%s", sum, screenText(s))
	}
}

func TestFitDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{269600 * time.Microsecond, "270ms"},
		{57 * time.Millisecond, "57.0ms"},
		{9876 * time.Microsecond, "9.88ms"},
		{850 * time.Microsecond, "850µs"},
		{2690 * time.Millisecond, "2.69s"},
		{26900 * time.Millisecond, "26.9s"},
		{245 * time.Second, "4m05s"},
		{3*time.Hour + 5*time.Minute, "3h05m"},
		{51 * time.Hour, "2d03h"},
		{999999 * time.Microsecond, "1.00s"},
	}
	for _, tt := range tests {
		if got := fitDuration(tt.d); got != tt.want || width(got) > 6 {
			t.Errorf("fitDuration(%v) = %q, want %q (≤ 6 cells)", tt.d, got, tt.want)
		}
	}
}

func TestLayoutColumnsKeepsTheFindingAt80(t *testing.T) {
	nat := [numCols]int{4, 38, 10, 15, 4, 4, 6, 40}
	vis, w := layoutColumns(nat, 78)
	if !slices.Contains(vis, colFinding) || w[colFinding] < 14 {
		t.Errorf("layoutColumns at 78 = %v %v: the finding column is missing or too narrow", vis, w)
	}
	total := -1
	for _, c := range vis {
		total += w[c] + 1
	}
	if total > 78 {
		t.Errorf("layoutColumns at 78 uses %d cells", total)
	}
}

func TestCompletePath(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"demo.keys", "demo.pcap", "other.keys"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	tests := []struct {
		in, want string
		n        int
	}{
		{dir + "/o", dir + "/other.keys", 1},
		{dir + "/de", dir + "/demo.", 2},
		{dir + "/s", dir + "/sub/", 1},
		{dir + "/zz", dir + "/zz", 0},
	}
	for _, tt := range tests {
		got, names := completePath(tt.in)
		if got != tt.want || len(names) != tt.n {
			t.Errorf("completePath(%q) = %q, %q; want %q with %d names", tt.in, got, names, tt.want, tt.n)
		}
	}
	t.Setenv("HOME", dir)
	if got := expandHome("~/demo.keys"); got != dir+"/demo.keys" {
		t.Errorf("expandHome = %q", got)
	}
	if got, _ := completePath("~/oth"); got != "~/other.keys" {
		t.Errorf("completePath(~/oth) = %q", got)
	}
}

// TestHelpWrapsUnderItsColumn: at 80 columns a key's long description
// wraps under the description column, not under the keys.
func TestHelpWrapsUnderItsColumn(t *testing.T) {
	h := startApp(t, New(storeOf(startTLSSession()), Options{}), 80, 60)
	h.waitText("Timeline — 192.0.2.10:40000")
	h.key(tcell.KeyRune, '?')
	txt := h.waitText("sort sessions by the next column")
	lines := strings.Split(txt, "\n")
	for i, ln := range lines {
		if !strings.Contains(ln, "sort sessions by the next column") {
			continue
		}
		next := lines[i+1]
		inner := strings.TrimPrefix(strings.TrimPrefix(next, "║"), "│")
		if !strings.HasPrefix(inner, strings.Repeat(" ", 13)) || strings.TrimSpace(inner) == "" {
			t.Errorf("the wrapped rest of the description is not under its column:\n%s\n%s", ln, next)
		}
		return
	}
	t.Fatalf("help line not found:\n%s", txt)
}
