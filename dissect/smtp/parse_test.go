package smtp

import (
	"slices"
	"strings"
	"testing"
)

func TestParseCodeLine(t *testing.T) {
	tests := []struct {
		in   string
		code int
		more bool
		text string
		ok   bool
	}{
		{"250 ok", 250, false, "ok", true},
		{"250-PIPELINING", 250, true, "PIPELINING", true},
		{"250", 250, false, "", true},
		{"354 ", 354, false, "", true},
		{"25 ok", 0, false, "", false},
		{"2500 ok", 0, false, "", false},
		{"abc def", 0, false, "", false},
		{"650 ok", 0, false, "", false},
		{"099 ok", 0, false, "", false},
		{"", 0, false, "", false},
		{"250\tok", 0, false, "", false},
	}
	for _, tc := range tests {
		code, more, text, ok := parseCodeLine([]byte(tc.in))
		if code != tc.code || more != tc.more || string(text) != tc.text || ok != tc.ok {
			t.Errorf("parseCodeLine(%q) = %d, %v, %q, %v, want %d, %v, %q, %v", tc.in, code, more, text, ok,
				tc.code, tc.more, tc.text, tc.ok)
		}
	}
}

func TestEnhancedCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2.1.0 Ok", "2.1.0"},
		{"5.7.8 Authentication failed", "5.7.8"},
		{"4.7.0", "4.7.0"},
		{"5.123.456 x", "5.123.456"},
		{"3.1.0 no", ""},
		{"5.1234.1 x", ""},
		{"5.1. x", ""},
		{"5.1.1x", ""},
		{"Ok", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := enhancedCode([]byte(tc.in)); got != tc.want {
			t.Errorf("enhancedCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBDATArgs(t *testing.T) {
	tests := []struct {
		in   string
		size int64
		last bool
		ok   bool
	}{
		{"100", 100, false, true},
		{"0 LAST", 0, true, true},
		{"5 last", 5, true, true},
		{"1234 SCRAMBLE", 0, false, false},
		{"SCRAMBLE", 0, false, false},
		{"", 0, false, false},
		{"-1", 0, false, false},
		{"+1", 0, false, false},
		{"99999999999999999999", 0, false, false},
		{"1 LAST extra", 0, false, false},
	}
	for _, tc := range tests {
		size, last, ok := bdatArgs([]byte(tc.in))
		if ok != tc.ok || (ok && (size != tc.size || last != tc.last)) {
			t.Errorf("bdatArgs(%q) = %d, %v, %v, want %d, %v, %v", tc.in, size, last, ok, tc.size, tc.last, tc.ok)
		}
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FROM:<a@b> SIZE=10", "a@b"},
		{"from: <a@b>", "a@b"},
		{"FROM:<>", ""},
		{"TO:c@d NOTIFY=NEVER", "c@d"},
		{"TO:<unterminated", "unterminated"},
		{"", ""},
	}
	for _, tc := range tests {
		prefix, mail := "FROM:", true
		if strings.HasPrefix(strings.ToUpper(tc.in), "TO:") {
			prefix, mail = "TO:", false
		}
		if got := string(parsePathArg([]byte(tc.in), prefix, mail).path); got != tc.want {
			t.Errorf("parsePathArg(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	tests := []struct{ in, verb, arg string }{
		{"mail from:<a@b>", "MAIL", "from:<a@b>"},
		{"QUIT", "QUIT", ""},
		{"EHLO  two spaces", "EHLO", " two spaces"},
		{"xclient NAME=x", "XCLIENT", "NAME=x"},
		{"", "", ""},
	}
	for _, tc := range tests {
		v, a := splitCommand([]byte(tc.in))
		if got := upperVerb(v); got != tc.verb || string(a) != tc.arg {
			t.Errorf("splitCommand(%q) = %q, %q, want %q, %q", tc.in, got, a, tc.verb, tc.arg)
		}
	}
}

func TestParseHeaders(t *testing.T) {
	msg := "Received: from x\r\n\tby y\r\nFrom: =?ISO-8859-1?Q?Andr=E9?= <a@x>\r\nTO: b@y,\r\n c@z\r\n" +
		"Subject: folded\r\n  subject\r\nSubject: second\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n" +
		"Message-ID: <id@x>\r\nX-Evil: \x1b[31m\r\n\r\nFrom: body@x\r\n"
	h := parseHeaders([]byte(msg))
	want := headerFields{from: "André <a@x>", to: "b@y, c@z", subject: "folded  subject",
		date: "Mon, 1 Jan 2024 00:00:00 +0000", messageID: "<id@x>"}
	if h != want {
		t.Errorf("parseHeaders(...) = %+v, want %+v", h, want)
	}
	if h := parseHeaders([]byte("Subject: \x1b[2Jbidi\u202e\r\n")); h.subject != `\x1b[2Jbidi\xe2\x80\xae` {
		t.Errorf("parseHeaders sanitizes Subject to %q, want %q", h.subject, `\x1b[2Jbidi\xe2\x80\xae`)
	}
}

func TestParseCapabilities(t *testing.T) {
	caps := parseCapabilities([]string{"mx Hello", "size 100", "AUTH=login", "auth cram-md5 Plain", "X-Thing y"})
	var got []string
	for _, c := range caps {
		got = append(got, c.Keyword+"("+joinParams(c.Params)+")")
	}
	want := []string{"SIZE(100)", "AUTH(LOGIN)", "AUTH(CRAM-MD5,PLAIN)", "X-Thing(y)"}
	if !slices.Equal(got, want) {
		t.Errorf("parseCapabilities(...) = %q, want %q", got, want)
	}
}

func joinParams(p []string) string {
	out := ""
	for i, s := range p {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func TestDecodeAuth(t *testing.T) {
	tests := []struct {
		mech, arg, user, pass string
		bad                   bool
	}{
		{"PLAIN", b64("zid\x00u1\x00p1"), "u1", "p1", false},
		{"LOGIN", b64("u2"), "u2", "", false},
		{"CRAM-MD5", b64("u3 0123abcd"), "u3", "0123abcd", false},
		{"XOAUTH2", b64("user=u4\x01auth=Bearer t\x01\x01"), "u4", "Bearer t", false},
		{"PLAIN", "$$$", "", "", true},
		{"PLAIN", "=", "", "", false},
		{"SCRAM-SHA-256", b64("n,,n=u,r=abc"), "u", "", false},
		{"SCRAM-SHA-1", b64("n,a=admin,n=a=2Cb=3Dc,r=x"), "a,b=c", "", false},
		{"SCRAM-SHA-256", b64("c=biws,r=abc,p=proof"), "", "", false},
		{"NTLM", b64(string(ntlmType3("EXAMPLE", "bob", true))), `EXAMPLE\bob`, "", false},
		{"NTLM", b64(string(ntlmType3("", "oem-user", false))), "oem-user", "", false},
		{"NTLM", b64(string(ntlmType3("D", "u", true)[:40])), "", "", false}, // cut short
		{"NTLM", b64("NTLMSSP\x00\x01\x00\x00\x00"), "", "", false},          // a type 1 message
	}
	for _, tc := range tests {
		a, _, bad := newAuth(0, []byte(tc.mech+" "+tc.arg), true, zeroTime())
		r := a.result(235, true)
		if r.User != tc.user || r.Password != tc.pass || bad != tc.bad {
			t.Errorf("newAuth(%q %q) = user %q pass %q bad %v, want %q %q %v", tc.mech, tc.arg, r.User, r.Password, bad,
				tc.user, tc.pass, tc.bad)
		}
	}
}

// Issue 12, defect 5: AUTH mechanism names are upper-cased as bytes, never
// the text of an escape (a raw ESC stays `\x1b`, a backslash stays `\x5c`).
func TestAuthCapabilityEscapesKeptExact(t *testing.T) {
	caps := parseCapabilities([]string{"mx", `AUTH plain\x1bx login\x5cy`})
	if len(caps) != 1 || !slices.Equal(caps[0].Params, []string{`PLAIN\x1bX`, `LOGIN\x5cY`}) {
		t.Fatalf("AUTH params = %q, want [PLAIN\\x1bX LOGIN\\x5cY]", caps[0].Params)
	}
}

// ntlmType3 builds an NTLM AUTHENTICATE_MESSAGE ([MS-NLMP] 2.2.1.3) with
// the given domain and user, UTF-16LE when unicode.
func ntlmType3(domain, user string, unicode bool) []byte {
	enc := func(s string) []byte {
		if !unicode {
			return []byte(s)
		}
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	payload := [][]byte{[]byte("lmresp"), []byte("ntresponse"), enc(domain), enc(user), enc("WS"), nil}
	off := 64
	hdr := []byte("NTLMSSP\x00\x03\x00\x00\x00")
	var body []byte
	for _, p := range payload {
		hdr = append(hdr, byte(len(p)), byte(len(p)>>8), byte(len(p)), byte(len(p)>>8), byte(off), byte(off>>8), 0, 0)
		body = append(body, p...)
		off += len(p)
	}
	flags := byte(0)
	if unicode {
		flags = 1
	}
	hdr = append(hdr, flags, 0, 0, 0)
	return append(hdr, body...)
}
