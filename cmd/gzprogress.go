package cmd

import (
	"fmt"
	"io"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// gzProgressStep is how much decompressed data passes between two progress
// lines of report on stderr.
const gzProgressStep = 256 << 20

// gzProgress says on stderr how far the decompression of a gzipped capture
// has got, every gzProgressStep bytes (issue 12, defect 7: a bomb used to
// run for minutes with no output). Counting bytes, not time, keeps the
// output the same on every run.
type gzProgress struct {
	w    io.Writer
	name string
	next int64
}

func newGzProgress(w io.Writer, name string) *gzProgress {
	return &gzProgress{w: w, name: name, next: gzProgressStep}
}

func (g *gzProgress) see(p *session.Progress) {
	if g == nil || p.Decompressed < g.next {
		return
	}
	for g.next <= p.Decompressed {
		g.next += gzProgressStep
	}
	fmt.Fprintf(g.w, "smtpscope: %s: %d MiB decompressed from %d KiB of gzip, %d packets so far\n",
		sanitize.String(g.name), p.Decompressed>>20, p.Bytes>>10, p.Packets)
}
