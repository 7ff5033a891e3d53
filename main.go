// Command smtpscope shows SMTP sessions in packet captures as interactive
// timelines, and reports on them. See README.md.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/smtpscope/smtpscope/cmd"
)

func main() {
	// SMTPSCOPE_CPUPROFILE=FILE writes a CPU profile of the run (for
	// `go tool pprof`; cmd/scripts/bench.sh and the README's speed section).
	if p := os.Getenv("SMTPSCOPE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			// 1 kHz instead of 100 Hz: a 1 GB run is only a second or two.
			runtime.SetCPUProfileRate(1000)
			if pprof.StartCPUProfile(f) == nil {
				code := cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
			f.Close()
		}
	}
	os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
