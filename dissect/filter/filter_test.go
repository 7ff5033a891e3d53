package filter

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

func cmd(verb, arg string, code int) session.Command {
	return session.Command{Verb: verb, Arg: arg, Reply: &session.ReplyRef{Code: code}}
}

func replies(codes ...int) []session.Reply {
	var out []session.Reply
	for _, c := range codes {
		out = append(out, session.Reply{Code: c})
	}
	return out
}

// corpus is what every table test runs on:
//
//	0 relay :25, STARTTLS TLS 1.3, frames 1–20, 0.2s, a low finding
//	1 submission :587 in clear, AUTH + one message to alice, frames 21–40, 3s, crit + high
//	2 submissions :465, implicit TLS 1.2, frames 30–35, 50ms
//	3 relay :25, STARTTLS refused with 454, a 550 for RCPT, frames 100–200
func corpus() []*session.Session {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	return []*session.Session{
		{
			Stream: 0, Client: session.Endpoint{IP: "192.0.2.10", Port: 40000}, Server: session.Endpoint{IP: "198.51.100.25", Port: 25},
			PortRole: session.RoleRelay, FirstFrame: 1, LastFrame: 20, Start: t0, End: t0.Add(200 * time.Millisecond),
			TLS:          session.TLSInfo{Mode: session.TLSStartTLS, Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", SNI: "mx.example"},
			Capabilities: []session.Capability{{Keyword: "PIPELINING"}, {Keyword: "STARTTLS"}},
			Commands:     []session.Command{cmd("EHLO", "client.example", 250), cmd("STARTTLS", "", 220), cmd("QUIT", "", 221)},
			Replies:      replies(220, 250, 220, 221),
			TLSRecords:   make([]session.TLSRecord, 7),
			Findings:     []session.Finding{{Code: "auth.advertised_before_tls", Severity: session.SevLow}},
			Complete:     true,
		},
		{
			Stream: 1, Client: session.Endpoint{IP: "192.0.2.20", Port: 50000}, Server: session.Endpoint{IP: "203.0.113.87", Port: 587},
			PortRole: session.RoleSubmission, FirstFrame: 21, LastFrame: 40, Start: t0, End: t0.Add(3 * time.Second),
			TLS: session.TLSInfo{Mode: session.TLSNone},
			Commands: []session.Command{cmd("EHLO", "laptop", 250), cmd("AUTH", "PLAIN ********", 235),
				cmd("MAIL", "FROM:<bob@example.org>", 250), cmd("RCPT", "TO:<alice@example.com>", 250), cmd("DATA", "", 354), cmd("QUIT", "", 221)},
			Replies:  replies(220, 250, 235, 250, 250, 354, 250, 221),
			Auth:     []session.AuthAttempt{{Mechanism: "PLAIN", User: "bob", Result: 235}},
			Messages: []session.Message{{MailFrom: "bob@example.org", RcptTo: []string{"alice@example.com"}, Subject: "Quarterly report", Size: 812, Accepted: true}},
			Findings: []session.Finding{{Code: "auth.plaintext", Severity: session.SevCrit}, {Code: "mail.plaintext", Severity: session.SevHigh}},
			Complete: true,
		},
		{
			Stream: 2, Client: session.Endpoint{IP: "2001:db8::99", Port: 51000}, Server: session.Endpoint{IP: "203.0.113.65", Port: 465},
			PortRole: session.RoleSubmissions, FirstFrame: 30, LastFrame: 35, Start: t0, End: t0.Add(50 * time.Millisecond),
			TLS:      session.TLSInfo{Mode: session.TLSImplicit, Version: "TLS 1.2", SNI: "smtp.example", Decrypted: true},
			Complete: true,
		},
		{
			Stream: 3, Client: session.Endpoint{IP: "192.0.2.33", Port: 50000}, Server: session.Endpoint{IP: "203.0.113.87", Port: 25},
			PortRole: session.RoleRelay, FirstFrame: 100, LastFrame: 200, Start: t0, End: t0.Add(2 * time.Second),
			TLS: session.TLSInfo{Mode: session.TLSNone},
			Commands: []session.Command{cmd("EHLO", "x", 250), cmd("STARTTLS", "", 454), cmd("AUTH", "LOGIN", 535),
				cmd("MAIL", "FROM:<bob@example.org>", 250), cmd("RCPT", "TO:<alice@example.com>", 550)},
			Replies:  replies(220, 250, 454, 535, 250, 550),
			Findings: []session.Finding{{Code: "starttls.refused", Severity: session.SevMedium}, {Code: "auth.plaintext", Severity: session.SevCrit}},
			Complete: true,
		},
	}
}

func matching(t *testing.T, src string) []int64 {
	t.Helper()
	f, err := Parse(src)
	if err != nil {
		t.Errorf("Parse(%q): %v", src, err)
		return []int64{-1}
	}
	var got []int64
	for _, s := range corpus() {
		if f.Match(s) {
			got = append(got, s.Stream)
		}
	}
	return got
}

func TestMatch(t *testing.T) {
	all := []int64{0, 1, 2, 3}
	tests := []struct {
		filter string
		want   []int64
	}{
		{"", all},
		{"   ", all},
		// The original words.
		{"port:587", []int64{1}},
		{"port:25", []int64{0, 3}},
		{"port:40000", []int64{0}},
		{"role:submissions", []int64{2}},
		{"ROLE:relay", []int64{0, 3}},
		{"tls:none", []int64{1}},
		{"tls:plain", []int64{1}},
		{"tls:starttls", []int64{0}},
		{"tls:implicit", []int64{2}},
		{"tls:failed", []int64{3}},
		{"finding:auth", []int64{0, 1, 3}},
		{"finding:crit", []int64{1, 3}},
		{"cmd:AUTH", []int64{1, 3}},
		{"cmd:starttls", []int64{0, 3}},
		{"rcpt:ALICE@example.com", []int64{1, 3}},
		{"from:bob@", []int64{1, 3}},
		{"subject:quarterly", []int64{1}},
		{"sni:smtp.example", []int64{2}},
		{"stream:2", []int64{2}},
		{"frame:33", []int64{1, 2}},
		{"frame:150", []int64{3}},
		{"addr:192.0.2.20", []int64{1}},
		{"192.0.2.20", []int64{1}},
		{"2001:db8::99", []int64{2}},
		{"[2001:db8::99]:51000", []int64{2}},
		{"quarterly", []int64{1}},
		{`"quarterly report"`, []int64{1}},
		{"port:25 cmd:starttls", []int64{0, 3}},
		{"port:25 !tls:failed", []int64{0}},
		{"!cmd:AUTH", []int64{0, 2}},
		{"  port:587   tls:none  ", []int64{1}},
		// Operators.
		{"port:587 or port:465", []int64{1, 2}},
		{"port:587 OR port:465", []int64{1, 2}},
		{"port:587 || tls:implicit", []int64{1, 2}},
		{"port:25 and not tls:failed", []int64{0}},
		{"port:25 && !(tls == failed)", []int64{0}},
		{"not (port:25 or port:587)", []int64{2}},
		{"(port:25 or port:587) and msgs > 0", []int64{1}},
		{"port:25 or port:587 and msgs > 0", []int64{0, 1, 3}},
		// Comparisons.
		{"tls.version >= 1.2", []int64{0, 2}},
		{"tls.version < 1.3", []int64{2}},
		{"tls.version == TLSv1.3", []int64{0}},
		{`tls.version == "TLS 1.2"`, []int64{2}},
		{"reply.code == 454", []int64{3}},
		{"reply >= 500", []int64{3}},
		{"reply >= 500 or tls.version < 1.2", []int64{3}},
		{"reply >= 500 or tls.version < 1.3", []int64{2, 3}},
		{"replies.code != 250", []int64{2}},
		{"reply in 500..599", []int64{3}},
		{"msgs > 0", []int64{1}},
		{"messages == 0", []int64{0, 2, 3}},
		{"msgs", []int64{1}},
		{"duration > 2s", []int64{1}},
		{"duration >= 2s", []int64{1, 3}},
		{"duration < 100ms", []int64{2}},
		{"duration > 0.5", []int64{1, 3}},
		{"frame in 100..200", []int64{3}},
		{"frame in 30 .. 35", []int64{1, 2}},
		{"frame in 36..99", []int64{1}},
		{"frame == 1", []int64{0}},
		{"frame > 100", []int64{3}},
		{"stream >= 2", []int64{2, 3}},
		{"server.port == 25", []int64{0, 3}},
		{"client.ip contains 2001:db8", []int64{2}},
		{"port_role == relay", []int64{0, 3}},
		{"tls.mode == none", []int64{1, 3}},
		{"commands.verb == rcpt", []int64{1, 3}},
		{"cmds > 5", []int64{1}},
		{"findings.severity >= high", []int64{1, 3}},
		{"severity == medium", []int64{3}},
		{"findings == 0", []int64{2}},
		{"findings.code matches ^auth\\.", []int64{0, 1, 3}},
		{`subject matches "^quar.*port$"`, []int64{1}},
		{"messages.subject contains REPORT", []int64{1}},
		{"auth.user == bob", []int64{1}},
		{"messages.from contains bob", []int64{}},
		{"messages.to contains x", []int64{}},
		{"auth.result == 235", []int64{1}},
		{"capability == pipelining", []int64{0}},
		{"tls.decrypted", []int64{2}},
		{"tls.decrypted == false", []int64{0, 1, 3}},
		{"not tls.decrypted", []int64{0, 1, 3}},
		{"tls_records > 5", []int64{0}},
		{"messages.size > 800 and messages.accepted", []int64{1}},
		{"tls.cipher contains aes_128", []int64{0}},
		{"rcpt contains alice and reply == 550", []int64{3}},
		{"((((port:465))))", []int64{2}},
	}
	for _, tt := range tests {
		if got := matching(t, tt.filter); !slices.Equal(got, tt.want) {
			t.Errorf("%q matches %v, want %v", tt.filter, got, tt.want)
		}
	}
}

// The error names the column, and Offset/Len point at the culprit.
func TestErrors(t *testing.T) {
	tests := []struct {
		filter string
		at     string // the source text the error points at ("" for the end)
		col    int
		want   string
	}{
		{"bogus:1", "bogus", 1, `unknown field "bogus"`},
		{"tls.verison >= 1.2", "tls.verison", 1, "did you mean tls.version?"},
		{"port == 25 and replie > 3", "replie", 16, "did you mean replies?"},
		{"port:", "port:", 1, `"port:" needs a value`},
		{"port:abc", "abc", 6, `"abc" is not a number`},
		{"role:mta", "mta", 6, `port_role "mta" (want relay, submission, submissions or other)`},
		{"tls:yes", "yes", 5, `tls "yes"`},
		{"stream:x", "x", 8, `"x" is not a number`},
		{"!", "", 2, `something must follow "not"`},
		{"port:25 and", "", 12, `something must follow "and"`},
		{"port:25 or or port:1", "or", 12, `"or" cannot follow "or"`},
		{"or port:1", "or", 1, `"or" needs something before it`},
		{"(port:25", "(", 1, "this ( is never closed"},
		{"port:25)", ")", 8, "this ) has no ( before it"},
		{"()", ")", 2, "nothing between ( and )"},
		{"tls.version >= 1.9", "1.9", 16, `"1.9" is not a TLS version`},
		{"tls.version >=", "", 15, "tls.version >= needs a value"},
		{"reply >= abc", "abc", 10, `replies.code: "abc" is not a number`},
		{"duration > 2 parsecs", "", 0, ""}, // "parsecs" is a word: valid
		{"duration > 2y", "2y", 12, "is not a duration"},
		{"frame in 200..100", "200..100", 10, "the range 200..100 is empty"},
		{"frame in 1..x", "x", 13, `"x" is not a frame number`},
		{"frame in 100", "100", 10, "in needs a range"},
		{"client > 3", ">", 8, "client is text"},
		{"msgs contains 3", "contains", 6, "messages is a number"},
		{"== 3", "==", 1, "== needs a field name before it"},
		{"port:25 == 3", "==", 9, "== needs a field name before it"},
		{"foo == 3", "foo", 1, `unknown field "foo"`},
		{`subject contains "abc`, `"`, 18, "this quote is never closed"},
		{"a & b", "&", 3, `"&" alone is not an operator`},
		{"subject =~ x", "=~", 9, "write matches"},
		{"subject matches (", "(", 17, "needs a value before"},
		{"subject matches [", "[", 17, "is not a regular expression"},
		{"é port:x", "x", 8, `"x" is not a number`},
		{strings.Repeat("a ", MaxTerms+1), "a", 2*MaxTerms + 1, "more than 64 terms"},
		{strings.Repeat("(", MaxDepth+1) + "a" + strings.Repeat(")", MaxDepth+1), "(", MaxDepth + 1, "nested deeper than 32"},
		{strings.Repeat("!", MaxDepth+1) + "a", "!", MaxDepth + 1, "nested deeper than 32"},
		{strings.Repeat("x", MaxLen+1), "x", MaxLen + 1, "longer than 4096"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.filter)
		if tt.want == "" {
			if err != nil {
				t.Errorf("Parse(%q) = %v, want no error", tt.filter, err)
			}
			continue
		}
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("Parse(%q) error = %v, want a *filter.Error", tt.filter, err)
			continue
		}
		at := ""
		if fe.Offset < len(tt.filter) {
			at = tt.filter[fe.Offset:min(len(tt.filter), fe.Offset+fe.Len)]
		}
		if !strings.Contains(fe.Msg, tt.want) || fe.Column() != tt.col || at != tt.at {
			t.Errorf("Parse(%q) = %q (column %d, at %q), want %q at column %d (%q)", tt.filter, fe.Error(), fe.Column(), at, tt.want, tt.col, tt.at)
		}
		if !strings.HasPrefix(err.Error(), "filter: column ") {
			t.Errorf("Parse(%q).Error() = %q", tt.filter, err)
		}
	}
}

func TestWords(t *testing.T) {
	f, err := Parse("port:25 cmd:QUIT !cmd:AUTH Hello rcpt:x@ not bye (subject contains Hi or y)")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(f.Words(), ","), "quit,hello,x@,hi,y"; got != want {
		t.Errorf("Words() = %q, want %q", got, want)
	}
}

func TestVersionRank(t *testing.T) {
	for _, v := range []struct {
		in   string
		want int64
	}{{"TLS 1.3", 13}, {"TLS 1.3 draft 28", 13}, {"tlsv1.2", 12}, {"1.0", 10}, {"SSL 3.0", 3}, {"sslv3", 3}, {"0x0303", 12}, {"0x7f1c", 13}} {
		if got, ok := versionRank(v.in); !ok || got != v.want {
			t.Errorf("versionRank(%q) = %d, %v; want %d", v.in, got, ok, v.want)
		}
	}
	for _, bad := range []string{"", "3.0", "1.4", "0xzz", "TLS"} {
		if _, ok := versionRank(bad); ok {
			t.Errorf("versionRank(%q) is a version", bad)
		}
	}
}

// Every field can be compared; none panics on an empty session.
func TestEveryField(t *testing.T) {
	empty := &session.Session{}
	for _, fd := range Fields() {
		src := fd.Name + " == 1"
		switch {
		case fd.Type == "text":
			src = fd.Name + " contains x"
		case fd.Type == "severity":
			src = fd.Name + " >= low"
		case fd.Type == "version":
			src = fd.Name + " >= 1.2"
		case fd.Type == "bool":
			src = fd.Name + " == true"
		case fd.Type == "duration":
			src = fd.Name + " > 1s"
		}
		f, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		f.Match(empty)
		for _, s := range corpus() {
			f.Match(s)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "port:587", "tls:none role:relay", "!cmd:AUTH alice", "reply >= 500 or tls.version < 1.2",
		"frame in 100..200", "(a or (b and not c))", `subject matches "^x"`, "bogus:1", "port:", "[red]", "::::", "!!!", "\"unterminated"} {
		f.Add(s)
	}
	ss := corpus()
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := Parse(s)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.Offset < 0 || fe.Offset > len(s) || fe.Len < 1 {
				t.Fatalf("Parse(%q) error %#v", s, err)
			}
			return
		}
		for _, x := range ss {
			_ = flt.Match(x)
		}
		_ = flt.Words()
	})
}

// BenchmarkMatch is the cost of one filter on one session: the UI runs it
// over every session at each key typed.
func BenchmarkMatch(b *testing.B) {
	f, err := Parse("(reply >= 500 or tls.version < 1.2) and not port:587 and rcpt contains alice")
	if err != nil {
		b.Fatal(err)
	}
	ss := corpus()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f.Match(ss[i%len(ss)])
	}
}
