package smtp

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

func TestTranscripts(t *testing.T) {
	want := wantEvents()
	for _, tc := range transcripts() {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.opts, tc.steps, whole)
			w, ok := want[tc.name]
			if !ok {
				t.Fatalf("no expected events for %q (run go test -run TestUpdateWant -update)", tc.name)
			}
			if !slices.Equal(got, w) {
				t.Errorf("events differ\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(w, "\n      "))
			}
		})
	}
}

func TestSplitInvariance(t *testing.T) {
	for _, tc := range transcripts() {
		t.Run(tc.name, func(t *testing.T) {
			ref := run(t, tc.opts, tc.steps, whole)
			splits := map[string]splitter{"bytewise": bytewise}
			for seed := uint64(1); seed <= 5; seed++ {
				splits["random"+itoa(int(seed))] = randomSplits(seed)
			}
			for name, sp := range splits {
				if got := run(t, tc.opts, tc.steps, sp); !slices.Equal(got, ref) {
					t.Errorf("%s split: events differ\n got: %s\nwant: %s", name,
						strings.Join(got, "\n      "), strings.Join(ref, "\n      "))
				}
			}
		})
	}
}

// collect runs steps and returns the raw events (deep enough copies).
func collect(opts Options, steps []step) ([]Event, *Conn) {
	var evs []Event
	conn := NewConn(opts, SinkFunc(func(e *Event) {
		cp := *e
		cp.StartTLS.Pending[0] = bytes.Clone(e.StartTLS.Pending[0])
		cp.StartTLS.Pending[1] = bytes.Clone(e.StartTLS.Pending[1])
		cp.Message.Body = bytes.Clone(e.Message.Body)
		evs = append(evs, cp)
	}))
	for i, st := range steps {
		pos := wire.Pos{Frame: int64(i + 1)}
		if st.gap > 0 {
			conn.Gap(st.dir, st.gap, pos)
		} else {
			conn.Feed(st.dir, []byte(st.data), pos)
		}
	}
	conn.Close(wire.Pos{Frame: int64(len(steps) + 1)})
	return evs, conn
}

func find(evs []Event, k Kind) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

func TestStartTLSPending(t *testing.T) {
	tests := []struct {
		name       string
		steps      []step
		wantServer string
		wantClient string
		wantExtra  int
	}{
		{"clean", []step{s("220 mx\r\n"), c("STARTTLS\r\n"), s("220 go\r\n")}, "", "", 0},
		{"response injection", []step{s("220 mx\r\n"), c("STARTTLS\r\n"), s("220 go\r\n250-evil\r\n")},
			"250-evil\r\n", "", 10},
		{"server hello in same segment", []step{s("220 mx\r\n"), c("STARTTLS\r\n"), s("220 go\r\n\x16\x03\x03")},
			"\x16\x03\x03", "", 3},
		{"client partial line", []step{s("220 mx\r\n"), c("STARTTLS\r\nRS"), s("220 go\r\n")}, "", "RS", 0},
		{"client hello early", []step{s("220 mx\r\n"), c("STARTTLS\r\n\x16\x03\x01\x00"), s("220 go\r\n")},
			"", "\x16\x03\x01\x00", 0},
	}
	for _, tc := range tests {
		evs, conn := collect(Options{}, tc.steps)
		st := find(evs, EvStartTLS)
		if len(st) != 1 {
			t.Fatalf("%s: %d EvStartTLS, want 1", tc.name, len(st))
		}
		got := st[0].StartTLS
		if string(got.Pending[wire.ServerToClient]) != tc.wantServer || string(got.Pending[wire.ClientToServer]) != tc.wantClient ||
			got.ServerExtra != tc.wantExtra {
			t.Errorf("%s: Pending = %q/%q extra %d, want %q/%q extra %d", tc.name, got.Pending[0], got.Pending[1],
				got.ServerExtra, tc.wantClient, tc.wantServer, tc.wantExtra)
		}
		conn.Feed(wire.ClientToServer, []byte("\x16\x03\x01more"), wire.Pos{})
		if n := conn.Limits().AfterTLS; n != 0 {
			t.Errorf("%s: Feed after Close counted %d bytes, want 0", tc.name, n)
		}
	}
}

func TestAfterTLSAndResume(t *testing.T) {
	var got []string
	conn := NewConn(Options{}, SinkFunc(func(e *Event) { got = append(got, render(e)) }))
	feed := func(d wire.Dir, s string) { conn.Feed(d, []byte(s), wire.Pos{Frame: 1}) }
	feed(wire.ServerToClient, "220 mx\r\n")
	feed(wire.ClientToServer, "STARTTLS\r\n")
	feed(wire.ServerToClient, "220 go\r\n")
	feed(wire.ClientToServer, "\x16\x03\x01\x00\x10")
	if n := conn.Limits().AfterTLS; n != 5 {
		t.Errorf("Limits().AfterTLS = %d, want 5", n)
	}
	// Decrypted bytes: RFC 3207, Section 4.2: a fresh EHLO, no greeting.
	conn.SetInTLS(true)
	feed(wire.ClientToServer, "EHLO c\r\n")
	feed(wire.ServerToClient, "250-mx\r\n250 AUTH PLAIN\r\n")
	want := []string{
		"@1 reply 220 #-1 mx greeting",
		"@1 cmd#0 STARTTLS \"\"",
		"@1 reply 220 #0 go",
		"@1 starttls #0",
		"@1 tls cmd#1 EHLO \"c\"",
		"@1 tls reply 250 #1 mx|AUTH PLAIN",
		"@1 tls caps AUTH(PLAIN)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

func TestReveal(t *testing.T) {
	steps := []step{
		s("220 mx\r\n"),
		c("AUTH PLAIN " + b64("\x00alice\x00s3cret") + "\r\n"),
		s("235 ok\r\n"),
		c("AUTH LOGIN\r\n"),
		s("334 " + b64("Username:") + "\r\n"),
		c(b64("bob") + "\r\n"),
		s("334 " + b64("Password:") + "\r\n"),
		c(b64("hunter2") + "\r\n"),
		s("235 ok\r\n"),
	}
	for _, reveal := range []bool{false, true} {
		evs, _ := collect(Options{Reveal: reveal}, steps)
		auths := find(evs, EvAuth)
		if len(auths) != 2 {
			t.Fatalf("reveal=%v: %d EvAuth, want 2", reveal, len(auths))
		}
		wantPw := []string{mask, mask}
		wantArg := "PLAIN " + mask
		if reveal {
			wantPw = []string{"s3cret", "hunter2"}
			wantArg = "PLAIN " + b64("\x00alice\x00s3cret")
		}
		for i, a := range auths {
			if a.Auth.Password != wantPw[i] {
				t.Errorf("reveal=%v: auth %d Password = %q, want %q", reveal, i, a.Auth.Password, wantPw[i])
			}
		}
		if arg := find(evs, EvCommand)[0].Command.Arg; arg != wantArg {
			t.Errorf("reveal=%v: AUTH Arg = %q, want %q", reveal, arg, wantArg)
		}
		for _, l := range find(evs, EvAuthLine) {
			if !reveal && strings.Contains(l.AuthLine.Text, "hunter2") {
				t.Errorf("password leaked in auth line %q", l.AuthLine.Text)
			}
		}
	}
}

func TestAnomalyRateLimit(t *testing.T) {
	garbage := bytes.Repeat([]byte("\x00\xff\x01 x\r\n"), 5000)
	evs, conn := collect(Options{}, []step{s("220 mx\r\n"), c(string(garbage))})
	if n := len(find(evs, EvAnomaly)); n != DefaultMaxAnomalies {
		t.Errorf("%d anomalies emitted, want %d", n, DefaultMaxAnomalies)
	}
	if conn.Limits().Anomalies == 0 {
		t.Errorf("Limits().Anomalies = 0, want the suppressed count")
	}
}

func TestLimits(t *testing.T) {
	t.Run("rcpt", func(t *testing.T) {
		steps := []step{s("220 mx\r\n"), c("MAIL FROM:<a@x>\r\n" + strings.Repeat("RCPT TO:<b@y>\r\n", 5) + "DATA\r\n"),
			s("250 ok\r\n" + strings.Repeat("250 ok\r\n", 5) + "354 go\r\n"), c("x\r\n.\r\n"), s("250 ok\r\n")}
		evs, conn := collect(Options{MaxRcpt: 3}, steps)
		msgs := find(evs, EvMessage)
		if len(msgs) != 1 || len(msgs[0].Message.RcptTo) != 3 || conn.Limits().Rcpt != 2 {
			t.Errorf("MaxRcpt 3: messages %d, rcpts kept %v, Limits().Rcpt %d; want 1, 3, 2", len(msgs),
				msgs[0].Message.RcptTo, conn.Limits().Rcpt)
		}
	})
	t.Run("body", func(t *testing.T) {
		body := strings.Repeat("0123456789\r\n", 100)
		steps := []step{s("220 mx\r\n"), c("DATA\r\n"), s("354 go\r\n"), c(body + ".\r\n"), s("250 ok\r\n")}
		evs, conn := collect(Options{MaxBodyKeep: 100}, steps)
		m := find(evs, EvMessage)[0].Message
		if !m.Truncated || m.Size != int64(len(body)) || len(m.Body) != 100 || conn.Limits().Body != 1 {
			t.Errorf("MaxBodyKeep 100: Truncated %v Size %d kept %d Limits().Body %d; want true %d 100 1",
				m.Truncated, m.Size, len(m.Body), conn.Limits().Body, len(body))
		}
	})
	t.Run("line", func(t *testing.T) {
		_, conn := collect(Options{MaxLine: 100}, []step{c(strings.Repeat("A", 1000) + "\r\nQUIT\r\n")})
		if conn.Limits().Line != 1 {
			t.Errorf("Limits().Line = %d, want 1", conn.Limits().Line)
		}
	})
	t.Run("pipeline", func(t *testing.T) {
		evs, conn := collect(Options{MaxPipeline: 10}, []step{s("220 mx\r\n"), c(strings.Repeat("NOOP\r\n", 15))})
		if conn.Limits().Pipeline != 5 || len(find(evs, EvCommand)) != 15 {
			t.Errorf("Limits().Pipeline = %d, commands %d; want 5, 15", conn.Limits().Pipeline, len(find(evs, EvCommand)))
		}
	})
	t.Run("hold", func(t *testing.T) {
		big := strings.Repeat("x", 100000) + "\r\n.\r\n"
		steps := []step{s("220 mx\r\n"), c("DATA\r\n" + big), s("354 go\r\n"), s("250 ok\r\n")}
		evs, conn := collect(Options{}, steps)
		m := find(evs, EvMessage)
		if conn.Limits().Buffer == 0 || len(m) != 1 || !m[0].Message.Gap {
			t.Errorf("hold overflow: Limits().Buffer %d, messages %d; want > 0 and 1 with Gap", conn.Limits().Buffer, len(m))
		}
	})
}

func TestBodyLongLines(t *testing.T) {
	// Lines longer than pieceCap, with evidence across piece boundaries,
	// fed in every way must give the same size and evidence.
	long := strings.Repeat("a", pieceCap-2) + "\r.\r" + strings.Repeat("b", 3*pieceCap) + "\r\n"
	body := "." + long + "..x\r\n" + long + ".\r\n"
	want := int64(len(body) - 3 - 2) // minus the terminator and two stuffed dots
	for name, sp := range map[string]splitter{"whole": whole, "bytewise": bytewise, "random": randomSplits(7)} {
		var sc bodyScanner
		sc.reset(1 << 20)
		var consumed int
		var done bool
		for _, p := range sp([]byte(body)) {
			n, d := sc.feed(p)
			consumed += n
			if d {
				done = true
				break
			}
		}
		if !done || consumed != len(body) || sc.size != want || sc.smuggle != SmuggleBareCR|SmuggleCRDotCR {
			t.Errorf("%s: done %v consumed %d size %d smuggle %s; want true %d %d %s", name, done, consumed, sc.size,
				sc.smuggle, len(body), want, SmuggleBareCR|SmuggleCRDotCR)
		}
		if !bytes.HasPrefix(sc.keep, []byte("aaa")) {
			t.Errorf("%s: kept %q..., want the stuffed dot removed", name, sc.keep[:8])
		}
	}
}

func TestLimitsMap(t *testing.T) {
	m := Limits{Line: 2, Anomalies: 3}.Counts()
	if len(m) != 2 || m[wire.LimitSMTPLine] != 2 || m[wire.LimitSMTPAnomalies] != 3 {
		t.Errorf("Limits.Counts() = %v, want smtp-line 2 and smtp-anomalies 3", m)
	}
}

func TestResumeAfterNoTLS(t *testing.T) {
	var got []string
	conn := NewConn(Options{}, SinkFunc(func(e *Event) { got = append(got, render(e)) }))
	feed := func(d wire.Dir, s string) { conn.Feed(d, []byte(s), wire.Pos{Frame: 1}) }
	feed(wire.ServerToClient, "220 mx\r\n")
	feed(wire.ClientToServer, "STARTTLS\r\n")
	feed(wire.ServerToClient, "220 go\r\n")
	// RFC 3207, Section 4 broken: plaintext after the 220; the builder
	// resumes plaintext parsing.
	conn.Resume()
	feed(wire.ClientToServer, "MAIL FROM:<a@x>\r\n")
	feed(wire.ServerToClient, "250 ok\r\n")
	want := []string{
		"@1 reply 220 #-1 mx greeting",
		"@1 cmd#0 STARTTLS \"\"",
		"@1 reply 220 #0 go",
		"@1 starttls #0",
		"@1 cmd#1 MAIL \"FROM:<a@x>\"",
		"@1 reply 250 #1 ok",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}
