package tui

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

func TestHexDump(t *testing.T) {
	got := hexDump([]byte("EHLO x\r\n\x1b[31m"))
	want := []string{
		"0000  45 48 4c 4f 20 78 0d 0a  EHLO x..",
		"0008  1b 5b 33 31 6d           .[31m",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hexDump = %q, want %q", got, want)
	}
}

func TestDetailShowsRawBytesAsHex(t *testing.T) {
	s := &session.Session{Commands: []session.Command{{Frame: 5, Verb: "EHLO", Arg: "x"}}}
	s.Timeline = []session.Event{{Frame: 5, Kind: session.KindCommand, Phase: session.PhaseEHLO, Ref: 0,
		Summary: "EHLO x", Raw: []byte("EHLO x\r\n")}}
	var text []string
	for _, l := range detail(s, &line{kind: lineEvent, event: 0}) {
		text = append(text, l.Text)
	}
	all := strings.Join(text, "\n")
	if !strings.Contains(all, "Bytes (8)") || !strings.Contains(all, "45 48 4c 4f 20 78 0d 0a") {
		t.Errorf("detail lacks the hex dump:\n%s", all)
	}
}
