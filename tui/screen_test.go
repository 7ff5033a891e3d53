package tui

import (
	"github.com/smtpscope/smtpscope/dissect/wire"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// drawOn draws the UI once on a w×h simulation screen, as the application
// would.
func drawOn(t *testing.T, u *UI, w, h int) tcell.SimulationScreen {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Fini)
	s.SetSize(w, h)
	redraw(u, s)
	return s
}

func redraw(u *UI, s tcell.SimulationScreen) {
	w, h := s.Size()
	u.beforeDraw(s)
	u.pages.SetRect(0, 0, w, h)
	s.Clear()
	u.pages.Draw(s)
	s.Show()
}

// screenRows returns the screen as text, one string per row.
func screenRows(s tcell.SimulationScreen) []string {
	cells, w, h := s.GetContents()
	rows := make([]string, h)
	for y := 0; y < h; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			txt := ""
			for _, r := range cells[y*w+x].Runes {
				if r != 0 {
					txt += string(r)
				}
			}
			b.WriteString(txt)
			if width(txt) == 2 {
				x++ // a wide character covers the next cell (stale in the simulation)
			}
		}
		rows[y] = b.String()
	}
	return rows
}

func screenHas(s tcell.SimulationScreen, want string) bool {
	return strings.Contains(strings.Join(screenRows(s), "\n"), want)
}

// findCells returns the positions where want starts on the screen, cell by
// cell (one rune per cell).
func findCells(s tcell.SimulationScreen, want string) [][2]int {
	cells, w, h := s.GetContents()
	rs := []rune(want)
	var out [][2]int
	for y := 0; y < h; y++ {
		for x := 0; x+len(rs) <= w; x++ {
			ok := true
			for i, r := range rs {
				c := cells[y*w+x+i].Runes
				if len(c) == 0 || c[0] != r {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, [2]int{x, y})
			}
		}
	}
	return out
}

func selectLine(t *testing.T, u *UI, label string) {
	t.Helper()
	for i := range u.lines {
		if strings.Contains(u.lines[i].label, label) {
			u.timeline.Select(i, 0)
			return
		}
	}
	t.Fatalf("no timeline line %q", label)
}

func TestScreenLayout(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 50}} {
		u := New(storeOf(startTLSSession(), plainSubmission(1, "192.0.2.20"), implicitSession(2)), Options{Title: "demo.pcap"})
		s := drawOn(t, u, size[0], size[1])
		for _, want := range []string{"Sessions", "Client → Server", "192.0.2.10:40000 → 198.51.100.25:25",
			"Timeline", "━━ tcp-handshake", "│SYN", "Detail", "Phase tcp-handshake", "demo.pcap", "done",
			"3 sessions", "? help", "q quit"} {
			if !screenHas(s, want) {
				t.Errorf("%dx%d screen lacks %q:\n%s", size[0], size[1], want, strings.Join(screenRows(s), "\n"))
			}
		}
	}
}

func TestScreenHostileTextIsLiteral(t *testing.T) {
	st := storeOf(hostileSession(0))
	st.Update(func(_ func(*session.Session), p *session.Progress) {
		p.Source = "[red]cap.pcap"
		p.Errors = append(p.Errors, "bad [:::https://x]record")
		p.Limits[wire.LimitSMTPLine] = 2
	})
	u := New(st, Options{})
	s := drawOn(t, u, 150, 44)
	selectLine(t, u, "220 [red]evil")
	redraw(u, s)
	literal := []string{
		`220 [red]evil [:::https://x]link\x1b[31m \u{202e}txt`, // detail: the reply line
		`EHLO [red]RED[:::https://x]LINK`,                      // timeline
		`high x[red]`,                                          // sessions: worst finding
		`[red]cap.pcap`,                                        // status bar
		`bad [:::https://x]record`,
		"smtp-line=2",
	}
	for _, want := range literal {
		pos := findCells(s, want)
		if len(pos) == 0 {
			t.Errorf("screen lacks literal %q:\n%s", want, strings.Join(screenRows(s), "\n"))
			continue
		}
		// No colour change and no hidden link inside the literal text.
		cells, w, _ := s.GetContents()
		for _, p := range pos {
			first := cells[p[1]*w+p[0]].Style
			for i := range []rune(want) {
				st := cells[p[1]*w+p[0]+i].Style
				if st != first {
					t.Errorf("%q: cell %d has style %v, want %v (a tag took effect)", want, i, st, first)
					break
				}
				if st != st.Url("") {
					t.Errorf("%q: cell %d carries a hyperlink", want, i)
				}
			}
		}
	}
	// The capability and the finding in the reply's detail are literal too.
	selectLine(t, u, "250 [::b]bold")
	redraw(u, s)
	for _, want := range []string{"X[red]CAP", "250 [::b]bold"} {
		if len(findCells(s, want)) == 0 {
			t.Errorf("screen lacks literal %q:\n%s", want, strings.Join(screenRows(s), "\n"))
		}
	}
}

func TestScreenThemes(t *testing.T) {
	for _, o := range []Options{{Theme: "light"}, {Theme: "dark"}, {NoColor: true}} {
		u := New(storeOf(startTLSSession(), plainSubmission(1, "192.0.2.20")), o)
		s := drawOn(t, u, 100, 30)
		if !screenHas(s, "━━ tcp-handshake") {
			t.Errorf("theme %+v: no ladder on screen", o)
		}
		cells, _, _ := s.GetContents()
		if o.NoColor {
			for i, c := range cells {
				if fg, bg, _ := c.Style.Decompose(); (fg != tcell.ColorDefault && fg != tcell.ColorReset) || (bg != tcell.ColorDefault && bg != tcell.ColorReset) {
					t.Errorf("NoColor: cell %d has colours %v/%v", i, fg, bg)
					break
				}
			}
		}
	}
}

func TestScreenStreamView(t *testing.T) {
	u := New(storeOf(startTLSSession()), Options{})
	u.do(actStream, nil)
	s := drawOn(t, u, 120, 40)
	for _, want := range []string{"Stream", "S: 250-STARTTLS", "C: STARTTLS", "── TLS Handshake ClientHello len 512"} {
		if !screenHas(s, want) {
			t.Errorf("stream screen lacks %q:\n%s", want, strings.Join(screenRows(s), "\n"))
		}
	}
}
