package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/cmd"
)

// childEnv makes the test binary run smtpscope (cmd.Main) on its arguments
// after "--", as the campaign's subprocess; childPanic makes it panic.
const (
	childEnv   = "SMTPSCOPE_MUTATE_CHILD"
	childPanic = "SMTPSCOPE_MUTATE_PANIC"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		if os.Getenv(childPanic) == "1" {
			panic("injected")
		}
		os.Exit(cmd.Main(args, nil, io.Discard, os.Stderr))
	}
	os.Exit(m.Run())
}

func selfRunner(extra ...string) runner {
	return runner{argv: []string{os.Args[0], "-test.run=^$", "--"}, env: append([]string{childEnv + "=1"}, extra...)}
}

// The quick campaign of `go test`: 45 variants of the samples in pcaps/
// (every kind of mutation three times, on samples with and without key
// logs) through report, report --json and --keylog in subprocesses: no
// panic, no hang, no bad exit, bounded RSS. `go run ./cmd/mutate -n 10000`
// is the full one (README, "Hostile input").
func TestQuickCampaign(t *testing.T) {
	samples, err := loadSamples([]string{"../../pcaps"})
	if err != nil || len(samples) < 10 {
		t.Fatalf("samples: %d, %v", len(samples), err)
	}
	var log bytes.Buffer
	out := t.TempDir()
	r, err := campaign(config{n: 45, seed: 12, timeout: 60 * time.Second, maxRSS: 512 << 20, out: out, run: selfRunner(), log: &log}, samples)
	if err != nil {
		t.Fatal(err)
	}
	var sum bytes.Buffer
	r.summary(&sum)
	t.Log(sum.String())
	if r.failures != 0 || r.variants != 45 || r.runs < 90 {
		t.Errorf("%d variants, %d runs, %d failures:\n%s", r.variants, r.runs, r.failures, log.String())
	}
	for _, k := range []string{"bytes", "truncate", "caplen", "dup", "reorder", "drop", "combo"} {
		if r.byKind[k] != 3 {
			t.Errorf("%s ran %d times, want 3: %v", k, r.byKind[k], r.byKind)
		}
	}
	if r.exits[0] == 0 || r.exits[1] == 0 {
		t.Errorf("exit statuses %v: want both clean reads and refused variants", r.exits)
	}
}

// A run that panics is a failure, and its variant is saved with the reason.
func TestCampaignSavesFailures(t *testing.T) {
	samples, err := loadSamples([]string{"../../pcaps"})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	out := t.TempDir()
	r, err := campaign(config{n: 2, seed: 1, timeout: 60 * time.Second, maxRSS: 512 << 20, out: out,
		run: selfRunner(childPanic + "=1"), log: &log}, samples)
	if err != nil {
		t.Fatal(err)
	}
	if r.failures != 2 {
		t.Errorf("%d failures, want 2: %s", r.failures, log.String())
	}
	txt, _ := filepath.Glob(filepath.Join(out, "fail-*.txt"))
	pcap, _ := filepath.Glob(filepath.Join(out, "fail-*.pcap"))
	if len(txt) != 2 || len(pcap) != 2 {
		t.Fatalf("saved %q %q", txt, pcap)
	}
	b, _ := os.ReadFile(txt[0])
	if !strings.Contains(string(b), "panic or runtime error") || !strings.Contains(string(b), "command: smtpscope report") {
		t.Errorf("saved reason:\n%s", b)
	}
}
