package message

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

func TestSampleHeaders(t *testing.T) {
	m := parse(sample(), 0, Options{})
	checks := []struct{ name, got, want string }{
		{"From", m.From, "André <andre@example.org>"},
		{"Subject", m.Subject, "Report – Q3"},
		{"ReplyTo", m.ReplyTo, "replies@example.org"},
		{"Date", m.Date, "Fri, 4 Dec 2026 10:00:00 +0000"},
		{"MessageID", m.MessageID, "<m1@example.org>"},
		{"InReplyTo", m.InReplyTo, "<m0@example.org>"},
		{"References", m.References, "<m-1@example.org> <m0@example.org>"},
		{"UserAgent", m.UserAgent, "smtpscope-test 1.0"},
		{"XOriginatingIP", m.XOriginatingIP, "[192.0.2.20]"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if want := []string{"Bob <bob@example.net>", "carol@example.net"}; !slices.Equal(m.To, want) {
		t.Errorf("To = %q, want %q", m.To, want)
	}
	if want := []string{"Привет <dave@example.net>"}; !slices.Equal(m.Cc, want) {
		t.Errorf("Cc = %q, want %q (KOI8-R via golang.org/x/text)", m.Cc, want)
	}
	if len(m.Received) != 2 || !strings.HasPrefix(m.Received[0], "from mx.example.net") {
		t.Errorf("Received = %q, want 2, top first", m.Received)
	}
	if want := []string{"198.51.100.25", "192.0.2.20"}; !slices.Equal(m.ReceivedIPs, want) {
		t.Errorf("ReceivedIPs = %q, want %q", m.ReceivedIPs, want)
	}
	if want := []DKIM{{"example.org", "sel1"}}; !reflect.DeepEqual(m.DKIM, want) {
		t.Errorf("DKIM = %v, want %v", m.DKIM, want)
	}
	if want := []ARC{{"1", "example.net", "arc1", "none"}}; !reflect.DeepEqual(m.ARC, want) {
		t.Errorf("ARC = %v, want %v", m.ARC, want)
	}
	if len(m.AuthResults) != 1 || len(m.ReceivedSPF) != 1 || !strings.HasPrefix(m.ReceivedSPF[0], "pass") {
		t.Errorf("AuthResults = %q, ReceivedSPF = %q", m.AuthResults, m.ReceivedSPF)
	}
	if len(m.Headers) != 19 || m.Headers[0].Name != "Received" || m.Headers[18].Name != "Content-Type" {
		t.Errorf("Headers: %d fields, first %q: want all 19 in order", len(m.Headers), m.Headers[0].Name)
	}
	if len(m.Problems) != 0 || len(m.Limits) != 0 {
		t.Errorf("Problems = %q, Limits = %v, want none", m.Problems, m.Limits)
	}
}

func TestSampleTree(t *testing.T) {
	m := parse(sample(), 0, Options{})
	type row struct {
		section, ctype string
		parent, depth  int
		multipart      bool
	}
	var got []row
	for _, p := range m.Parts {
		got = append(got, row{p.Section, p.ContentType, p.Parent, p.Depth, p.Multipart})
	}
	want := []row{
		{"", "multipart/mixed", -1, 0, true},
		{"1", "multipart/alternative", 0, 1, true},
		{"1.1", "text/plain", 1, 2, false},
		{"1.2", "text/html", 1, 2, false},
		{"2", "application/octet-stream", 0, 1, false},
		{"3", "message/rfc822", 0, 1, true},
		{"3.1", "text/plain", 5, 2, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tree =\n%v\nwant\n%v", got, want)
	}
	plain := m.Parts[2]
	// Quoted-printable: "=E9" is é in ISO-8859-1, "=" at a line end is a
	// soft break, trailing blanks are dropped (RFC 2045, Section 6.7).
	wantPlain := "Caf\xe9 au lait, a long line that is soft-broken."
	if plain.Preview != "Café au lait, a long line that is soft-broken." || plain.Size != int64(len(wantPlain)) || plain.MD5 != md5hex([]byte(wantPlain)) {
		t.Errorf("text part: preview %q size %d md5 %s, want %q", plain.Preview, plain.Size, plain.MD5, wantPlain)
	}
	if plain.Charset != "iso-8859-1" || plain.Encoding != "quoted-printable" {
		t.Errorf("text part: charset %q encoding %q", plain.Charset, plain.Encoding)
	}
	html := m.Parts[3]
	if html.Preview != "<p>Café</p>" || html.Size != int64(len("<p>Caf\xc3\xa9</p>")) {
		t.Errorf("html part: preview %q size %d (the CRLF before the delimiter is not content)", html.Preview, html.Size)
	}
	att := m.Parts[4]
	if !att.Attachment() || att.Filename != "report.pdf" || att.Disposition != "attachment" {
		t.Errorf("attachment: %v %q %q", att.Attachment(), att.Filename, att.Disposition)
	}
	a := attachment()
	if att.Size != int64(len(a)) || att.MD5 != md5hex(a) || att.SHA256 != sha256hex(a) || att.Preview != "" {
		t.Errorf("attachment: size %d md5 %s sha256 %s preview %q, want %d %s %s", att.Size, att.MD5, att.SHA256, att.Preview, len(a), md5hex(a), sha256hex(a))
	}
	if inner := m.Parts[6]; inner.Preview != "forwarded body" {
		t.Errorf("forwarded message body = %q", inner.Preview)
	}
	if m.Size != int64(len(sample())) {
		t.Errorf("Size = %d, want %d", m.Size, len(sample()))
	}
}

// Output never depends on how the bytes were split.
func TestSplitEquivalence(t *testing.T) {
	msgs := map[string]string{
		"sample":   sample(),
		"plain":    "Subject: hi\r\n\r\nbody\r\n",
		"bare-lf":  "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n--b--\n",
		"overlong": "Subject: " + strings.Repeat("x", 10000) + "\r\n\r\n" + strings.Repeat("y", 9000) + "\r\n",
		"no-body":  "Subject: only a header",
		"qp-split": "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + strings.Repeat("a=3Db =\r\n", 700) + "end=",
	}
	for name, msg := range msgs {
		whole := parse(msg, 0, Options{})
		for _, split := range []int{1, 2, 3, 5, 76, 4095, 4097} {
			if got := parse(msg, split, Options{}); !reflect.DeepEqual(got, whole) {
				t.Errorf("%s: split %d differs from whole:\n%+v\nwant\n%+v", name, split, got, whole)
			}
		}
		for seed := int64(1); seed <= 5; seed++ {
			if got := parseRandom(msg, seed); !reflect.DeepEqual(got, whole) {
				t.Errorf("%s: random split %d differs from whole", name, seed)
			}
		}
	}
}

func TestPlainMessageIsOnePart(t *testing.T) {
	m := parse("Subject: hi\r\n\r\nline 1\r\nline 2\r\n", 0, Options{})
	if len(m.Parts) != 1 {
		t.Fatalf("parts = %d, want 1", len(m.Parts))
	}
	p := m.Parts[0]
	// Without a delimiter the last line ending is content.
	if p.Preview != "line 1\nline 2\n" || p.ContentType != "text/plain" || p.Encoding != "7bit" {
		t.Errorf("part = %+v", p)
	}
}

func TestBase64Lenient(t *testing.T) {
	cases := []struct{ in, want string }{
		{"aGVs\r\nbG8=\r\n", "hello"},
		{"aGVsbG8", "hello"},   // no padding
		{"aGV sbG8=", "hello"}, // white space inside
		{"aGVs!bG8=", "hello"}, // a byte outside the alphabet, skipped
		{"aGk=aGk=", "hihi"},   // concatenated runs
		{strings.Repeat("QUJD", 2000), strings.Repeat("ABC", 2000)}, // fast path
	}
	for _, c := range cases {
		m := parse("Content-Transfer-Encoding: base64\r\n\r\n"+c.in, 0, Options{})
		if p := m.Parts[0]; p.Preview != c.want[:min(len(c.want), DefaultMaxPreview)] || p.Size != int64(len(c.want)) {
			t.Errorf("base64 %q = %q (%d bytes), want %q", c.in[:min(len(c.in), 20)], p.Preview[:min(len(p.Preview), 20)], p.Size, c.want[:min(len(c.want), 20)])
		}
	}
	if m := parse("Content-Transfer-Encoding: base64\r\n\r\naGVs!bG8=", 0, Options{}); m.Parts[0].BadBytes != 1 || len(m.Problems) != 1 {
		t.Errorf("bad byte: BadBytes %d, problems %q, want 1 and 1", m.Parts[0].BadBytes, m.Problems)
	}
}

func TestQuotedPrintable(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a=3Db", "a=b"},
		{"soft=\r\nbreak", "softbreak"},
		{"soft= \r\nbreak", "softbreak"}, // white space after a soft break
		{"trail   \r\nx", "trail\r\nx"},  // trailing blanks dropped
		{"in  side", "in  side"},
		{"bad=ZZ", "bad=ZZ"}, // kept literally
		{"end=4", "end=4"},
		{"=e9=E9", "\xe9\xe9"},
	}
	for _, c := range cases {
		m := parse("Content-Type: application/x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+c.in, 0, Options{})
		if p := m.Parts[0]; p.MD5 != md5hex([]byte(c.want)) || p.Size != int64(len(c.want)) {
			t.Errorf("qp %q: size %d, want %q (%d)", c.in, p.Size, c.want, len(c.want))
		}
	}
}

func TestLimitsCounted(t *testing.T) {
	m := parse("Subject: "+strings.Repeat("x", 200)+"\r\n\r\nbody", 0, Options{MaxHeaderBytes: 100})
	if m.Limits[wire.LimitMIMEHeaderBytes] != 1 || m.Subject != "" {
		t.Errorf("header cut: limits %v subject %q", m.Limits, m.Subject)
	}
	if m.Parts[0].Preview != "body" {
		t.Errorf("after a cut header the body is still read: %q", m.Parts[0].Preview)
	}
	m = parse("\r\n"+strings.Repeat("p", 100), 0, Options{MaxPreview: 10})
	if m.Limits[wire.LimitMIMEPreview] != 1 || m.Parts[0].Preview != "pppppppppp" || !m.Parts[0].PreviewCut || m.Parts[0].Size != 100 {
		t.Errorf("preview cut: limits %v part %+v", m.Limits, m.Parts[0])
	}
}

func TestMissingCloseDelimiter(t *testing.T) {
	m := parse("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nabc\r\n", 0, Options{})
	if len(m.Parts) != 2 || !m.Parts[0].Incomplete || m.Parts[1].Preview != "abc\n" || len(m.Problems) != 1 {
		t.Errorf("parts %+v problems %q", m.Parts, m.Problems)
	}
}

func TestGap(t *testing.T) {
	p := New(Options{})
	p.Write([]byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nab"))
	p.Gap(100)
	p.Write([]byte("cd\r\n--b--\r\n"))
	m := p.Close()
	if m.GapBytes != 100 || !m.Parts[1].Incomplete || m.Parts[1].Preview != "abcd" || m.Parts[0].Incomplete {
		t.Errorf("gap: %d bytes, parts %+v", m.GapBytes, m.Parts)
	}
}

func TestBrokenCharsets(t *testing.T) {
	msg := "Subject: =?x-no-such-charset?Q?caf=E9?= and =?utf-8?B?!!!?=\r\n" +
		"Content-Type: text/plain; charset=x-bogus\r\n\r\ncaf\xe9 \x1b[31mred\r\n"
	m := parse(msg, 1, Options{})
	if m.Subject != "=?x-no-such-charset?Q?caf=E9?= and =?utf-8?B?!!!?=" {
		t.Errorf("Subject = %q, want the undecodable words kept", m.Subject)
	}
	if p := m.Parts[0]; p.Preview != `caf\xe9 \x1b[31mred`+"\n" || len(m.Problems) != 1 {
		t.Errorf("preview %q problems %q: want bytes kept, sanitized, and the charset reported", p.Preview, m.Problems)
	}
	m = parse("Content-Type: text/plain; charset=shift_jis\r\n\r\n\x82\xa0\x82\xa0", 0, Options{MaxPreview: 3})
	if m.Parts[0].Preview != "あ" {
		t.Errorf("shift_jis preview = %q, want あ (the character cut by the bound dropped)", m.Parts[0].Preview)
	}
	m = parse("Content-Type: text/plain; charset=shift_jis\r\n\r\n\x82\xa0\x82", 0, Options{})
	if m.Parts[0].Preview != "あ\uFFFD" {
		t.Errorf("shift_jis preview = %q, want あ and U+FFFD for the broken byte", m.Parts[0].Preview)
	}
}

func TestDigestDefaultsToMessage(t *testing.T) {
	m := parse("Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nfirst\r\n--d--\r\n", 0, Options{})
	if len(m.Parts) != 3 || m.Parts[1].ContentType != "message/rfc822" || m.Parts[2].Preview != "first" {
		t.Errorf("digest parts %+v", m.Parts)
	}
}

func TestWriteAfterClose(t *testing.T) {
	p := New(Options{})
	p.Write([]byte("Subject: a\r\n\r\nx"))
	m := p.Close()
	p.Write([]byte("more"))
	if m2 := p.Close(); m2 != m || m.Size != 15 {
		t.Errorf("Close twice: %p %p size %d", m, m2, m.Size)
	}
}

// collectSink keeps what a PartSink is told.
type collectSink struct {
	started, ended []int
	data           map[int][]byte
}

func (c *collectSink) Start(p *Part) { c.started = append(c.started, p.Index) }
func (c *collectSink) Write(p *Part, b []byte) {
	c.data[p.Index] = append(c.data[p.Index], b...)
}
func (c *collectSink) End(p *Part) { c.ended = append(c.ended, p.Index) }

func TestPartSink(t *testing.T) {
	c := &collectSink{data: map[int][]byte{}}
	p := New(Options{})
	p.SetPartSink(c)
	b := []byte(sample())
	for i := range b {
		p.Write(b[i : i+1])
	}
	m := p.Close()
	want := []int{2, 3, 4, 6}
	if !slices.Equal(c.started, want) || !slices.Equal(c.ended, want) {
		t.Errorf("started %v ended %v, want %v", c.started, c.ended, want)
	}
	if got := c.data[4]; md5hex(got) != m.Parts[4].MD5 || string(got) != string(attachment()) {
		t.Errorf("attachment bytes: %d, md5 %s, want the attachment", len(got), md5hex(got))
	}
}
