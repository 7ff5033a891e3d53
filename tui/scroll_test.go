package tui

import (
	"strconv"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// countingContent counts the cells a table asks its content for.
type countingContent struct {
	tview.TableContent
	calls int
}

func (c *countingContent) GetCell(r, col int) *tview.TableCell {
	c.calls++
	return c.TableContent.GetCell(r, col)
}

// bigStore holds n small sessions.
func bigStore(n int) *session.Store {
	st := session.NewStore()
	st.Update(func(add func(*session.Session), p *session.Progress) {
		for i := 0; i < n; i++ {
			s := &session.Session{
				Stream:   int64(i),
				Client:   session.Endpoint{IP: "10.0." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255), Port: uint16(1024 + i%60000)},
				Server:   session.Endpoint{IP: "192.0.2.1", Port: 25},
				PortRole: session.RoleRelay,
				TLS:      session.TLSInfo{Mode: session.TLSNone},
				Complete: true,
			}
			add(s)
		}
		p.Done = true
	})
	return st
}

func TestHundredThousandSessionsScroll(t *testing.T) {
	const n = 100_000
	u := New(bigStore(n), Options{})
	if got := u.sessions.GetRowCount(); got != n+1 {
		t.Fatalf("sessions table has %d rows, want %d", got, n+1)
	}
	cc := &countingContent{TableContent: &sessionsContent{u: u}}
	u.sessions.SetContent(cc)
	s := drawOn(t, u, 80, 24)

	press := func(k tcell.Key) {
		u.sessions.InputHandler()(tcell.NewEventKey(k, 0, tcell.ModNone), func(tview.Primitive) {})
		redraw(u, s)
	}
	const budget = 2000 // a screenful of cells, not 100k rows
	cc.calls = 0
	press(tcell.KeyEnd)
	if cc.calls > budget {
		t.Errorf("End asked for %d cells, want at most %d", cc.calls, budget)
	}
	if r, _ := u.sessions.GetSelection(); r != n {
		t.Errorf("after End the selection is row %d, want %d", r, n)
	}
	if !screenHas(s, "99999 10.0.134.159") {
		t.Errorf("last session not on screen after End")
	}
	cc.calls = 0
	press(tcell.KeyHome)
	if cc.calls > budget {
		t.Errorf("Home asked for %d cells, want at most %d", cc.calls, budget)
	}
	if r, _ := u.sessions.GetSelection(); r != 1 {
		t.Errorf("after Home the selection is row %d, want 1", r)
	}
	if !screenHas(s, "0 10.0.0.0:1024") {
		t.Errorf("first session not on screen after Home")
	}
}

func BenchmarkRefresh100k(b *testing.B) {
	st := bigStore(100_000)
	u := New(st, Options{})
	f, _ := parseFilter("port:25 tls:none 10.0.")
	u.filter = f
	b.SetBytes(100_000)
	b.ReportAllocs()
	for b.Loop() {
		u.rows = u.rows[:0] // as if every session were new
		u.refresh(true)
	}
}
