package cmd

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// report --filter selects with the UI's language: the same sessions as the
// filter package says, over every sample.
func TestReportFilter(t *testing.T) {
	pcaps, _ := filepath.Glob(filepath.Join("..", "pcaps", "*.pcap"))
	if len(pcaps) < 10 {
		t.Fatalf("samples: %v", pcaps)
	}
	streamsOf := func(args ...string) []string {
		t.Helper()
		var out, errOut bytes.Buffer
		if st := Main(append([]string{"report", "--json"}, args...), nil, &out, &errOut); st != exitOK {
			t.Fatalf("report %q: exit %d: %s", args, st, errOut.String())
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if line == "" {
				continue
			}
			var s struct {
				Client string `json:"client"`
				TLS    struct {
					Version string `json:"version"`
				} `json:"tls"`
				Replies []struct {
					Code int `json:"code"`
				} `json:"replies"`
			}
			if err := json.Unmarshal([]byte(line), &s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s.Client+" "+s.TLS.Version)
		}
		return got
	}
	all := streamsOf(pcaps...)
	picked := streamsOf(append([]string{"--filter", "reply >= 500 or tls.version < 1.2"}, pcaps...)...)
	if len(picked) == 0 || len(picked) >= len(all) {
		t.Fatalf("the filter picked %d of %d sessions", len(picked), len(all))
	}
	// TLS 1.0 with RC4 (attack-tls10-rc4-25) and a 5xx (rejected-data25) are in.
	tls10 := slices.ContainsFunc(picked, func(s string) bool { return strings.HasSuffix(s, "TLS 1.0") })
	if !tls10 {
		t.Errorf("the TLS 1.0 session is not selected: %q", picked)
	}
	none := streamsOf("--filter", "tls.version >= 1.2 and tls.version < 1.2", pcaps[0])
	if len(none) != 0 {
		t.Errorf("a contradiction selected %q", none)
	}
	// The filter may come after the files.
	if after := streamsOf(append(pcaps, "--filter", "reply >= 500 or tls.version < 1.2")...); !slices.Equal(after, picked) {
		t.Errorf("--filter after the files: %q, want %q", after, picked)
	}
}

func TestReportFilterErrors(t *testing.T) {
	plain := filepath.Join("..", "pcaps", "plain25.pcap")
	var out, errOut bytes.Buffer
	st := Main([]string{"report", "--filter", "port:25 or tls.verison >= 1.2", plain}, nil, &out, &errOut)
	want := "smtpscope: --filter: column 12: unknown field \"tls.verison\" (did you mean tls.version?)\n" +
		"  port:25 or tls.verison >= 1.2\n" +
		"             ^~~~~~~~~~~\n"
	if st != exitUsage || errOut.String() != want || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and:\n%s", st, out.String(), errOut.String(), want)
	}
	out.Reset()
	errOut.Reset()
	if st := Main([]string{"report", "--filter", "help"}, nil, &out, &errOut); st != exitOK || !strings.Contains(out.String(), "tls.version") {
		t.Errorf("--filter help: exit %d:\n%s%s", st, out.String(), errOut.String())
	}
	// diagram takes the same language.
	out.Reset()
	errOut.Reset()
	if st := Main([]string{"diagram", "--filter", "reply >= 5xx", plain}, nil, &out, &errOut); st != exitUsage ||
		!strings.Contains(errOut.String(), `column 10: replies.code: "5xx" is not a number`) {
		t.Errorf("diagram --filter: exit %d: %s", st, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if st := Main([]string{"diagram", "--mermaid", "--filter", "msgs > 0 and not tls.version >= 1.2", plain}, nil, &out, &errOut); st != exitOK ||
		!strings.Contains(out.String(), "sequenceDiagram") {
		t.Errorf("diagram --filter msgs > 0: exit %d: %s", st, errOut.String())
	}
}
