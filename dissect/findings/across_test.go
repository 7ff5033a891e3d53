package findings_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	. "github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// samples returns every sample capture's sessions, with their own findings.
func samples(t *testing.T) map[string][]*session.Session {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join("..", "..", "pcaps", "*.pcap*"))
	if len(names) == 0 {
		t.Fatal("no sample captures in ../../pcaps")
	}
	out := map[string][]*session.Session{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		ss := sessionsOf(t, data)
		for _, s := range ss {
			s.Findings = Session(s)
		}
		out[filepath.Base(n)] = ss
	}
	return out
}

// TestLightSameFindings: reports run the cross-session rules on light
// copies; they must find exactly what the whole sessions show.
func TestLightSameFindings(t *testing.T) {
	cross := 0
	for name, full := range samples(t) {
		var light []*session.Session
		for _, s := range full {
			light = append(light, Light(s))
		}
		got, want := Capture(light), Capture(full)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Capture(Light copies) = %+v, want %+v", name, got, want)
		}
		cross += len(want)
	}
	if cross == 0 {
		t.Error("no sample has a cross-session finding: the comparison proves nothing")
	}
}

// TestAcrossReturnsOnlyNew: Across merges the cross-session findings and
// returns just those a session did not have; a second run returns none.
func TestAcrossReturnsOnlyNew(t *testing.T) {
	ss := samples(t)["attack-tlsfail-retry25.pcap"]
	if len(ss) < 2 {
		t.Fatalf("attack-tlsfail-retry25.pcap: %d sessions, want 2", len(ss))
	}
	extra := Across(ss)
	if len(extra) != len(ss) {
		t.Fatalf("Across returned %d lists for %d sessions", len(extra), len(ss))
	}
	if len(extra[0]) != 0 || len(extra[1]) != 1 || extra[1][0].Code != CodeTLSFailedThenPlain {
		t.Fatalf("Across = %+v, want one %s on session 1", extra, CodeTLSFailedThenPlain)
	}
	if len(findCode(ss[1].Findings, CodeTLSFailedThenPlain)) != 1 {
		t.Errorf("session 1 findings %+v lack the merged %s", ss[1].Findings, CodeTLSFailedThenPlain)
	}
	for i, fs := range Across(ss) {
		if len(fs) != 0 {
			t.Errorf("second Across: session %d got %+v again", i, fs)
		}
	}
}

// TestWindow: the live window finds a cross-session finding when its
// evidence finishes later, and forgets sessions past Max.
func TestWindow(t *testing.T) {
	ss := samples(t)["attack-tlsfail-retry25.pcap"]
	w := &Window{}
	for _, s := range ss {
		w.Finished(s)
	}
	if len(findCode(ss[1].Findings, CodeTLSFailedThenPlain)) != 1 {
		t.Errorf("window: session 1 findings %+v lack %s", ss[1].Findings, CodeTLSFailedThenPlain)
	}

	fresh := samples(t)["attack-tlsfail-retry25.pcap"]
	w = &Window{Max: 1} // the failed handshake is forgotten before the retry finishes
	for _, s := range fresh {
		w.Finished(s)
	}
	if got := findCode(fresh[1].Findings, CodeTLSFailedThenPlain); len(got) != 0 {
		t.Errorf("window of 1: session 1 got %+v from a session it no longer holds", got)
	}
}
