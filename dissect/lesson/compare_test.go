package lesson

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

// rowTitles lists the rows' titles, "<" or ">" marking a side that lacks
// the phase.
func rowTitles(rows []CompareRow) string {
	var out []string
	for _, r := range rows {
		t := r.Title
		switch {
		case r.Left == nil:
			t = ">" + t
		case r.Right == nil:
			t = "<" + t
		}
		out = append(out, t)
	}
	return strings.Join(out, "|")
}

// TestCompareCleanAndStripped: the demo's clean 587 submission beside the
// stripped one, phase by phase: STARTTLS, the TLS handshake and the
// second EHLO only on the left, the EHLO row naming STARTTLS against
// XXXXXXXA, the findings only on the right (issue 17, deliver 3).
func TestCompareCleanAndStripped(t *testing.T) {
	good := sample(t, pcaps.Demo(), true, false)[0]
	bad := sample(t, "attack-stripped587.pcap", false, false)[0]
	rows := Compare(good, bad)
	want := "Ports, roles and TLS|TCP handshake|Greeting|EHLO and capabilities|<STARTTLS|<TLS handshake|<EHLO and capabilities|" +
		"Authentication|Envelope|Message data|Quit|TCP teardown|Summary"
	if got := rowTitles(rows); got != want {
		t.Errorf("rows:\n got %s\nwant %s", got, want)
	}
	diff := func(title string, n int) string {
		for _, r := range rows {
			if r.Title == title {
				if n == 0 {
					return strings.Join(r.Diff, "\n")
				}
				n--
			}
		}
		return ""
	}
	for title, wants := range map[string][]string{
		"Ports, roles and TLS":  {"Both: submission on port 587.", "TLS: left upgraded with STARTTLS to TLS 1.3; right none: everything was sent in clear."},
		"EHLO and capabilities": {"Only the left EHLO reply lists STARTTLS.", "Only the right EHLO reply lists XXXXXXXA, AUTH.", "Findings only on the right: crit starttls.stripped."},
		"STARTTLS":              {"Only the left session has this starttls phase here; the right one never asked for encryption"},
		"Authentication":        {"Left inside TLS, right in clear.", "Findings only on the right: crit auth.plaintext."},
		"Summary":               {"Findings only on the right: crit starttls.stripped"},
	} {
		got := diff(title, 0)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s: diff lacks %q:\n%s", title, w, got)
			}
		}
	}
	for _, r := range rows {
		if r.Right != nil && r.Right.Kind == Phase && r.Right.Phase != r.Phase || r.Left != nil && r.Left.Kind == Phase && r.Left.Phase != r.Phase {
			t.Errorf("row %q pairs pages of other phases", r.Title)
		}
	}
}

// TestCounterpart pairs the demo's relays: the plaintext one with the
// STARTTLS one, and the clean submission with nothing in its own capture.
func TestCounterpart(t *testing.T) {
	ss := sample(t, pcaps.Demo(), true, false)
	if c := Counterpart(ss, ss[1]); c != ss[2] {
		t.Errorf("counterpart of #1 = %v, want #2", c)
	}
	if c := Counterpart(ss, ss[0]); c != nil {
		t.Errorf("counterpart of #0 = #%d, want none (the only submission)", c.Stream)
	}
	if c := Counterpart(append(ss, sample(t, "attack-stripped587.pcap", false, false)...), ss[0]); c == nil || c.PortRole != session.RoleSubmission {
		t.Errorf("counterpart of #0 among the stripped sample = %v", c)
	}
}
