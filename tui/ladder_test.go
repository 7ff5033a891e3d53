package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// ladderStrings renders every line as "time delta ladder" text.
func ladderStrings(ls []line, w int) []string {
	out := make([]string, len(ls))
	for i := range ls {
		out[i] = ladderText(&ls[i], w)
	}
	return out
}

// assertInOrder checks that each want substring appears in a later line
// than the previous one.
func assertInOrder(t *testing.T, got []string, want []string) {
	t.Helper()
	i := 0
	for _, w := range want {
		for i < len(got) && !strings.Contains(got[i], w) {
			i++
		}
		if i == len(got) {
			t.Fatalf("ladder lacks %q in order; lines:\n%s", w, strings.Join(got, "\n"))
		}
		i++
	}
}

func TestLadderPhasesAndArrowsInOrder(t *testing.T) {
	got := ladderStrings(ladder(startTLSSession(), nil), 60)
	assertInOrder(t, got, []string{
		"━━ tcp-handshake",
		"│SYN ", "│←", // SYN then SYN-ACK from the server
		"│ACK (RTT 6.0ms)",
		"━━ greeting", "│←",
		"━━ ehlo", "│EHLO client.example", "250 mx.example (+3 lines)",
		"━━ starttls", "│STARTTLS", "220 2.0.0 Ready to start TLS",
		"━━ tls-handshake",
		"TLS Handshake ClientHello len 512 · SNI mx.example",
		"TLS Handshake ServerHello len 122",
		"TLS Change Cipher Spec len 1",
		// the hellos and the compatibility CCS are in clear (RFC 8446, Section 2)
		"— encrypted from here (TLS 1.3: all after ServerHello) —",
		"⇄ ▸ 4 encrypted records, 2464 bytes",
		"━━ quit", "│⚿ QUIT", "⚿ 221 2.0.0 Bye",
		"━━ teardown", "│FIN", "FIN│",
	})
	for _, s := range got {
		if w := width(s); w != 60 {
			t.Errorf("ladderText width %d, want 60: %q", w, s)
		}
	}
}

func TestLadderArrowDirections(t *testing.T) {
	s := startTLSSession()
	for _, l := range ladder(s, nil) {
		if l.kind != lineEvent {
			continue
		}
		txt := ladderText(&l, 50)
		switch l.dir {
		case wire.ClientToServer:
			if !strings.HasSuffix(txt, "→│") || strings.Contains(txt, "←") {
				t.Errorf("c2s line %q: want a → arrow to the server", txt)
			}
		case wire.ServerToClient:
			if !strings.HasPrefix(txt, "│←") || strings.Contains(txt, "→") {
				t.Errorf("s2c line %q: want a ← arrow to the client", txt)
			}
		}
	}
}

func TestLadderExpandRun(t *testing.T) {
	s := startTLSSession()
	collapsed := ladder(s, nil)
	run := -1
	for _, l := range collapsed {
		if l.kind == lineRun {
			run = l.event
		}
	}
	if run < 0 {
		t.Fatal("no collapsed run")
	}
	expanded := ladder(s, map[int]bool{run: true})
	if got, want := len(expanded), len(collapsed)+4; got != want {
		t.Fatalf("expanded ladder has %d lines, want %d", got, want)
	}
	txt := ladderStrings(expanded, 70)
	assertInOrder(t, txt, []string{"▾ 4 encrypted records, 2464 bytes",
		"Application Data (encrypted) len 2000", "Application Data (encrypted) len 300",
		"Application Data (encrypted) len 64", "Application Data (encrypted) len 100", "QUIT"})
}

func TestLadderDeltas(t *testing.T) {
	ls := ladder(startTLSSession(), nil)
	var first, second *line
	for i := range ls {
		if ls[i].kind == lineEvent {
			if first == nil {
				first = &ls[i]
			} else if second == nil {
				second = &ls[i]
			}
		}
	}
	if first.hasDelta {
		t.Errorf("first event has a Δt %v", first.delta)
	}
	if !second.hasDelta || second.delta != 3*time.Millisecond {
		t.Errorf("second event Δt = %v (%v), want 3ms", second.delta, second.hasDelta)
	}
}

func TestLadderBulkAndImplicit(t *testing.T) {
	got := ladderStrings(ladder(implicitSession(1), nil), 60)
	assertInOrder(t, got, []string{"━━ tcp-handshake", "│ACK", "━━ tls-handshake",
		"ClientHello", "ServerHello", "— encrypted from here (TLS 1.3: all after ServerHello) —",
		"▸ 12 encrypted records, 9000 bytes", "━━ teardown"})
}

func TestLadderToleratesBadRefs(t *testing.T) {
	s := &session.Session{Timeline: []session.Event{
		{Kind: session.KindCommand, Ref: 7, Summary: "EHLO x"},
		{Kind: session.KindReply, Ref: -3},
		{Kind: session.KindTLS, Ref: 99},
		{Kind: session.KindMessage, Ref: 1},
		{Kind: session.KindAnomaly, Ref: 2, Summary: "odd"},
	}}
	got := ladderStrings(ladder(s, map[int]bool{0: true}), 40)
	assertInOrder(t, got, []string{"EHLO x", "reply", "tls", "message", "⚠ odd"})
	// The detail of each event is its heading and the event's own fields:
	// nothing read through the bad references (no Verb, Code or record).
	titles := []string{"SMTP command", "SMTP reply", "TLS record", "Event message", "Event anomaly"}
	for i := range s.Timeline {
		l := line{kind: lineEvent, event: i}
		d := detail(s, &l)
		if len(d) == 0 || d[0].Text != titles[i] {
			t.Fatalf("detail(event %d) = %+v, want the heading %q first", i, d, titles[i])
		}
		for _, dl := range d {
			for _, field := range []string{"Verb:", "Code:", "Content type:", "Message"} {
				if strings.HasPrefix(dl.Text, field) {
					t.Errorf("detail(event %d) has %q from a reference that does not exist", i, dl.Text)
				}
			}
		}
	}
	// The stream keeps one line per event, in order, from the summaries.
	ls := stream(s)
	if len(ls) != len(s.Timeline) {
		t.Fatalf("stream = %d lines, want %d: %+v", len(ls), len(s.Timeline), ls)
	}
	for i, want := range []string{"EHLO x", "", "", "·· message", "·· ⚠ odd"} {
		if ls[i].event != i || (want != "" && ls[i].text != want) {
			t.Errorf("stream line %d = event %d %q, want event %d %q", i, ls[i].event, ls[i].text, i, want)
		}
	}
}

func TestLadderText(t *testing.T) {
	tests := []struct {
		l    line
		w    int
		want string
	}{
		{line{kind: lineEvent, dir: wire.ClientToServer, label: "EHLO a"}, 20, "│EHLO a ──────────→│"},
		{line{kind: lineEvent, dir: wire.ServerToClient, label: "250 ok"}, 20, "│←────────── 250 ok│"},
		{line{kind: lineEvent, dir: wire.ClientToServer, label: "a very long command line"}, 20, "│a very long c… ──→│"},
		{line{kind: lineBand, label: "ehlo"}, 16, "━━ ehlo ━━━━━━━━"},
		{line{kind: lineRun, both: true, label: "▸ 2 encrypted records, 9 bytes"}, 20, "│⇄ ▸ 2 encrypted r…│"},
	}
	for _, tt := range tests {
		if got := ladderText(&tt.l, tt.w); got != tt.want {
			t.Errorf("ladderText(%q, %d) = %q, want %q", tt.l.label, tt.w, got, tt.want)
		}
	}
}

func TestFormatHelpers(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{delta(0), "+0s"},
		{delta(7), "+7ns"},
		{delta(1500 * time.Nanosecond), "+2µs"},
		{delta(12345 * time.Microsecond), "+12.3ms"},
		{delta(2 * time.Second), "+2.000s"},
		{shortDuration(61 * time.Minute), "1h1m"},
		{byteCount(512), "512 B"},
		{byteCount(1536), "1.5 KiB"},
		{thousands(1234567), "1,234,567"},
		{truncate("日本語テキスト", 7), "日本語…"},
		{progressBar(5, 10, 4), "██░░ 50%"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d = %q, want %q", i, tt.got, tt.want)
		}
	}
	if !containsFold("Hello ALICE@x", "alice@") || containsFold("bob", "alice") || !containsFold("x", "") {
		t.Error("containsFold wrong")
	}
}

func BenchmarkLadder(b *testing.B) {
	s := startTLSSession()
	for i := 0; i < 200; i++ { // a long session
		s.Timeline = append(s.Timeline, s.Timeline[3:13]...)
	}
	var n int64
	for _, e := range s.Timeline {
		n += int64(len(e.Summary)) + 40
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		ls := ladder(s, nil)
		for i := 0; i < 40 && i < len(ls); i++ { // one screen
			_ = ladderText(&ls[i], 80)
		}
	}
}

func FuzzLadderText(f *testing.F) {
	for _, s := range []string{"EHLO a", "250 ok", "日本語テキスト", "[red]x", `\x1b[31m`, "", "a\u0301b"} {
		f.Add(s, 20, uint8(0))
	}
	f.Fuzz(func(t *testing.T, label string, w int, kind uint8) {
		if w > 500 || w < -5 {
			return
		}
		l := line{kind: lineKind(kind % 4), dir: wire.Dir(kind / 4 % 2), both: kind&8 != 0, label: sanitize.String(label)}
		got := ladderText(&l, w)
		if want := max(w, 12); width(got) != want {
			t.Fatalf("ladderText(%q, %d) = %q, %d cells wide, want %d", l.label, w, got, width(got), want)
		}
	})
}
