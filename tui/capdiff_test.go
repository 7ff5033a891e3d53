package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// diffSession is the STARTTLS fixture with an EHLO inside TLS whose reply
// offers AUTH and a larger SIZE, and no STARTTLS.
func diffSession() *session.Session {
	s := startTLSSession()
	s.Capabilities = append(s.Capabilities,
		session.Capability{Keyword: "PIPELINING", InTLS: true},
		session.Capability{Keyword: "SIZE", Params: []string{"52428800"}, InTLS: true},
		session.Capability{Keyword: "AUTH", Params: []string{"PLAIN", "LOGIN"}, InTLS: true})
	// The EHLO inside TLS, before QUIT.
	q := len(s.Timeline) - 4
	ehlo := session.Event{Frame: 30, Time: s.Timeline[q].Time, Phase: session.PhaseEHLO, Kind: session.KindCommand, InTLS: true, Ref: len(s.Commands)}
	s.Commands = append(s.Commands, session.Command{Frame: 30, Verb: "EHLO", Arg: "client.example", InTLS: true})
	s.Timeline = append(s.Timeline[:q:q], append([]session.Event{ehlo}, s.Timeline[q:]...)...)
	return s
}

// The detail pane of the EHLO inside TLS shows both capability lists side
// by side with what changed; at 80x24 and 60x20.
func TestCapabilityDiffInDetail(t *testing.T) {
	for _, sz := range smallSizes {
		u := New(storeOf(diffSession()), Options{})
		s := drawOn(t, u, sz[0], sz[1])
		for r := range u.lines {
			if u.lines[r].frame == 30 {
				u.timeline.Select(r, 0)
			}
		}
		press(u, s, tcell.KeyTab, 0)
		press(u, s, tcell.KeyTab, 0)
		press(u, s, tcell.KeyRune, '\\')
		text := screenText(s)
		press(u, s, tcell.KeyPgDn, 0)
		text += screenText(s)
		for _, want := range []string{"EHLO before and after TLS", "before TLS", "after TLS",
			"  PIPELINING", "≠ SIZE 10240000", "SIZE 52428800", "− STARTTLS", "+ —", "AUTH PLAIN LOGIN", "+ only inside TLS: AUTH"} {
			if !strings.Contains(text, want) {
				t.Errorf("%dx%d: %q not in the detail pane:\n%s", sz[0], sz[1], want, text)
			}
		}
	}
	// The EHLO in clear shows no comparison.
	d := detail(diffSession(), &line{kind: lineEvent, event: 4})
	for _, l := range d {
		if strings.Contains(l.Text, "before and after") {
			t.Errorf("the EHLO in clear shows the diff: %q", l.Text)
		}
	}
}
