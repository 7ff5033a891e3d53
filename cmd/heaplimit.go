package cmd

import (
	"os"
	"runtime/debug"
)

// minHeapLimit is the smallest soft heap limit report sets: below it the
// collector would run all the time on an ordinary capture.
const minHeapLimit = 192 << 20

// setHeapLimit asks the Go runtime to keep report's heap near
// max(192 MiB, 3/8 of the connection budget), unless GOMEMLIMIT says
// otherwise. A report streams each session out as it ends, so its live
// heap is the open connections; without a soft limit the collector lets
// the heap grow to twice that before it runs (GOGC=100), and a flood of
// idle connections (issue 12: 100,000 SYN-only flows, about 130 MB live)
// peaks past 256 MiB, further still when the CPU is busy and marking lags.
// The limit is soft: a capture that really needs more heap gets it, at the
// cost of more frequent collections (the runtime bounds that at half the
// CPU). The TUI keeps every session and is left alone.
func setHeapLimit(maxMemory int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(minHeapLimit, maxMemory/8*3))
}
