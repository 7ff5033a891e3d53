package pcaps_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestRecordedSmuggling checks the captures of cmd/testdata/issue10/
// record.sh (Postfix 3.7.11, smtpd_forbid_bare_newline = no, normalize,
// reject; a client hiding MAIL, RCPT, DATA and a second message after
// "\n.\r\n") against what Postfix itself logged in the .maillog next to
// each capture: how many messages it queued (their queue IDs), and its
// disconnect line's command counts.
func TestRecordedSmuggling(t *testing.T) {
	for _, c := range []struct {
		name     string
		verbs    []string
		queued   []string // queue IDs in the 250 replies = postfix's "client=" lines
		outcome  string
		messages int
		logLine  string // postfix's disconnect summary
	}{{
		name:  "recorded-postfix-smuggle-default-25.pcap",
		verbs: []string{"EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "QUIT"}, queued: []string{"224319888F6", "234E49887D3"},
		outcome: "ran", messages: 2, logLine: "ehlo=1 mail=2 rcpt=2 data=2 quit=1 commands=8",
	}, {
		name:  "recorded-postfix-smuggle-normalize-25.pcap",
		verbs: []string{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}, queued: []string{"D45FE98800F"},
		outcome: "kept", messages: 1, logLine: "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
	}, {
		name:  "recorded-postfix-smuggle-reject-25.pcap",
		verbs: []string{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}, outcome: "refused", messages: 1,
		logLine: "ehlo=1 mail=1 rcpt=1 data=0/1 quit=1 commands=4/5",
	}} {
		t.Run(c.name, func(t *testing.T) {
			log, err := os.ReadFile(strings.TrimSuffix(c.name, ".pcap") + ".maillog")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(log), c.logLine) {
				t.Fatalf("maillog lacks %q", c.logLine)
			}
			for _, id := range c.queued {
				if !strings.Contains(string(log), id+": client=") {
					t.Fatalf("maillog does not show %s queued", id)
				}
			}
			s := dissectSample(t, c.name, false)
			if got := verbs(s); !slices.Equal(got, c.verbs) {
				t.Errorf("commands %q, want %q", got, c.verbs)
			}
			for i, cm := range s.Commands {
				if cm.Reply == nil {
					t.Errorf("command %d %s has no reply", i, cm.Verb)
				}
				if want := c.outcome == "ran" && i >= 4 && i <= 6; cm.Smuggled != want {
					t.Errorf("command %d %s: smuggled %v, want %v", i, cm.Verb, cm.Smuggled, want)
				}
			}
			if len(s.Messages) != c.messages || s.Messages[0].SmugglingOutcome != c.outcome {
				t.Fatalf("messages %+v, want %d with outcome %s", s.Messages, c.messages, c.outcome)
			}
			var ids []string
			for _, r := range s.Replies {
				if r.Code == 250 && len(r.Lines) == 1 && strings.Contains(r.Lines[0], "queued as ") {
					ids = append(ids, r.Lines[0][strings.LastIndex(r.Lines[0], " ")+1:])
				}
			}
			if !slices.Equal(ids, c.queued) {
				t.Errorf("queued %q, postfix logged %q", ids, c.queued)
			}
			for i, m := range s.Messages {
				if m.Accepted != (c.outcome != "refused") || m.Smuggled != (i == 1) {
					t.Errorf("message %d: accepted %v smuggled %v", i, m.Accepted, m.Smuggled)
				}
			}
			for _, a := range s.Anomalies {
				t.Errorf("anomaly %s: %s", a.Code, a.Summary)
			}
		})
	}
}
