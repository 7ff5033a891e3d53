package tui

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// detailOf renders the detail of the first ladder line whose label contains
// label, as plain text.
func detailOf(t *testing.T, s *session.Session, label string) string {
	t.Helper()
	ls := ladder(s, nil)
	for i := range ls {
		if strings.Contains(ls[i].label, label) {
			var b strings.Builder
			for _, d := range detail(s, &ls[i]) {
				b.WriteString(d.Text)
				b.WriteByte('\n')
			}
			return b.String()
		}
	}
	t.Fatalf("no line %q", label)
	return ""
}

func TestDetail(t *testing.T) {
	s := startTLSSession()
	p := plainSubmission(1, "192.0.2.20")
	tests := []struct {
		s     *session.Session
		label string
		want  []string
	}{
		{s, "EHLO client.example", []string{"Verb: EHLO", "Argument: client.example", "Reply: 250 requested action okay",
			"STARTTLS — can upgrade to TLS (RFC 3207)", "SIZE 10240000 — maximum message size", "RFC 5321, Section 4.1.1.1",
			"Frames: 5"}},
		{s, "250 mx.example", []string{"Code: 250 requested action okay", "Answers: EHLO client.example", "250-STARTTLS",
			"PIPELINING — client may send commands", "2xx positive completion",
			"Finding low auth.advertised_before_tls: AUTH offered in clear"}},
		{s, "220 mx.example", []string{"Answers: nothing (greeting", "RFC 5321, Section 4.3.1"}},
		{s, "STARTTLS", []string{"Reply: 220 service ready", "RFC 3207, Section 4"}},
		{s, "ClientHello", []string{"Content type: 22 Handshake", "Handshake: 1 ClientHello", "SNI: mx.example",
			"ALPN: smtp", "JA4: t13d1516h2", "RFC 8446, Section 4"}},
		{s, "ServerHello", []string{"Version: TLS 1.3", "Cipher: TLS_AES_128_GCM_SHA256"}},
		{s, "encrypted records", []string{"4 encrypted TLS records", "Bytes: 2464", "Enter expands", "they are not assessable: neither passed nor failed"}},
		{s, "encrypted from here", []string{"Encryption boundary", "TLS mode: starttls", "RFC 3207, Section 4"}},
		{s, "tcp-handshake", []string{"Phase tcp-handshake", "RFC 9293"}},
		{s, "ACK", []string{"RTT: 6.0ms"}},
		{p, "AUTH PLAIN", []string{"Mechanism: PLAIN", "User: bob", "Password: ********", "Result: 235 authentication succeeded",
			"Finding crit auth.plaintext", "RFC 4954, Section 4"}},
		{p, "354", []string{"354 start mail input"}},
	}
	for _, tt := range tests {
		got := detailOf(t, tt.s, tt.label)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("detail(%q) lacks %q; got:\n%s", tt.label, w, got)
			}
		}
	}
}

func TestTeachingTables(t *testing.T) {
	for _, p := range session.Phases() {
		l, ok := phaseLesson(p)
		if !ok || l.Text == "" || !strings.HasPrefix(l.Ref, "RFC ") {
			t.Errorf("phaseLesson(%q) = %+v, %v; want a text with an RFC section", p, l, ok)
		}
	}
	for _, v := range []string{"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "QUIT", "NOOP", "VRFY"} {
		if l, ok := verbLesson(v); !ok || !strings.HasPrefix(l.Ref, "RFC ") {
			t.Errorf("verbLesson(%q) = %+v, %v", v, l, ok)
		}
	}
	for _, c := range []int{220, 354, 454, 550} {
		if l, ok := replyClassLesson(c); !ok || !strings.HasPrefix(l.Ref, "RFC 5321") {
			t.Errorf("replyClassLesson(%d) = %+v, %v", c, l, ok)
		}
	}
	if _, ok := replyClassLesson(99); ok {
		t.Error("replyClassLesson(99) found a lesson")
	}
}

func TestStream(t *testing.T) {
	ls := stream(startTLSSession())
	var got []string
	for _, l := range ls {
		side := "C "
		if l.dir == 1 {
			side = "S "
		}
		got = append(got, side+l.text)
	}
	assertInOrder(t, got, []string{"C ·· SYN", "S ·· SYN-ACK", "S 220 mx.example ESMTP", "C EHLO client.example",
		"S 250-mx.example", "S 250-PIPELINING", "S 250-STARTTLS", "S 250 SIZE 10240000", "C STARTTLS", "S 220 2.0.0",
		"C ── TLS Handshake ClientHello len 512", "S ── TLS Handshake ServerHello", "C QUIT", "S 221", "C ·· FIN"})
	ps := stream(plainSubmission(1, "192.0.2.20"))
	var body bool
	for _, l := range ps {
		body = body || strings.HasPrefix(l.text, "<message body> 812 bytes")
	}
	if !body {
		t.Error("stream lacks the message body line")
	}
}

func TestSummarize(t *testing.T) {
	ss := filterCorpus()
	tests := []struct {
		i                 int
		state             tlsState
		tls, worst, peers string
		cmds, msgs        int
	}{
		{0, tlsStartTLS, "starttls 1.3", "auth.advertised_before_tls", "192.0.2.10:40000 → 198.51.100.25:25", 3, 0},
		{1, tlsPlain, "none", "auth.plaintext", "192.0.2.20:50000 → 203.0.113.87:587", 6, 1},
		{2, tlsImplicit, "implicit 1.3", "", "192.0.2.99:51000 → 203.0.113.65:465", 0, 0},
		{3, tlsFailed, "none failed", "auth.plaintext", "192.0.2.33:50000 → 203.0.113.87:25", 7, 1},
	}
	for _, tt := range tests {
		r := summarize(tt.i, ss[tt.i])
		if r.state != tt.state || r.tls != tt.tls || r.worst != tt.worst || r.peers != tt.peers || r.cmds != tt.cmds || r.msgs != tt.msgs {
			t.Errorf("summarize(%d) = %+v, want state %v tls %q worst %q peers %q cmds %d msgs %d",
				tt.i, r, tt.state, tt.tls, tt.worst, tt.peers, tt.cmds, tt.msgs)
		}
	}
	rows := make([]row, len(ss))
	for i, s := range ss {
		rows[i] = summarize(i, s)
	}
	view := []int{0, 1, 2, 3}
	sortView(view, rows, colFinding, true)
	if rows[view[0]].worstSev != session.SevCrit || rows[view[3]].worst != "" {
		t.Errorf("sort by worst finding desc = %v", view)
	}
	sortView(view, rows, colCmds, false)
	if view[0] != 2 || view[3] != 3 {
		t.Errorf("sort by commands = %v, want [2 0 1 3]", view)
	}
}

func TestKeyTable(t *testing.T) {
	seen := map[string]bool{}
	for _, b := range bindings() {
		k := b.label
		if seen[k] {
			t.Errorf("key %q bound twice", k)
		}
		seen[k] = true
		if b.desc == "" || b.act == actNone {
			t.Errorf("binding %q lacks a description or action", k)
		}
		if !strings.Contains(helpText(0), b.desc) {
			t.Errorf("help lacks %q", b.desc)
		}
		if b.hint != "" && !strings.Contains(hintText(), b.label+" "+b.hint) {
			t.Errorf("hint bar lacks %q", b.label+" "+b.hint)
		}
	}
	for _, want := range []string{"tab pane", `\ max`, "/ filter", "? help", "q quit"} {
		if !strings.Contains(hintText(), want) {
			t.Errorf("hintText() = %q, lacks %q", hintText(), want)
		}
	}
	if w := width(hintText()); w > 80 {
		t.Errorf("hint bar is %d cells, want it to fit 80", w)
	}
}
