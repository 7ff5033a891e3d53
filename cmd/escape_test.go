package cmd

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// Issue 12, defect 5: JSON carries exact, reversible text. A command argument
// and a reply line holding every byte 0–255 but CR and LF (which end lines)
// come back byte for byte from `report --json` through sanitize.Unescape,
// and attacker text `\x1b` never reads as a real ESC.
func TestJSONRoundTripsEveryByte(t *testing.T) {
	var raw []byte
	for i := 0; i < 256; i++ {
		if i != '\r' && i != '\n' {
			raw = append(raw, byte(i))
		}
	}
	path := filepath.Join(t.TempDir(), "bytes.pcap")
	p := newPcapBuilder(t, path)
	c := p.conv(1, 25)
	c.server("220 mx ESMTP\r\n")
	c.client("EHLO " + string(raw) + "\r\n")
	c.server("250-mx " + string(raw) + "\r\n250 AUTH plain\x1bx\r\n")
	c.client("NOOP \\x1b\r\n")
	c.server("250 ok\r\n")
	c.client("QUIT\r\n")
	c.server("221 bye\r\n")
	c.fin()
	p.close()

	var out, errOut bytes.Buffer
	if st := Main([]string{"report", "--json", path}, nil, &out, &errOut); st != 0 {
		t.Fatalf("exit %d: %s", st, errOut.String())
	}
	var s struct {
		Commands []struct{ Verb, Arg string } `json:"commands"`
		Replies  []struct{ Lines []string }   `json:"replies"`
		Caps     []struct {
			Keyword string   `json:"keyword"`
			Params  []string `json:"params"`
		} `json:"capabilities"`
	}
	if err := json.NewDecoder(io.LimitReader(&out, 1<<20)).Decode(&s); err != nil {
		t.Fatal(err)
	}
	if len(s.Commands) < 2 || len(s.Replies) < 2 {
		t.Fatalf("commands %q replies %q", s.Commands, s.Replies)
	}
	if got := sanitize.Unescape(s.Commands[0].Arg); !bytes.Equal(got, raw) {
		t.Errorf("EHLO argument: JSON %q gives back % x, want % x", s.Commands[0].Arg, got, raw)
	}
	if got := sanitize.Unescape(strings.TrimPrefix(s.Replies[1].Lines[0], "mx ")); !bytes.Equal(got, raw) {
		t.Errorf("reply line: JSON %q gives back % x", s.Replies[1].Lines[0], got)
	}
	if a := s.Commands[1].Arg; a != `\x5cx1b` || string(sanitize.Unescape(a)) != `\x1b` {
		t.Errorf("NOOP argument %q: the text \\x1b must be written \\x5cx1b", a)
	}
	found := false
	for _, c := range s.Caps {
		if c.Keyword == "AUTH" {
			found = true
			if len(c.Params) != 1 || c.Params[0] != `PLAIN\x1bX` {
				t.Errorf("AUTH params %q, want [PLAIN\\x1bX] (upper-cased as bytes, not as escape text)", c.Params)
			}
		}
	}
	if !found {
		t.Errorf("no AUTH capability in %+v", s.Caps)
	}
}
