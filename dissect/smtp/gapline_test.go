package smtp

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Issue 12, defect 4: after a gap, an overlong first line gives the same
// events whole and byte by byte. It used to be dropped when it came whole
// but became a fake command plus anomalies byte by byte, because the "first
// line after a gap" mark was only set when its LF was in the same chunk.
func TestOverlongLineAfterGapSplitIndependent(t *testing.T) {
	opts := Options{MaxLine: 64}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"client", []step{s("220 mx\r\n"), c("EHLO x\r\n"), s("250 mx\r\n"), gapC(100),
			c("the rest of an unknown line " + strings.Repeat("x", 200) + "\r\nNOOP\r\n"), s("250 ok\r\n")}},
		{"client verb-like", []step{s("220 mx\r\n"), gapC(10),
			c("NOOP " + strings.Repeat("y", 100) + "\r\nQUIT\r\n"), s("221 bye\r\n")}},
		{"server", []step{s("220 mx\r\n"), c("NOOP\r\n"), gapS(50),
			s("trailing text of a reply " + strings.Repeat("z", 100) + "\r\n250 ok\r\n")}},
	} {
		ref := run(t, opts, tc.steps, whole)
		for name, sp := range map[string]splitter{"bytewise": bytewise, "random": randomSplits(7)} {
			if got := run(t, opts, tc.steps, sp); !slices.Equal(got, ref) {
				t.Errorf("%s, %s: events differ\n got: %s\nwant: %s", tc.name, name,
					strings.Join(got, "\n      "), strings.Join(ref, "\n      "))
			}
		}
	}
}

// The fuzzer's crasher for defect 4 (testdata/fuzz/FuzzConn) stays a
// regression test: its input replayed whole and split.
func TestGapCrasherReplays(t *testing.T) {
	matches, _ := filepath.Glob("testdata/fuzz/FuzzConn/gap-overlong-*")
	if len(matches) == 0 {
		t.Fatal("the defect 4 crasher is missing from testdata/fuzz/FuzzConn")
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		data := parseCorpusBytes(t, string(b))
		steps := decodeSteps(data)
		for _, opts := range []Options{{}, {MaxLine: 64, MaxBodyKeep: 16, MaxPipeline: 4, MaxRcpt: 2, MaxAnomalies: 5}} {
			ref := run(t, opts, steps, whole)
			if got := run(t, opts, steps, bytewise); !slices.Equal(got, ref) {
				t.Errorf("%s: bytewise events differ\n got: %s\nwant: %s", m, strings.Join(got, "\n      "),
					strings.Join(ref, "\n      "))
			}
		}
	}
}

// parseCorpusBytes reads a `go test fuzz v1` file holding one []byte.
func parseCorpusBytes(t *testing.T, text string) []byte {
	t.Helper()
	_, rest, ok := strings.Cut(text, "\n")
	rest = strings.TrimSpace(rest)
	if !ok || !strings.HasPrefix(rest, "[]byte(") || !strings.HasSuffix(rest, ")") {
		t.Fatalf("not a fuzz corpus file of one []byte: %q", text)
	}
	s, err := strconv.Unquote(rest[len("[]byte(") : len(rest)-1])
	if err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}
