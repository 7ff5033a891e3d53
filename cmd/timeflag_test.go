package cmd

import (
	"bytes"
	"strings"
	"testing"
)

// --time takes the UI's time formats; anything else is one plain line and
// exit 2, for a file and for a live capture (checked before any socket).
func TestTimeFlag(t *testing.T) {
	for _, args := range [][]string{{"--time", "sundial"}, {"-i", "lo", "--time", "sundial"}, {"x.pcap", "--time=sundial"}} {
		var out, errOut bytes.Buffer
		st := Main(args, nil, &out, &errOut)
		if st != exitUsage || errOut.String() != "smtpscope: --time must be tod, start, prev, epoch or utc, not \"sundial\"\n" {
			t.Errorf("%q: exit %d, stderr %q", args, st, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if Main([]string{"-h"}, nil, &out, &errOut); !strings.Contains(out.String(), "--time tod|start|prev|epoch|utc") {
		t.Errorf("-h does not list --time:\n%s", out.String())
	}
}
