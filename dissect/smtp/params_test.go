package smtp

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

func TestParsePathArgParams(t *testing.T) {
	tests := []struct {
		in   string
		mail bool
		path string
		want Params
	}{
		{"FROM:<a@b> SIZE=1024 BODY=8bitmime SMTPUTF8 REQUIRETLS", true, "a@b",
			Params{Size: 1024, HasSize: true, Body: "8BITMIME", SMTPUTF8: true, RequireTLS: true}},
		{"FROM:<> RET=HDRS ENVID=QQ314159+2Bx AUTH=e+3Dmc2@example.com", true, "",
			Params{Ret: "HDRS", EnvID: "QQ314159+x", Auth: "e=mc2@example.com"}},
		{"FROM:<a@b> AUTH=<>", true, "a@b", Params{Auth: "<>"}},
		{"TO:<c@d> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c+40d", false, "c@d",
			Params{Notify: []string{"SUCCESS", "FAILURE"}, ORcpt: "c@d", ORcptType: "rfc822"}},
		{`TO:<"a>b"@d> XFOO=1 XBAR`, false, `"a>b"@d`,
			Params{Other: []Param{{"XFOO", "1"}, {"XBAR", ""}}}},
		{"FROM:<a@b> SIZE=-5", true, "a@b", Params{Problems: []string{`SIZE: not a number "-5"`}}},
		{"FROM:<a@b> BODY=9BIT", true, "a@b", Params{Body: "9BIT", Problems: []string{`BODY: unknown body type "9BIT"`}}},
		{"TO:<c@d> NOTIFY=NEVER,DELAY", false, "c@d", Params{Notify: []string{"NEVER", "DELAY"},
			Problems: []string{`NOTIFY: NEVER with other values "NEVER,DELAY"`}}},
		{"TO:<c@d> ORCPT=c+4", false, "c@d", Params{ORcpt: "c+4",
			Problems: []string{`ORCPT: lacks addr-type "c+4"`, `ORCPT: bad xtext "c+4"`}}},
		{"FROM: <a@b>", true, "a@b", Params{Problems: []string{"space after FROM:"}}},
		{"FROM:a@b SIZE=1", true, "a@b", Params{Size: 1, HasSize: true, Problems: []string{"path without angle brackets"}}},
		{"FROM:<a@b>SIZE=1", true, "a@b", Params{Size: 1, HasSize: true, Problems: []string{`no space before "SIZE=1"`}}},
		{"TO:<c@d> SIZE=1", false, "c@d", Params{Other: []Param{{"SIZE", "1"}}}},
	}
	for _, tc := range tests {
		prefix := "TO:"
		if tc.mail {
			prefix = "FROM:"
		}
		got := parsePathArg([]byte(tc.in), prefix, tc.mail)
		if string(got.path) != tc.path || !reflect.DeepEqual(got.params, tc.want) {
			t.Errorf("parsePathArg(%q) = %q %+v, want %q %+v", tc.in, got.path, got.params, tc.path, tc.want)
		}
	}
}

func TestParamsBounded(t *testing.T) {
	arg := "FROM:<a@b>" + strings.Repeat(" X=1", 100)
	got := parsePathArg([]byte(arg), "FROM:", true).params
	if len(got.Other) != maxParams || len(got.Problems) != 1 {
		t.Errorf("100 parameters: kept %d, problems %q; want %d kept and one problem", len(got.Other), got.Problems, maxParams)
	}
}

func TestXtextDecode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"abc", "abc", true},
		{"a+2Bb", "a+b", true},
		{"a+2b", "a+2b", false}, // RFC 3461, Section 4: upper-case hex only
		{"a+", "a+", false},
		{"+00", `\x00`, true}, // decoded bytes are sanitized
		{"a=b", "a=b", false},
	}
	for _, tc := range tests {
		got, ok := xtextDecode([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("xtextDecode(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzParsePathArg(f *testing.F) {
	for _, s := range []string{"FROM:<a@b> SIZE=1024 BODY=8BITMIME", "TO:<c@d> NOTIFY=SUCCESS ORCPT=rfc822;c+40d",
		`TO:<"a>\"b"@d>`, "FROM:<", "FROM:<a@b> AUTH=+", ""} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, arg []byte, mail bool) {
		prefix := "TO:"
		if mail {
			prefix = "FROM:"
		}
		pa := parsePathArg(arg, prefix, mail)
		if len(pa.path) > len(arg) || len(pa.params.Other) > maxParams {
			t.Fatalf("parsePathArg(%q): path %d bytes, %d params", arg, len(pa.path), len(pa.params.Other))
		}
	})
}

func TestEnvelopeParamsInMessage(t *testing.T) {
	var got []Message
	c := NewConn(Options{}, SinkFunc(func(e *Event) {
		if e.Kind == EvMessage {
			m := e.Message
			m.RcptTo = append([]Rcpt(nil), m.RcptTo...)
			got = append(got, m)
		}
	}))
	pos := func(f int64) wire.Pos { return wire.Pos{Frame: f} }
	c.Feed(wire.ServerToClient, []byte("220 mx\r\n"), pos(1))
	c.Feed(wire.ClientToServer, []byte("MAIL FROM:<a@x> SIZE=12 BODY=8BITMIME\r\n"), pos(2))
	c.Feed(wire.ServerToClient, []byte("250 ok\r\n"), pos(3))
	c.Feed(wire.ClientToServer, []byte("RCPT TO:<b@y> NOTIFY=NEVER\r\n"), pos(4))
	c.Feed(wire.ServerToClient, []byte("250 ok\r\n"), pos(5))
	c.Feed(wire.ClientToServer, []byte("RCPT TO:<c@z>\r\n"), pos(6))
	c.Feed(wire.ServerToClient, []byte("550 no\r\n"), pos(7))
	c.Feed(wire.ClientToServer, []byte("DATA\r\n"), pos(8))
	c.Feed(wire.ServerToClient, []byte("354 go\r\n"), pos(9))
	c.Feed(wire.ClientToServer, []byte("Subject: x\r\n\r\nhi\r\n.\r\n"), pos(10))
	c.Feed(wire.ServerToClient, []byte("250 queued\r\n"), pos(11))
	if len(got) != 1 {
		t.Fatalf("got %d messages, want 1", len(got))
	}
	m := got[0]
	if m.MailReply != 250 || m.MailParams.Size != 12 || m.MailParams.Body != "8BITMIME" {
		t.Errorf("MAIL: reply %d params %+v, want 250 SIZE=12 BODY=8BITMIME", m.MailReply, m.MailParams)
	}
	want := []struct {
		addr          string
		code          int
		frame, rframe int64
		notify        int
	}{{"b@y", 250, 4, 5, 1}, {"c@z", 550, 6, 7, 0}}
	if len(m.RcptTo) != len(want) {
		t.Fatalf("got %d RCPTs, want %d", len(m.RcptTo), len(want))
	}
	for i, w := range want {
		r := m.RcptTo[i]
		if r.Addr != w.addr || r.Code != w.code || r.Frame != w.frame || r.ReplyFrame != w.rframe || len(r.Params.Notify) != w.notify {
			t.Errorf("RCPT %d = %+v, want %+v", i, r, w)
		}
	}
}
