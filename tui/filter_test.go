package tui

import (
	"strings"
	"testing"

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

func TestFilterErrors(t *testing.T) {
	tests := []struct {
		filter, want string
	}{
		{"bogus:1", `unknown key "bogus"`},
		{"port:", `"port:" needs a value`},
		{"port:abc", `port "abc"`},
		{"port:70000", `port "70000"`},
		{"role:mta", `role "mta"`},
		{"tls:yes", `tls "yes"`},
		{"stream:-1", `stream "-1"`},
		{"!", "empty term"},
		{strings.Repeat("a ", maxFilterTerms+1), "more than 32 terms"},
	}
	for _, tt := range tests {
		_, err := parseFilter(tt.filter)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "tui: filter: ") {
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

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "port:587", "tls:none role:relay", "!cmd:AUTH alice", "rcpt:alice@ finding:starttls",
		"bogus:1", "port:", "[red]", "stream:9999999999999999999999", "::::", "!!!"} {
		f.Add(s)
	}
	ss := filterCorpus()
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := parseFilter(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "tui: filter: ") {
				t.Fatalf("parseFilter(%q) error %q lacks the package prefix", s, err)
			}
			return
		}
		for _, x := range ss {
			_ = flt.match(x)
		}
		_ = flt.searchWords()
	})
}
