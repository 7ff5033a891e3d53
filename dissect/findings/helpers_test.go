package findings

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// sb builds a session by hand, frame by frame, the way the builder fills
// the model.
type sb struct{ s *session.Session }

func newSession(port uint16) *sb {
	return &sb{s: &session.Session{
		Stream: 0, Client: session.Endpoint{IP: "192.0.2.1", Port: 40000}, Server: session.Endpoint{IP: "198.51.100.25", Port: port},
		PortRole: session.RoleOfPort(port), TLS: session.TLSInfo{Mode: session.TLSNone}, FirstFrame: 1,
	}}
}

// greet adds the 220 greeting at frame fr.
func (b *sb) greet(fr int64) *sb {
	b.s.Replies = append(b.s.Replies, session.Reply{Frame: fr, Code: 220, Lines: []string{"mx.example.net ESMTP"}, Command: -1})
	return b
}

// cmd adds a command at frame fr; a reply is added when code != 0.
func (b *sb) cmd(fr int64, verb, arg string, inTLS bool, replyFr int64, code int, lines ...string) int {
	s := b.s
	i := len(s.Commands)
	s.Commands = append(s.Commands, session.Command{Frame: fr, Verb: verb, Arg: arg, InTLS: inTLS})
	sum := verb
	if arg != "" {
		sum += " " + arg
	}
	s.Timeline = append(s.Timeline, session.Event{Frame: fr, Kind: session.KindCommand, Summary: sum, Ref: i, InTLS: inTLS})
	if code != 0 {
		if len(lines) == 0 {
			lines = []string{"ok"}
		}
		ri := len(s.Replies)
		s.Replies = append(s.Replies, session.Reply{Frame: replyFr, Code: code, Lines: lines, InTLS: inTLS, Command: i})
		s.Commands[i].Reply = &session.ReplyRef{Frame: replyFr, Code: code, Index: ri}
	}
	return i
}

// ehlo adds EHLO at fr with a 250 at fr+1 listing caps.
func (b *sb) ehlo(fr int64, inTLS bool, caps ...string) *sb {
	b.cmd(fr, "EHLO", "client.example.org", inTLS, fr+1, 250, append([]string{"mx.example.net Hello"}, caps...)...)
	for _, c := range caps {
		kw, params, _ := strings.Cut(c, " ")
		b.s.Capabilities = append(b.s.Capabilities, session.Capability{Keyword: kw, Params: strings.Fields(params), InTLS: inTLS})
	}
	return b
}

// mail adds MAIL, RCPT, DATA, the message and its 250 from frame fr on.
func (b *sb) mail(fr int64, inTLS bool) *sb {
	b.cmd(fr, "MAIL", "FROM:<a@example.net>", inTLS, fr+1, 250)
	b.cmd(fr+2, "RCPT", "TO:<b@example.com>", inTLS, fr+3, 250)
	b.cmd(fr+4, "DATA", "", inTLS, fr+5, 354)
	b.s.Messages = append(b.s.Messages, session.Message{FirstFrame: fr + 6, Frame: fr + 6, Size: 100, Accepted: true, Reply: 250, InTLS: inTLS, Via: "DATA"})
	return b
}

// auth adds AUTH mech at fr with a 235 and the decoded attempt.
func (b *sb) auth(fr int64, mech, initial string, inTLS bool, code int) *sb {
	arg := mech
	if initial != "" {
		arg += " " + initial
	}
	b.cmd(fr, "AUTH", arg, inTLS, fr+1, code)
	if code != 530 {
		b.s.Auth = append(b.s.Auth, session.AuthAttempt{Frame: fr + 1, Mechanism: mech, User: "alice", Password: "********", Result: code, InTLS: inTLS})
	}
	return b
}

// tlsStart records STARTTLS answered 220 at fr, and TLS records after it.
func (b *sb) tlsStart(fr int64, version, cipher string) *sb {
	b.cmd(fr, "STARTTLS", "", false, fr+1, 220)
	b.s.TLS.Mode, b.s.TLS.Version, b.s.TLS.Cipher = session.TLSStartTLS, version, cipher
	b.s.TLSRecords = append(b.s.TLSRecords,
		session.TLSRecord{Frame: fr + 2, Dir: wire.ClientToServer, Type: 22, Handshake: []uint8{1}, Summary: "Handshake: ClientHello"},
		session.TLSRecord{Frame: fr + 3, Dir: wire.ServerToClient, Type: 22, Handshake: []uint8{2}, Summary: "Handshake: ServerHello (" + version + ", " + cipher + ")"},
		session.TLSRecord{Frame: fr + 4, Dir: wire.ClientToServer, Type: 23, Encrypted: true},
		session.TLSRecord{Frame: fr + 5, Dir: wire.ServerToClient, Type: 23, Encrypted: true},
	)
	b.s.TLS.EncryptedRecords = 2
	return b
}

// anomaly adds an anomaly.
func (b *sb) anomaly(fr int64, d wire.Dir, code, sum string) *sb {
	b.s.Anomalies = append(b.s.Anomalies, session.Anomaly{Frame: fr, Dir: d, Code: code, Summary: sum})
	return b
}

// find returns the findings with code.
func find(fs []session.Finding, code string) []session.Finding {
	var out []session.Finding
	for _, f := range fs {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

// want checks that exactly one finding with code has severity sev and
// holds every frame in frames.
func want(t *testing.T, fs []session.Finding, code string, sev session.Severity, frames ...int64) {
	t.Helper()
	got := find(fs, code)
	if len(got) != 1 {
		t.Errorf("%s: %d findings, want 1; all: %v", code, len(got), fs)
		return
	}
	if got[0].Severity != sev {
		t.Errorf("%s: severity %s, want %s (%q)", code, got[0].Severity, sev, got[0].Summary)
	}
	for _, fr := range frames {
		found := false
		for _, x := range got[0].Frames {
			found = found || x == fr
		}
		if !found {
			t.Errorf("%s: frames %v lack %d", code, got[0].Frames, fr)
		}
	}
	if got[0].Summary == "" {
		t.Errorf("%s: empty summary", code)
	}
}

// none checks that no finding has code.
func none(t *testing.T, fs []session.Finding, code string) {
	t.Helper()
	if got := find(fs, code); len(got) > 0 {
		t.Errorf("%s fired on the clean counterpart: %v", code, got)
	}
}

// clearHello adds a ClientHello sent in clear (frame fr) and a 500 reply
// to its lines (frame replyFr).
func (b *sb) clearHello(fr, replyFr int64) *sb {
	idx := len(b.s.TLSRecords)
	b.s.TLSRecords = append(b.s.TLSRecords, session.TLSRecord{Frame: fr, Dir: wire.ClientToServer, Type: 22, Version: 0x0301,
		Length: 317, Handshake: []uint8{1}, InClear: true, Replies: 1})
	b.s.Replies = append(b.s.Replies, session.Reply{Frame: replyFr, Code: 500, Lines: []string{"5.5.2 Error: bad syntax"}, Command: -1, TLSRecord: &idx})
	return b
}
