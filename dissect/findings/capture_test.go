package findings

import (
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

func TestCaptureStripped(t *testing.T) {
	offered := newSession(25).greet(4).ehlo(5, false, "STARTTLS").tlsStart(7, "TLS 1.3", "x").s
	stripped := newSession(25).greet(40).ehlo(41, false, "PIPELINING").mail(43, false).s
	stripped.Stream, stripped.Client.Port = 1, 40001
	other := newSession(25).greet(60).ehlo(61, false, "PIPELINING").s
	other.Stream, other.Server.IP = 2, "203.0.113.9" // another server: no evidence
	ss := []*session.Session{offered, stripped, other}
	got := Capture(ss)
	if len(got[0]) != 0 || len(got[2]) != 0 {
		t.Errorf("Capture: findings on the wrong sessions: %v", got)
	}
	want(t, got[1], CodeStripped, session.SevCrit, 42, 6)
	// Merge drops the session's own not_offered in favour of stripped.
	own := Session(stripped)
	if len(find(own, CodeNotOffered)) != 1 {
		t.Fatalf("own findings %v lack %s", own, CodeNotOffered)
	}
	merged := Merge(own, got[1])
	none(t, merged, CodeNotOffered)
	want(t, merged, CodeStripped, session.SevCrit)
	if again := Merge(merged, got[1]); len(again) != len(merged) {
		t.Errorf("Merge kept duplicates: %v", again)
	}
}

func TestCaptureTLSFailedThenPlain(t *testing.T) {
	failed := func(how string) *session.Session {
		b := newSession(25).greet(4).ehlo(5, false, "STARTTLS")
		b.cmd(7, "STARTTLS", "", false, 8, 220)
		b.s.TLS.Mode = session.TLSStartTLS
		b.s.TLSRecords = []session.TLSRecord{{Frame: 9, Dir: wire.ClientToServer, Type: 22, Handshake: []uint8{1}}}
		switch how {
		case "alert":
			b.s.TLSRecords = append(b.s.TLSRecords, session.TLSRecord{Frame: 10, Dir: wire.ServerToClient, Type: 21, Summary: "Alert: fatal handshake_failure"})
		case "rst":
			b.s.TCP.ClosedBy = "server-rst"
			b.s.Timeline = append(b.s.Timeline, session.Event{Frame: 10, Kind: session.KindRST})
		case "ok":
			b.s.TLSRecords = append(b.s.TLSRecords,
				session.TLSRecord{Frame: 10, Dir: wire.ServerToClient, Type: 23, Encrypted: true},
				session.TLSRecord{Frame: 11, Dir: wire.ClientToServer, Type: 23, Encrypted: true})
			b.s.Timeline = append(b.s.Timeline, session.Event{Frame: 12, Kind: session.KindFIN})
		}
		return b.s
	}
	retry := func() *session.Session {
		s := newSession(25).greet(31).ehlo(32, false, "STARTTLS").mail(34, false).s
		s.Stream, s.FirstFrame, s.Client.Port = 1, 30, 40002
		return s
	}
	for _, how := range []string{"alert", "rst"} {
		got := Capture([]*session.Session{failed(how), retry()})
		want(t, got[1], CodeTLSFailedThenPlain, session.SevHigh, 10, 34)
	}
	if got := Capture([]*session.Session{failed("ok"), retry()}); len(find(got[1], CodeTLSFailedThenPlain)) > 0 {
		t.Errorf("a completed handshake counted as failed: %v", got)
	}
	other := retry()
	other.Client.IP = "192.0.2.99"
	if got := Capture([]*session.Session{failed("alert"), other}); len(got[1]) > 0 {
		t.Errorf("another client's session was blamed: %v", got)
	}
	if got := Capture([]*session.Session{nil, retry()}); len(got) != 0 {
		t.Errorf("Capture with a nil session = %v", got)
	}
}
