package cmd

import (
	"bytes"
	"testing"
)

// TestCompareSessions: --compare without a file pairs the demo's clean
// 587 submission (read with its key log) with the embedded stripped one;
// with the demo file its worst session with its counterpart; bad command
// lines are usage errors.
func TestCompareSessions(t *testing.T) {
	var errOut bytes.Buffer
	e := &env{stderr: &errOut, stdout: &errOut}
	l, r, opts, code := e.compareSessions([]string{"--teach", "--compare"})
	if l == nil || code != exitOK {
		t.Fatalf("--compare = exit %d: %s", code, errOut.String())
	}
	if l.Server.Port != 587 || !l.TLS.Decrypted || len(l.Findings) != 0 || r.Client.IP != "192.0.2.30" || len(r.Findings) == 0 || !opts.Teach {
		t.Errorf("--compare paired #%d %s (decrypted %v, %d findings) with #%d %s", l.Stream, l.Client, l.TLS.Decrypted, len(l.Findings), r.Stream, r.Client)
	}
	l, _, _, code = e.compareSessions([]string{"--compare", "--no-keys"})
	if l == nil || l.TLS.Decrypted {
		t.Errorf("--compare --no-keys = exit %d, left decrypted", code)
	}
	l, r, _, code = e.compareSessions([]string{"--compare", "../pcaps/demo.pcap"})
	if l == nil || l.Stream != 2 || r.Stream != 1 {
		t.Errorf("--compare demo.pcap = exit %d, %v vs %v", code, l, r)
	}
	for _, bad := range [][]string{{"--compare", "a", "b", "c"}, {"--compare", "--theme", "pink"}, {"--compare", "--no-keys", "--keylog", "k"}} {
		if l, _, _, code := e.compareSessions(bad); l != nil || code != exitUsage {
			t.Errorf("%q = exit %d, want %d", bad, code, exitUsage)
		}
	}
	if !wantsCompare([]string{"x.pcap", "--compare"}) || wantsCompare([]string{"--", "--compare"}) {
		t.Error("wantsCompare")
	}
}
