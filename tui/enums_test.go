package tui

import (
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// waitState waits, draw by draw, until the UI's state (read on the event
// goroutine) satisfies ok.
func (h *appHarness) waitState(what string, ok func(u *UI) bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		var done bool
		h.u.App().QueueUpdate(func() { done = ok(h.u) })
		if done {
			return
		}
		select {
		case <-h.drawn:
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// Tab walks the panes in paneID order and wraps; ? and f open their
// overlays by kind, esc closes them.
func TestPanesAndOverlays(t *testing.T) {
	h := startApp(t, New(storeOf(startTLSSession()), Options{Title: "panes.pcap"}), 120, 40)
	h.waitText("Timeline — ")
	h.waitState("sessions focused", func(u *UI) bool { return u.focused() == paneSessions })
	for _, want := range []paneID{paneTimeline, paneDetail, paneSessions} {
		h.key(tcell.KeyTab, 0)
		h.waitState("focus on "+want.String(), func(u *UI) bool { return u.focused() == want })
	}
	for _, tt := range []struct {
		r    rune
		want overlayKind
	}{{'?', overlayHelp}, {'f', overlayFindings}} {
		h.key(tcell.KeyRune, tt.r)
		h.waitState(tt.want.String()+" open", func(u *UI) bool { return u.overlay == tt.want })
		h.key(tcell.KeyEscape, 0)
		h.waitState(tt.want.String()+" closed", func(u *UI) bool { return u.overlay == overlayNone })
	}
	if s := paneID(7).String(); s != "pane 7" {
		t.Errorf("paneID(7).String() = %q, want %q", s, "pane 7")
	}
	if s := overlayKind(9).String(); s != "overlay 9" {
		t.Errorf("overlayKind(9).String() = %q, want %q", s, "overlay 9")
	}
}

// The key table drives dispatch: every key the main view handles has its
// handler in its row, and keys bound to one action share one handler.
func TestKeyTableDispatch(t *testing.T) {
	viewOnly := map[action]bool{actSaveEML: true, actSavePart: true}
	for _, b := range bindings() {
		if (b.run == nil) != viewOnly[b.act] {
			t.Errorf("key %q (action %d): handler set = %v, want %v", b.label, b.act, b.run != nil, !viewOnly[b.act])
		}
	}
	u := New(storeOf(startTLSSession()), Options{})
	if ev := tcell.NewEventKey(tcell.KeyRune, 'j', tcell.ModNone); u.do(actDown, ev).Key() != tcell.KeyDown {
		t.Error("do(actDown) does not pass a Down key on")
	}
	ev := tcell.NewEventKey(tcell.KeyRune, 'e', tcell.ModNone)
	if got := u.do(actSaveEML, ev); got != ev {
		t.Errorf("do(actSaveEML) outside the message view = %v, want the key passed on unchanged", got)
	}
}
