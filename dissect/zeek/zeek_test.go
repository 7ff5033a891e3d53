package zeek

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

var testSchema = Schema{Path: "test", Fields: []Field{{"ts", TTime}, {"s", TString}, {"set", TSetString},
	{"n", TCount}, {"b", TBool}, {"a", TAddr}}}

// The ASCII writer's escaping (threading/formatters/Ascii.cc): reserved
// strings get their first byte escaped, the separators and control bytes
// become \xHH, a backslash \\, valid UTF-8 passes.
func TestTSVEscaping(t *testing.T) {
	ts := time.Date(2026, 1, 15, 10, 0, 0, 123456000, time.UTC)
	cases := []struct {
		row  Row
		want string
	}{
		{Row{Time(ts), Str("plain"), List([]string{"a", "b"}), Count(3), Bool(true), Addr("2001:db8::1")},
			"1768471200.123456\tplain\ta,b\t3\tT\t2001:db8::1\n"},
		{Row{Unset, Str(""), List(nil), Unset, Bool(false), Unset}, "-\t(empty)\t(empty)\t-\tF\t-\n"},
		{Row{Unset, Str("-"), List([]string{"-", "(empty)", ""}), Unset, Unset, Unset},
			"-\t\\x2d\t\\x2d,\\x28empty),(empty)\t-\t-\t-\n"},
		{Row{Unset, Str("(empty)"), List([]string{"x,y"}), Unset, Unset, Unset}, "-\t\\x28empty)\tx\\x2cy\t-\t-\t-\n"},
		{Row{Unset, Str("tab\there\\ \x01 é \xff, ok"), Unset, Unset, Unset, Unset},
			"-\ttab\\x09here\\\\ \\x01 é \\xff, ok\t-\t-\t-\t-\n"},
	}
	for _, c := range cases {
		got := string(appendTSVRow(nil, testSchema, c.row))
		if got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

// LogAscii::use_json: unset fields left out, booleans and numbers bare,
// sets as arrays, bytes that are not UTF-8 as the text \xHH.
func TestJSONRow(t *testing.T) {
	ts := time.Date(2026, 1, 15, 10, 0, 0, 120000000, time.UTC)
	got := string(appendJSONRow(nil, testSchema, Row{Time(ts), Str("q\"\\\n\xff"), List(nil), Count(7), Bool(false), Unset}))
	want := `{"ts":1768471200.12,"s":"q\"\\\n\\xff","set":[],"n":7,"b":false}` + "\n"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A log written here reads back by its header, every value unescaped to
// what was written.
func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	open := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	l := NewLog(&buf, testSchema, TSV, open)
	strs := []string{"plain", "-", "(empty)", "", "a\tb", "back\\slash", "x\x00y", "naïve"}
	for _, s := range strs {
		if err := l.Write(Row{Unset, Str(s), List([]string{s, "z,"}), Count(1), Bool(true), Addr("192.0.2.1")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(open.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	tb, err := ReadTSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Path != "test" || tb.Open != "2026-01-02-03-04-05" || tb.Close != "2026-01-02-03-05-05" {
		t.Errorf("header: path %q open %q close %q", tb.Path, tb.Open, tb.Close)
	}
	if !slices.Equal(tb.Fields, []string{"ts", "s", "set", "n", "b", "a"}) || tb.Types[2] != "set[string]" {
		t.Errorf("fields %v types %v", tb.Fields, tb.Types)
	}
	if len(tb.Rows) != len(strs) {
		t.Fatalf("%d rows, want %d", len(tb.Rows), len(strs))
	}
	for i, s := range strs {
		v, ok, err := tb.Value(tb.Rows[i], "s")
		if err != nil || !ok || v[0] != s {
			t.Errorf("row %d: s = %q %v %v, want %q", i, v, ok, err, s)
		}
		set, _, _ := tb.Value(tb.Rows[i], "set")
		if !slices.Equal(set, []string{s, "z,"}) {
			t.Errorf("row %d: set = %q", i, set)
		}
		if _, ok, _ := tb.Value(tb.Rows[i], "ts"); ok {
			t.Errorf("row %d: ts should be unset", i)
		}
	}
	cut := tb.Cut("a", "missing", "n")
	if !slices.Equal(cut[0], []string{"192.0.2.1", "-", "1"}) {
		t.Errorf("Cut = %q", cut[0])
	}
}

func TestReadTSVErrors(t *testing.T) {
	for _, in := range []string{
		"1\t2\n",
		"#separator \\x09\n#fields\ta\tb\n#types\tstring\tstring\n1\n",
		"#separator \\x09\n#fields\ta\n#types\tstring\tcount\n",
	} {
		if _, err := ReadTSV(strings.NewReader(in)); err == nil {
			t.Errorf("ReadTSV(%q): no error", in)
		}
	}
}

func TestEmailAddrs(t *testing.T) {
	cases := map[string][]string{
		"FROM:<alice@example.net> BODY=8BITMIME":            {"alice@example.net"},
		"TO:<bob@example.com> ORCPT=rfc822;bob@example.com": {"bob@example.com", "ORCPT=rfc822;bob@example.com"},
		"FROM:<>":                                nil,
		"to: carol@example.org":                  {"carol@example.org"},
		"FROM:<@relay.example:dave@example.net>": {"dave@example.net"},
	}
	for in, want := range cases {
		if got := emailAddrs(in); !slices.Equal(got, want) {
			t.Errorf("emailAddrs(%q) = %q, want %q", in, got, want)
		}
	}
	if got := splitAddresses(`"Doe, John" <j@x.org>, b@y.org,, <c@z, d>`); !slices.Equal(got, []string{`"Doe, John" <j@x.org>`, "b@y.org", "<c@z, d>"}) {
		t.Errorf("splitAddresses = %q", got)
	}
}

func TestIdent(t *testing.T) {
	a, b := ident('C', "x"), ident('C', "y")
	if a == b || a[0] != 'C' || len(a) < 12 || len(a) > 18 {
		t.Errorf("ident: %q %q", a, b)
	}
	if ident('C', "x") != a {
		t.Error("ident is not deterministic")
	}
	for _, c := range a[1:] {
		if !strings.ContainsRune(base62, c) {
			t.Errorf("ident %q: %q is not base 62", a, c)
		}
	}
}
