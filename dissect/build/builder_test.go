package build

import (
	"github.com/smtpscope/smtpscope/dissect/session"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/flow"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// collect is a Sink that keeps what it is told.
type collect struct {
	NopSink
	started, finished []*session.Session
	dropped           []int64
}

func (c *collect) Started(s *session.Session)  { c.started = append(c.started, s) }
func (c *collect) Finished(s *session.Session) { c.finished = append(c.finished, s) }
func (c *collect) Dropped(stream int64)        { c.dropped = append(c.dropped, stream) }

// step is bytes from one side of a test connection; a is flow's A.
type step struct {
	fromA bool
	data  string
}

func feed(t *testing.T, opts Options, a, b string, syn bool, steps []step) *collect {
	t.Helper()
	col := &collect{}
	bld := NewBuilder(opts, col)
	fc := &flow.Conn{Stream: 7, A: netip.MustParseAddrPort(a), B: netip.MustParseAddrPort(b), SYNSeen: syn}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fc.First = wire.Pos{Frame: 1, Time: base}
	cons := bld.Open(fc)
	if cons == nil {
		return col
	}
	for i, st := range steps {
		d := wire.ServerToClient
		if st.fromA {
			d = wire.ClientToServer
		}
		cons.Data(d, []byte(st.data), wire.Pos{Frame: int64(i + 2), Time: base.Add(time.Duration(i) * time.Millisecond)})
	}
	cons.Close(wire.Pos{Frame: int64(len(steps) + 2)})
	return col
}

func TestDetectionOnAnyPort(t *testing.T) {
	tests := []struct {
		name       string
		a, b       string
		syn        bool
		steps      []step
		wantClient string // "" = not a session
	}{
		{"banner from B on port 2600", "10.0.0.1:40000", "10.0.0.2:2600", true,
			[]step{{false, "220 mx ESMTP\r\n"}, {true, "EHLO me\r\n"}}, "10.0.0.1:40000"},
		{"banner from A (capture joined late): A is the server", "10.0.0.2:2600", "10.0.0.1:40000", false,
			[]step{{true, "220 mx ESMTP\r\n"}, {false, "EHLO me\r\n"}}, "10.0.0.1:40000"},
		{"EHLO first", "10.0.0.1:40000", "10.0.0.2:2600", false,
			[]step{{true, "ehlo me\r\n"}}, "10.0.0.1:40000"},
		{"HTTP is not SMTP", "10.0.0.1:40000", "10.0.0.2:80", true,
			[]step{{true, "GET / HTTP/1.1\r\n"}}, ""},
		{"port 25 is SMTP whatever it says", "10.0.0.1:40000", "10.0.0.2:25", true,
			[]step{{true, "\x00\x01garbage\r\n"}}, "10.0.0.1:40000"},
		{"port 25 on A without a SYN: B is the client", "10.0.0.2:25", "10.0.0.1:40000", false,
			[]step{{true, "250 ok\r\n"}}, "10.0.0.1:40000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col := feed(t, Options{AnyPort: true}, tt.a, tt.b, tt.syn, tt.steps)
			if tt.wantClient == "" {
				if len(col.started) != 0 || len(col.dropped) != 1 {
					t.Errorf("started %d, dropped %v: want no session and the stream dropped", len(col.started), col.dropped)
				}
				return
			}
			if len(col.finished) != 1 {
				t.Fatalf("finished %d sessions, want 1", len(col.finished))
			}
			if got := col.finished[0].Client.String(); got != tt.wantClient {
				t.Errorf("client = %s, want %s", got, tt.wantClient)
			}
		})
	}
}

// A proxy that decrypts in place (or a client ignoring RFC 3207, Section 4)
// sends SMTP after the 220 to STARTTLS: it is dissected as SMTP and flagged.
func TestNoTLSAfterStartTLSGoesOnAsSMTP(t *testing.T) {
	col := feed(t, Options{}, "10.0.0.1:40000", "10.0.0.2:25", true, []step{
		{false, "220 mx\r\n"}, {true, "EHLO me\r\n"}, {false, "250-mx\r\n250 STARTTLS\r\n"},
		{true, "STARTTLS\r\n"}, {false, "220 go ahead\r\n"},
		{true, "EHLO me\r\n"}, {false, "250 mx\r\n"}, {true, "QUIT\r\n"}, {false, "221 bye\r\n"},
	})
	if len(col.finished) != 1 {
		t.Fatalf("finished %d sessions, want 1", len(col.finished))
	}
	s := col.finished[0]
	var verbs []string
	for _, c := range s.Commands {
		verbs = append(verbs, c.Verb)
	}
	if got := strings.Join(verbs, " "); got != "EHLO STARTTLS EHLO QUIT" {
		t.Errorf("commands %q", got)
	}
	if s.Commands[3].Reply == nil || s.Commands[3].Reply.Code != 221 {
		t.Errorf("QUIT reply %+v, want 221", s.Commands[3].Reply)
	}
	if len(s.Anomalies) != 1 || s.Anomalies[0].Code != "starttls.no_tls_after_220" {
		t.Errorf("anomalies %+v, want starttls.no_tls_after_220", s.Anomalies)
	}
	if s.TLS.Mode != session.TLSNone {
		t.Errorf("TLS mode %q, want none: no TLS record was seen", s.TLS.Mode)
	}
}

func TestResponseInjectionIsReported(t *testing.T) {
	col := feed(t, Options{}, "10.0.0.1:40000", "10.0.0.2:25", true, []step{
		{false, "220 mx\r\n"}, {true, "STARTTLS\r\n"}, {false, "220 go ahead\r\n250 injected\r\n"},
	})
	if len(col.finished) != 1 {
		t.Fatalf("finished %d sessions, want 1", len(col.finished))
	}
	s := col.finished[0]
	if len(s.Anomalies) != 1 || s.Anomalies[0].Code != "starttls.response_injection" {
		t.Errorf("anomalies %+v, want starttls.response_injection", s.Anomalies)
	}
}

func TestKeepBytesIsBounded(t *testing.T) {
	col := feed(t, Options{KeepBytes: true, MaxKeptBytes: 20}, "10.0.0.1:40000", "10.0.0.2:25", true, []step{
		{false, "220 mx\r\n"}, {true, "EHLO me\r\n"}, {false, "250 a long reply line\r\n"},
	})
	if len(col.finished) != 1 {
		t.Fatalf("finished %d sessions, want 1", len(col.finished))
	}
	s := col.finished[0]
	var raw []string
	for _, e := range s.Timeline {
		raw = append(raw, string(e.Raw))
	}
	if raw[0] != "220 mx\r\n" || raw[1] != "EHLO me\r\n" || raw[2] != "" {
		t.Errorf("kept %q: want the first two events' bytes, then the 20-byte budget spent", raw)
	}
}

// A session's timeline stops at MaxEvents; the events past it are counted
// (limit "timeline"), never silently dropped.
func TestTimelineLimitIsCounted(t *testing.T) {
	col := &collect{}
	bld := NewBuilder(Options{MaxEvents: 3}, col)
	fc := &flow.Conn{Stream: 1, A: netip.MustParseAddrPort("10.0.0.1:40000"), B: netip.MustParseAddrPort("10.0.0.2:25"), SYNSeen: true}
	cons := bld.Open(fc)
	lines := []string{"220 mx\r\n", "EHLO a\r\n", "250 ok\r\n", "NOOP\r\n", "250 ok\r\n", "QUIT\r\n"}
	for i, l := range lines {
		d := wire.ServerToClient
		if i%2 == 1 {
			d = wire.ClientToServer
		}
		cons.Data(d, []byte(l), wire.Pos{Frame: int64(i + 1)})
	}
	cons.Close(wire.Pos{Frame: 7})
	if len(col.finished) != 1 {
		t.Fatalf("finished %d sessions", len(col.finished))
	}
	if n := len(col.finished[0].Timeline); n != 3 {
		t.Errorf("timeline has %d events, want the limit 3", n)
	}
	if got := bld.Limits()[wire.LimitTimeline]; got != 3 {
		t.Errorf("limit timeline counted %d, want 3 (the events past the limit)", got)
	}
}
