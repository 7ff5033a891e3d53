// Command mutate is the mutation campaign of issue 12 (deliver 1): it makes
// hostile variants of every sample capture (byte errors, truncations, lies
// in length fields, duplicated, reordered and dropped packets; package
// cmd/mutate/internal/mutate) and runs each through the whole report path in a
// subprocess (text and JSON, with the sample's key log when it has one),
// under an address-space limit and a timeout. A panic, a hang, an exit
// status other than 0 or 1, or a peak RSS over the limit is a failure, and
// the variant is saved.
//
//	go run ./cmd/mutate -n 10000            # from the repository root
//	go run ./cmd/mutate -n 200 -seed 7 -out /tmp/fails
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 1000, "variants to run")
	seed := flag.Uint64("seed", 1, "seed of the random choices (a campaign is reproducible)")
	timeout := flag.Duration("timeout", 30*time.Second, "longest run allowed (more is a hang)")
	rss := flag.Int64("max-rss-mib", 512, "largest peak RSS allowed per run, MiB")
	as := flag.Int64("max-as-mib", 4096, "address-space limit (RLIMIT_AS) of every run, MiB")
	out := flag.String("out", "mutate-failures", "directory failing variants are saved in")
	bin := flag.String("bin", "", "smtpscope binary (default: go build of this module)")
	corpus := flag.String("corpus", "pcaps,../shared/corpus/public,/work/shared/corpus/public", "comma-separated directories of sample captures")
	flag.Parse()

	if *bin == "" {
		dir, err := os.MkdirTemp("", "smtpscope-mutate-bin-")
		if err != nil {
			fatal(err)
		}
		defer os.RemoveAll(dir)
		*bin = filepath.Join(dir, "smtpscope")
		build := exec.Command("go", "build", "-o", *bin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fatal(fmt.Errorf("mutate: go build: %w (run from the repository root)", err))
		}
	}
	samples, err := loadSamples(dedupe(strings.Split(*corpus, ",")))
	if err != nil {
		fatal(err)
	}
	// The limit is inherited by every run (and holds this process too,
	// which needs little).
	lim := uint64(*as) << 20
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim}); err != nil {
		fatal(fmt.Errorf("mutate: setrlimit: %w", err))
	}
	keyed := 0
	for _, s := range samples {
		if s.keys != "" {
			keyed++
		}
	}
	fmt.Printf("mutate: %d samples (%d with key logs), %d variants, seed %d, timeout %s, RSS limit %d MiB, RLIMIT_AS %d MiB\n",
		len(samples), keyed, *n, *seed, *timeout, *rss, *as)
	r, err := campaign(config{n: *n, seed: *seed, timeout: *timeout, maxRSS: *rss << 20, out: *out,
		run: runner{argv: []string{*bin}}, log: os.Stdout}, samples)
	if err != nil {
		fatal(err)
	}
	r.summary(os.Stdout)
	if r.failures > 0 {
		fmt.Printf("mutate: failing variants saved in %s\n", *out)
		os.Exit(1)
	}
}

// dedupe drops directories that are the same as an earlier one.
func dedupe(dirs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		if !seen[abs] {
			seen[abs] = true
			out = append(out, d)
		}
	}
	return out
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}
