package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/message"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// saveMessage is the UI's tui.Options.SaveMessage: it reads the capture
// again and writes message m of session stream to w, as the client sent it
// (part < 0) or the decoded content of one of its parts.
func (r *reader) saveMessage(stream int64, m *session.Message, part int, w io.Writer) error {
	if r.name == "-" {
		return errors.New("cmd: the capture came from stdin and cannot be read again")
	}
	src, err := r.openCapture()
	if err != nil {
		return err
	}
	defer src.Close()
	t := &oneTap{stream: stream, seq: m.Seq, limit: m.Size, w: w, part: part}
	if part >= 0 {
		t.p = message.New(message.Options{})
		t.p.SetPartSink(t)
	}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.Keys = r.keys
	opts.Session.NoContent = true
	opts.Session.Tap = t
	opts.Threads = 1
	if _, err := engine.Run(context.Background(), src, opts, &engine.Nop{}); err != nil && !t.seen {
		return err
	}
	if t.p != nil {
		t.p.Close()
	}
	switch {
	case t.err != nil:
		return t.err
	case !t.seen:
		return fmt.Errorf("cmd: message %d of session %d not found when reading the capture again", m.Seq, stream)
	}
	return nil
}

// oneTap writes one message (or one of its parts) to w as it streams.
type oneTap struct {
	stream int64
	seq    int
	limit  int64
	n      int64
	w      io.Writer
	part   int
	p      *message.Parser
	seen   bool
	err    error
}

// Body implements build.Tap.
func (t *oneTap) Body(stream int64, seq int, data []byte, gap int64) {
	if stream != t.stream || seq != t.seq || t.err != nil || t.n >= t.limit {
		return
	}
	t.seen = true
	if gap > 0 {
		t.n += gap
		if t.p != nil {
			t.p.Gap(gap)
		}
		return
	}
	if room := t.limit - t.n; int64(len(data)) > room {
		data = data[:room]
	}
	t.n += int64(len(data))
	if t.p != nil {
		t.p.Write(data)
		return
	}
	_, t.err = t.w.Write(data)
}

// Start, Write and End implement message.PartSink for the chosen part.
func (t *oneTap) Start(*message.Part) {}
func (t *oneTap) Write(p *message.Part, b []byte) {
	if p.Index == t.part && t.err == nil {
		_, t.err = t.w.Write(b)
	}
}
func (t *oneTap) End(*message.Part) {}
