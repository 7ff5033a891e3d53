package stats

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

func TestBar(t *testing.T) {
	tests := []struct {
		n, max, w int
		want      string
	}{
		{0, 10, 4, "    "},
		{10, 10, 4, "████"},
		{5, 10, 4, "██  "},
		{1, 100, 4, "▏   "}, // never empty when n > 0
		{3, 8, 1, "▍"},
		{7, 0, 3, "   "},
	}
	for _, tt := range tests {
		if got := Bar(tt.n, tt.max, tt.w); got != tt.want {
			t.Errorf("Bar(%d, %d, %d) = %q, want %q", tt.n, tt.max, tt.w, got, tt.want)
		}
	}
}

func sess(client string, start time.Time, codes ...int) *session.Session {
	s := &session.Session{Client: session.Endpoint{IP: client, Port: 1000}, Server: session.Endpoint{IP: "192.0.2.1", Port: 25}, Start: start}
	for _, c := range codes {
		s.Replies = append(s.Replies, session.Reply{Code: c})
	}
	s.Commands = []session.Command{{Verb: "MAIL", Arg: "FROM:<Bob@Example.org> SIZE=10"}, {Verb: "RCPT", Arg: "TO:<a@x>"},
		{Verb: "RCPT", Arg: "to:<b@x>"}, {Verb: "MAIL", Arg: "FROM:<>"}}
	return s
}

func TestStats(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	var a Acc
	a.Add(sess("10.0.0.1", t0, 220, 250, 550))
	a.Add(sess("10.0.0.1", t0.Add(90*time.Second), 220, 421))
	a.Add(sess("10.0.0.2", t0.Add(5*time.Minute), 220))
	st := a.Stats(Options{Top: 1, Buckets: 10})
	if got := st.ReplyCodes.Bars; len(got) != 4 || got[0] != (Count{"220", 3}) || got[3] != (Count{"550", 1}) {
		t.Errorf("reply codes %v", got)
	}
	if st.Clients.Bars[0] != (Count{"10.0.0.1", 2}) || st.Clients.Other != 1 || st.Clients.Total != 3 {
		t.Errorf("clients %+v", st.Clients)
	}
	if st.Senders.Bars[0] != (Count{"<>", 3}) || st.Senders.Other != 3 {
		t.Errorf("senders %+v", st.Senders)
	}
	if st.Recipients.Total != 6 {
		t.Errorf("recipients %+v", st.Recipients)
	}
	// 5 minutes in at most 10 buckets: 1-minute buckets, 6 of them.
	if o := st.OverTime; o.Bucket != time.Minute || len(o.Counts) != 6 || o.Counts[0] != 1 || o.Counts[1] != 1 || o.Counts[5] != 1 {
		t.Errorf("over time %+v", o)
	}
	text := strings.Join(st.Lines(60), "\n")
	for _, want := range []string{"Reply codes — 6 replies", "  550  ", "… and 1 session more", "Sessions over time — 3 sessions, 1 min each"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, l := range st.Lines(60) {
		if w := len([]rune(l)); w > 60 {
			t.Errorf("line wider than 60: %q", l)
		}
	}
}

// Past MaxKeys distinct keys the rest are counted, not kept.
func TestBounded(t *testing.T) {
	var a Acc
	for i := range MaxKeys + 5 {
		a.Add(&session.Session{Client: session.Endpoint{IP: "10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)}})
	}
	st := a.Stats(Options{})
	if st.Clients.Untracked != 5 || st.Clients.Total != MaxKeys+5 || len(a.clients.n) != MaxKeys {
		t.Errorf("untracked %d total %d kept %d", st.Clients.Untracked, st.Clients.Total, len(a.clients.n))
	}
	if !strings.Contains(strings.Join(st.Clients.Lines(80), "\n"), "5 sessions past the 10000 keys counted") {
		t.Errorf("the limit is not shown:\n%s", strings.Join(st.Clients.Lines(80), "\n"))
	}
	if st.OverTime.Untimed != MaxKeys+5 {
		t.Errorf("untimed %d", st.OverTime.Untimed)
	}
}

func TestPath(t *testing.T) {
	for in, want := range map[string]string{"FROM:<A@B>": "a@b", "FROM: <a@b> SIZE=1": "a@b", "FROM:a@b BODY=8BITMIME": "a@b", "TO:<x": "", "XYZ": ""} {
		pre := "FROM:"
		if strings.HasPrefix(in, "TO") {
			pre = "TO:"
		}
		if got := path(in, pre); got != want {
			t.Errorf("path(%q) = %q, want %q", in, got, want)
		}
	}
}
