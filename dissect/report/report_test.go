package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

func sample() *session.Session {
	t0 := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	s := &session.Session{
		Stream: 3, Client: session.Endpoint{IP: "2001:db8::1", Port: 51514}, Server: session.Endpoint{IP: "10.0.0.9", Port: 587},
		PortRole: session.RoleSubmission, FirstFrame: 1, LastFrame: 9, Start: t0, End: t0.Add(time.Second),
		TLS: session.TLSInfo{Mode: session.TLSStartTLS, Version: "TLS 1.3"},
	}
	s.Commands = []session.Command{{Frame: 5, Verb: "EHLO", Arg: "x", Reply: &session.ReplyRef{Frame: 6, Code: 250}}}
	s.Replies = []session.Reply{{Frame: 6, Code: 250, Lines: []string{"ok"}, Command: 0}}
	s.TLSRecords = []session.TLSRecord{{Frame: 8, Dir: wire.ServerToClient, Type: 22, Version: 0x0303, Length: 90, Handshake: []uint8{2, 11}}}
	s.Timeline = []session.Event{{Frame: 5, Time: t0, Dir: wire.ClientToServer, Phase: session.PhaseEHLO, Kind: session.KindCommand, Summary: "EHLO x"}}
	s.Findings = []session.Finding{{Code: "tls.certificate", Severity: session.SevHigh, Frames: []int64{8}, Summary: "self-signed"}}
	return s
}

// The JSON object follows the contract of ARCHITECTURE.md: field names,
// ip:port with brackets for IPv6, handshake types as a list of numbers.
func TestJSONContract(t *testing.T) {
	var b bytes.Buffer
	if err := NewJSON(&b).Write(sample()); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b.String())
	}
	for _, k := range []string{"stream", "client", "server", "port_role", "first_frame", "last_frame", "start", "end", "tls",
		"commands", "replies", "tls_records", "timeline", "messages", "findings", "anomalies"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b.String())
		}
	}
	if m["client"] != "[2001:db8::1]:51514" || m["server"] != "10.0.0.9:587" {
		t.Errorf("client %v server %v", m["client"], m["server"])
	}
	rec := m["tls_records"].([]any)[0].(map[string]any)
	if hs, ok := rec["handshake"].([]any); !ok || len(hs) != 2 || hs[0] != 2.0 || hs[1] != 11.0 {
		t.Errorf("handshake = %#v, want the list [2 11]", rec["handshake"])
	}
	if rec["dir"] != "s2c" {
		t.Errorf("dir = %v, want s2c", rec["dir"])
	}
	cmd := m["commands"].([]any)[0].(map[string]any)
	if cmd["reply"].(map[string]any)["code"] != 250.0 {
		t.Errorf("command reply %v", cmd["reply"])
	}
	if strings.Count(b.String(), "\n") != 1 {
		t.Errorf("one session must be one line: %q", b.String())
	}
}

func TestTextLadder(t *testing.T) {
	var b bytes.Buffer
	tx := NewText(&b)
	if err := tx.Write(sample()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"#3 [2001:db8::1]:51514 → 10.0.0.9:587 submission  STARTTLS TLS 1.3",
		"worst: high tls.certificate",
		"ehlo          C ──▶ S   EHLO x",
		"! high   tls.certificate  self-signed (frame 8)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if got := tx.Totals(); got.Sessions != 1 || got.Commands != 1 || got.TLSRecords != 1 || got.Findings != 1 {
		t.Errorf("Totals = %+v", got)
	}
}

func TestFrames(t *testing.T) {
	tests := []struct {
		in   []int64
		want string
	}{
		{nil, "no frame"},
		{[]int64{7}, "frame 7"},
		{[]int64{7, 8}, "frames 7, 8"},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "frames 1, 2, 3, 4, 5, 6, 7, 8, … 2 more"},
	}
	for _, tt := range tests {
		if got := frames(tt.in); got != tt.want {
			t.Errorf("frames(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
