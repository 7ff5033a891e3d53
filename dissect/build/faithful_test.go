package build

import (
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// TestFaithfulText: commands are shown as sent (RFC 5321, Section 2.4:
// verbs are case-insensitive, matched upper-cased, displayed as sent), and
// a command after a refused DATA is not in the data phase (RFC 5321,
// Section 4.1.1.4: no body follows a refused DATA).
func TestFaithfulText(t *testing.T) {
	col := feed(t, Options{}, "192.0.2.1:40000", "192.0.2.2:25", true, []step{
		{false, "220 mx ESMTP\r\n"},
		{true, "ehlo client\r\n"},
		{false, "250 mx\r\n"},
		{true, "mail FROM:<a@x> size=10\r\n"},
		{false, "250 2.1.0 Ok\r\n"},
		{true, "DATA\r\n"},
		{false, "554 5.5.1 Error: no valid recipients\r\n"},
		{true, "noop\r\n"},
		{false, "250 2.0.0 Ok\r\n"},
	})
	if len(col.finished) != 1 {
		t.Fatalf("%d sessions", len(col.finished))
	}
	s := col.finished[0]
	want := map[string]string{"ehlo client": "ehlo", "mail FROM:<a@x> size=10": "envelope", "DATA": "data", "noop": "envelope"}
	seen := 0
	for _, e := range s.Timeline {
		if e.Kind != session.KindCommand {
			continue
		}
		ph, ok := want[e.Summary]
		if !ok {
			t.Errorf("command shown as %q", e.Summary)
			continue
		}
		seen++
		if string(e.Phase) != ph {
			t.Errorf("%q in phase %s, want %s", e.Summary, e.Phase, ph)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of %d commands seen", seen, len(want))
	}
	if c := s.Commands[0]; c.Verb != "EHLO" || c.VerbSent != "ehlo" || c.SentVerb() != "ehlo" {
		t.Errorf("EHLO: verb %q sent %q", c.Verb, c.VerbSent)
	}
	if c := s.Commands[2]; c.VerbSent != "" {
		t.Errorf("DATA sent upper-case, VerbSent %q", c.VerbSent)
	}
}
