package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// shifted moves a fixture session's frames by off (fixtures all start at
// frame 1), as if sessions had interleaved in one capture.
func shifted(s *session.Session, off int64) *session.Session {
	s.FirstFrame += off
	s.LastFrame += off
	for i := range s.Timeline {
		s.Timeline[i].Frame += off
	}
	return s
}

// gotoStore: session 0 in frames 1–26, session 1 in frames 101–124.
func gotoStore() *session.Store {
	return storeOf(startTLSSession(), shifted(plainSubmission(1, "192.0.2.20"), 100))
}

func typeKeys(u *UI, s tcell.SimulationScreen, text string) {
	for _, r := range text {
		press(u, s, tcell.KeyRune, r)
	}
}

// ':' N enter selects the session holding frame N and its timeline line;
// the frame column shows it; at 80x24 and 60x20.
func TestGoToFrame(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(gotoStore(), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		press(u, s, tcell.KeyRune, ':')
		if !screenHas(s, "go to frame: ") {
			t.Fatalf("%dx%d: no go-to-frame field:\n%s", sz[0], sz[1], screenText(s))
		}
		typeKeys(u, s, "111")
		press(u, s, tcell.KeyEnter, 0)
		if u.sel != 1 {
			t.Fatalf("%dx%d: frame 111 selected session %d, want 1", sz[0], sz[1], u.sel)
		}
		r, _ := u.timeline.GetSelection()
		if l := u.lines[r]; l.frame != 111 {
			t.Errorf("%dx%d: the selected line is frame %d (%q), want 111", sz[0], sz[1], l.frame, l.label)
		}
		// The frame column: the selected row starts with the frame number.
		found := false
		for _, row := range screenRows(s) {
			if strings.Contains(row, "111 12:00:00.") && strings.Contains(row, "RCPT") {
				found = true
			}
		}
		if !found {
			t.Errorf("%dx%d: no timeline row with frame 111 and RCPT:\n%s", sz[0], sz[1], screenText(s))
		}
		// ctrl-g, a frame of the other session.
		press(u, s, tcell.KeyCtrlG, 0)
		typeKeys(u, s, "5")
		press(u, s, tcell.KeyEnter, 0)
		if r, _ := u.timeline.GetSelection(); u.sel != 0 || u.lines[r].frame != 5 {
			t.Errorf("%dx%d: ctrl-g 5: session %d line frame %d", sz[0], sz[1], u.sel, u.lines[r].frame)
		}
		// A frame no session holds says so; the selection stays.
		press(u, s, tcell.KeyRune, ':')
		typeKeys(u, s, "60")
		press(u, s, tcell.KeyEnter, 0)
		if !screenHas(s, "frame 60 is in no SMTP session") || u.sel != 0 {
			t.Errorf("%dx%d: frame 60:\n%s", sz[0], sz[1], screenText(s))
		}
		// Esc cancels.
		press(u, s, tcell.KeyRune, ':')
		typeKeys(u, s, "101")
		press(u, s, tcell.KeyEscape, 0)
		if u.sel != 0 || screenHas(s, "go to frame:") {
			t.Errorf("%dx%d: esc did not cancel", sz[0], sz[1])
		}
	}
}

func TestGoToFrameBehindTheFilter(t *testing.T) {
	u := New(gotoStore(), Options{})
	s := drawOn(t, u, 80, 24)
	press(u, s, tcell.KeyRune, '/')
	typeKeys(u, s, "frame < 50")
	press(u, s, tcell.KeyEnter, 0)
	press(u, s, tcell.KeyRune, ':')
	typeKeys(u, s, "105")
	press(u, s, tcell.KeyEnter, 0)
	if !screenHas(s, "frame 105 is in session #1, which the filter hides") {
		t.Errorf("hidden session:\n%s", screenText(s))
	}
}

// T cycles the time column through its formats, each fitting its column.
func TestTimeFormats(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(gotoStore(), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		want := []string{"12:00:00.009", "0.009000", "0.003000", "1714564800.009000", "12:00:00.009Z", "12:00:00.009"}
		for i, w := range want {
			if i > 0 {
				press(u, s, tcell.KeyRune, 'T')
			}
			if !screenHas(s, " "+w+" ") && !screenHas(s, w+" ") {
				t.Errorf("%dx%d: format %d: %q not on screen:\n%s", sz[0], sz[1], i, w, screenText(s))
			}
		}
	}
}

func TestTimeFormatText(t *testing.T) {
	loc := time.FixedZone("X", 2*3600)
	at := time.Date(2024, 5, 1, 12, 0, 1, 250_500_000, loc)
	start := at.Add(-61*time.Second - 250*time.Millisecond)
	tests := []struct {
		f    TimeFormat
		want string
	}{
		{TimeOfDay, "12:00:01.250"},
		{TimeSinceStart, "61.250000"},
		{TimeSincePrev, "0.000300"},
		{TimeEpoch, "1714557601.250500"},
		{TimeUTC, "10:00:01.250Z"},
	}
	for _, tt := range tests {
		got := tt.f.format(at, start, 300*time.Microsecond, true)
		if got != tt.want || width(got) > tt.f.width() {
			t.Errorf("%v: %q, want %q (width %d)", tt.f, got, tt.want, tt.f.width())
		}
	}
	if got := TimeSinceStart.format(start.Add(-time.Millisecond), start, 0, false); got != "-0.001000" {
		t.Errorf("before the start: %q", got)
	}
	for _, n := range TimeFormatNames() {
		if _, ok := ParseTimeFormat(n); !ok {
			t.Errorf("ParseTimeFormat(%q) fails", n)
		}
	}
	if _, ok := ParseTimeFormat("sundial"); ok {
		t.Error("sundial is a time format")
	}
}
