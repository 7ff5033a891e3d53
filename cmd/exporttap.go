package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/message"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// msgKey names a message across the capture: its session's stream and its
// Message.Seq.
type msgKey struct {
	stream int64
	seq    int
}

// planned is a message to export and the state of its writing.
type planned struct {
	base  string
	limit int64 // the message's size: bytes after it are not its own
	n     int64 // bytes seen (gaps included)
	f     *os.File
	p     *message.Parser
	done  bool
	parts *partFiles
}

// exporter is the build.Tap of export's second pass: it writes each
// planned message's bytes (--eml) or decoded attachments (--attachments)
// as they stream, keeping no message in memory.
type exporter struct {
	root  *os.Root
	dir   string
	att   bool
	force bool
	out   io.Writer
	want  map[msgKey]*planned
	taken map[string]bool // names made in this run
	files int
	errs  []error
}

func newExporter(root *os.Root, dir string, att, force bool, out io.Writer) *exporter {
	return &exporter{root: root, dir: dir, att: att, force: force, out: out, want: map[msgKey]*planned{}, taken: map[string]bool{}}
}

func (x *exporter) plan(stream int64, m *session.Message, base string) {
	x.want[msgKey{stream, m.Seq}] = &planned{base: base, limit: m.Size}
}

// Body implements build.Tap.
func (x *exporter) Body(stream int64, seq int, data []byte, gap int64) {
	pl := x.want[msgKey{stream, seq}]
	if pl == nil || pl.done {
		return
	}
	if pl.f == nil && pl.p == nil && !x.start(pl) {
		return
	}
	if gap > 0 {
		pl.n += gap
		if pl.p != nil {
			pl.p.Gap(gap)
		}
	} else {
		if room := pl.limit - pl.n; int64(len(data)) > room {
			data = data[:max(room, 0)]
		}
		pl.n += int64(len(data))
		if pl.f != nil {
			if _, err := pl.f.Write(data); err != nil {
				x.fail(pl, err)
				return
			}
		} else {
			pl.p.Write(data)
		}
	}
	if pl.n >= pl.limit {
		x.end(pl)
	}
}

// start opens the message's .eml, or its parser for the attachments.
func (x *exporter) start(pl *planned) bool {
	if x.att {
		pl.parts = &partFiles{x: x, base: pl.base}
		pl.p = message.New(message.Options{})
		pl.p.SetPartSink(pl.parts)
		return true
	}
	f, err := create(x.root, pl.base+".eml", x.force)
	if err != nil {
		x.errs = append(x.errs, err)
		pl.done = true
		return false
	}
	x.taken[pl.base+".eml"] = true
	pl.f = f
	return true
}

// end closes what the message's writing holds.
func (x *exporter) end(pl *planned) {
	if pl.done {
		return
	}
	pl.done = true
	if pl.f != nil {
		name := filepath.Base(pl.f.Name())
		if err := pl.f.Close(); err != nil {
			x.errs = append(x.errs, err)
			return
		}
		x.files++
		fmt.Fprintf(x.out, "%s\t%d bytes\n", filepath.Join(x.dir, name), pl.n)
	}
	if pl.p != nil {
		pl.p.Close()
		pl.parts.closeOpen()
	}
}

func (x *exporter) fail(pl *planned, err error) {
	x.errs = append(x.errs, err)
	if pl.f != nil {
		pl.f.Close()
		pl.f = nil
	}
	pl.done = true
}

// finish ends every message whose bytes stopped short (a capture cut).
func (x *exporter) finish() {
	for _, pl := range x.want {
		x.end(pl)
	}
}

// unique returns name, or name with "-2", "-3"... before its extension
// when this run already made it (two attachments named alike).
func (x *exporter) unique(name string) string {
	if !x.taken[name] {
		return name
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		n := stem + "-" + strconv.Itoa(i) + ext
		if !x.taken[n] {
			return n
		}
	}
}

// partFiles is the message.PartSink writing one message's attachments.
type partFiles struct {
	x    *exporter
	base string
	f    *os.File
	name string
	part int
}

// Start implements message.PartSink: an attachment gets a file.
func (pf *partFiles) Start(p *message.Part) {
	if !p.Attachment() {
		return
	}
	fallback := "part" + strings.ReplaceAll(p.Section, ".", "-") + ".bin"
	name := pf.x.unique(pf.base + "-" + message.SafeFilename(p.RawFilename, fallback))
	f, err := create(pf.x.root, name, pf.x.force)
	if err != nil {
		pf.x.errs = append(pf.x.errs, err)
		return
	}
	pf.x.taken[name] = true
	pf.f, pf.name, pf.part = f, name, p.Index
}

// Write implements message.PartSink.
func (pf *partFiles) Write(p *message.Part, b []byte) {
	if pf.f == nil || p.Index != pf.part {
		return
	}
	if _, err := pf.f.Write(b); err != nil {
		pf.x.errs = append(pf.x.errs, err)
		pf.f.Close()
		pf.f = nil
	}
}

// End implements message.PartSink.
func (pf *partFiles) End(p *message.Part) {
	if pf.f == nil || p.Index != pf.part {
		return
	}
	err := pf.f.Close()
	pf.f = nil
	if err != nil {
		pf.x.errs = append(pf.x.errs, err)
		return
	}
	pf.x.files++
	fmt.Fprintf(pf.x.out, "%s\t%d bytes\tsha256 %s\t%s\n", filepath.Join(pf.x.dir, pf.name), p.Size, p.SHA256,
		sanitize.String(p.Filename))
}

func (pf *partFiles) closeOpen() {
	if pf.f != nil {
		pf.f.Close()
		pf.f = nil
	}
}
