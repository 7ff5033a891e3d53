package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// filterCorpus is the sessions every filter test runs on: 0 starttls relay,
// 1 plain submission, 2 implicit TLS, 3 refused STARTTLS.
func filterCorpus() []*session.Session {
	refused := plainSubmission(3, "192.0.2.33")
	refused.Server.Port, refused.PortRole = 25, session.RoleRelay
	refused.Commands = append(refused.Commands, session.Command{Verb: "STARTTLS", Reply: &session.ReplyRef{Code: 454}})
	return []*session.Session{startTLSSession(), plainSubmission(1, "192.0.2.20"), implicitSession(2), refused}
}

func TestFilterMatch(t *testing.T) {
	ss := filterCorpus()
	tests := []struct {
		filter string
		want   []int64 // streams that match
	}{
		{"", []int64{0, 1, 2, 3}},
		{"port:587", []int64{1}},
		{"port:25", []int64{0, 3}},
		{"port:40000", []int64{0}},
		{"role:submission", []int64{1}},
		{"role:submissions", []int64{2}},
		{"ROLE:relay", []int64{0, 3}},
		{"tls:none", []int64{1}},
		{"tls:plain", []int64{1}},
		{"tls:starttls", []int64{0}},
		{"tls:implicit", []int64{2}},
		{"tls:failed", []int64{3}},
		{"finding:starttls", nil},
		{"finding:auth", []int64{0, 1, 3}},
		{"finding:crit", []int64{1, 3}},
		{"cmd:AUTH", []int64{1, 3}},
		{"cmd:starttls", []int64{0, 3}},
		{"rcpt:alice@", []int64{1, 3}},
		{"rcpt:ALICE@example.com", []int64{1, 3}},
		{"from:bob@", []int64{1, 3}},
		{"subject:quarterly", []int64{1, 3}},
		{"sni:smtp.example", []int64{2}},
		{"stream:2", []int64{2}},
		{"addr:192.0.2.20", []int64{1}},
		{"192.0.2.20", []int64{1}},
		{"[192.0.2.20]", nil},
		{"quarterly", []int64{1, 3}},
		{"client.example", []int64{0}},
		{"port:25 cmd:starttls", []int64{0, 3}},
		{"port:25 !tls:failed", []int64{0}},
		{"!cmd:AUTH", []int64{0, 2}},
		{"  port:587   tls:none  ", []int64{1}},
		{"port:587 tls:starttls", nil},
	}
	for _, tt := range tests {
		f, err := parseFilter(tt.filter)
		if err != nil {
			t.Errorf("parseFilter(%q) error %v", tt.filter, err)
			continue
		}
		var got []int64
		for _, s := range ss {
			if f.match(s) {
				got = append(got, s.Stream)
			}
		}
		if !equalInts(got, tt.want) {
			t.Errorf("filter(%q) matches %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The UI's filter is dissect/filter's (its own tests cover the language);
// here: the UI sees its errors with their position.
func TestFilterErrors(t *testing.T) {
	tests := []struct {
		filter, want string
	}{
		{"bogus:1", `column 1: unknown field "bogus"`},
		{"port:", `"port:" needs a value`},
		{"port:abc", `column 6: port: "abc" is not a number`},
		{"role:mta", `port_role "mta"`},
		{"tls:yes", `tls "yes"`},
		{"!", `something must follow "not"`},
	}
	for _, tt := range tests {
		_, err := parseFilter(tt.filter)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseFilter(%q) error = %v, want one containing %q", tt.filter, err, tt.want)
		}
	}
}

func TestFilterSearchWords(t *testing.T) {
	f, err := parseFilter("port:25 cmd:QUIT !cmd:AUTH Hello rcpt:x@")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(f.searchWords(), ",")
	if want := "quit,hello,x@"; got != want {
		t.Errorf("searchWords() = %q, want %q", got, want)
	}
}

// The caret line points under the filter field at the part of the filter
// an error is about, at 80x24 and 60x20, and goes when the filter is valid.
func TestFilterCaret(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(storeOf(filterCorpus()...), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		press(u, s, tcell.KeyRune, '/')
		for _, r := range "port:25 or tls.verison >= 1.2" {
			press(u, s, tcell.KeyRune, r)
		}
		rows := screenRows(s)
		input, caret := rows[sz[1]-2], rows[sz[1]-1]
		col := strings.Index(input, "tls.verison")
		if !strings.HasPrefix(input, "/port:25") || col < 0 {
			t.Fatalf("%dx%d: the filter field is not on the second last row:\n%s", sz[0], sz[1], screenText(s))
		}
		if got := strings.Index(caret, "^~~~~~~~~~"); got != col {
			t.Errorf("%dx%d: caret at column %d, want %d:\n%s\n%s", sz[0], sz[1], got, col, input, caret)
		}
		if want := map[int]string{80: "did you mean tls.version?", 60: `unknown field "tls.verison"`}[sz[0]]; !strings.Contains(caret, want) {
			t.Errorf("%dx%d: the reason is not shown:\n%s", sz[0], sz[1], screenText(s))
		}
		if !strings.Contains(rows[sz[1]-3], "filter not applied: column 12") {
			t.Errorf("%dx%d: status line %q", sz[0], sz[1], rows[sz[1]-3])
		}
		// Fix it: the caret goes, the filter applies.
		for range "verison >= 1.2" {
			press(u, s, tcell.KeyBackspace2, 0)
		}
		for _, r := range "version >= 1.2" {
			press(u, s, tcell.KeyRune, r)
		}
		rows = screenRows(s)
		if strings.Contains(screenText(s), "^~") || !strings.HasPrefix(rows[sz[1]-1], "/port:25 or tls.version") {
			t.Errorf("%dx%d: after the fix:\n%s", sz[0], sz[1], screenText(s))
		}
		if !strings.Contains(screenText(s), "3/4 sessions") {
			t.Errorf("%dx%d: filter not applied after the fix:\n%s", sz[0], sz[1], screenText(s))
		}
	}
}
