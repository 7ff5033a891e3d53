// Package engine runs the pipeline of ARCHITECTURE.md, one direction: frames from a capture source are decoded to TCP, reassembled
// per connection, dissected as SMTP and TLS, and built into sessions that a
// Target (a report writer, or the UI's store) receives. With one thread
// there is no goroutine; with two, reading and decoding run apart from the
// rest (pipeline.go).
package engine

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/flow"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Source is where frames come from: a capture file or a live interface.
type Source interface {
	Next() (*capture.Frame, error)
	// BytesRead and Size feed the progress bar (Size is 0 when unknown).
	BytesRead() int64
	Size() int64
}

// Target receives sessions. Batch runs fn while holding whatever guards
// the sessions from readers (the UI's store lock); the engine calls the
// build.Sink methods only inside Batch.
type Target interface {
	build.Sink
	Batch(fn func(p *session.Progress))
}

// Options configure a run.
type Options struct {
	Session build.Options
	Flow    flow.Options
	Decode  capture.DecoderOptions
	// BatchFrames is how many frames are processed per Batch (default 2048).
	BatchFrames int
	// Threads is how many goroutines dissect (default 1). With 2 or more,
	// one reads and decodes frames while another reassembles and
	// dissects them (pipeline.go); the output is the same.
	Threads int
}

// Stats is what a run saw.
type Stats struct {
	Frames int64
	Bytes  int64
	// Decompressed is the capture's bytes after gzip, 0 when it is not
	// gzipped (capture.File.Decompressed).
	Decompressed int64
	Flow         flow.Stats
	Decode       capture.DecodeStats
	Duration     time.Duration
}

// Run reads src to its end. It returns the source's error (a
// *capture.FormatError for a damaged file) after everything decodable
// before the damage was dissected; io.EOF is not an error. Cancelling ctx
// ends the run between batches (a UI that re-reads the capture with a key
// log, a live capture whose UI closed); Run then returns ctx.Err().
func Run(ctx context.Context, src Source, opts Options, t Target) (Stats, error) {
	if opts.BatchFrames <= 0 {
		opts.BatchFrames = 2048
	}
	start := time.Now()
	// The run layers the capture's own secrets (pcapng DSBs) over a copy
	// of the caller's key log, so that one file's keys stay with it.
	keys := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
	if opts.Session.Keys != nil {
		keys.Add(opts.Session.Keys)
	}
	opts.Session.Keys = keys
	if opts.Threads > 1 {
		// Large attachments are hashed on the other core (message.Options).
		opts.Session.Message.HashAsync = true
	}
	b := build.NewBuilder(opts.Session, withFindings{t})
	tr := flow.NewTracker(opts.Flow, b)
	dec := capture.NewDecoder(opts.Decode)
	if opts.Threads > 1 {
		return runPipelined(ctx, src, opts, t, keys, b, tr, dec, start)
	}
	var st Stats
	var runErr error
	done := false
	secrets, _ := src.(secretSource)
	ready, _ := src.(readySource)
	seen := 0
	process := func(f *capture.Frame, err error) {
		if err != nil {
			// Only here: a variable given to errors.As escapes, and the
			// frame loop must not allocate.
			var idle Idle
			if errors.As(err, &idle) {
				tr.Advance(idle.Now)
				return
			}
			if !errors.Is(err, io.EOF) {
				runErr = err
			}
			done = true
			return
		}
		st.Frames++
		if secrets != nil && secrets.SecretsSeen() > seen {
			// pcapng Decryption Secrets Blocks come before the packets
			// they decrypt: take them as they appear.
			all := secrets.Secrets()
			for _, sec := range all[seen:] {
				keys.AddDSB(sec)
			}
			seen = len(all)
		}
		if seg, ok := dec.Decode(f); ok {
			pos := wire.Pos{Frame: f.Number, Time: f.Time}
			tr.PacketIP(seg.Net, seg.TCP, seg.IPLen, pos)
			if seg.Missing > 0 {
				tr.Cut(seg.Net, seg.TCP, seg.Missing, len(f.Data), pos)
			}
		}
	}
	for !done {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		// The first frame of a batch is read outside Batch: a source that
		// waits (a slow pipe, a quiet interface) must not hold the lock
		// the UI reads the sessions under. Inside, the batch goes on only
		// while frames are at hand.
		f, err := src.Next()
		t.Batch(func(p *session.Progress) {
			process(f, err)
			for i := 1; i < opts.BatchFrames && !done && (ready == nil || ready.Ready()); i++ {
				process(src.Next())
			}
			if done {
				tr.Flush()
			}
			b.Settle()
			st.Bytes, st.Decompressed = src.BytesRead(), decompressed(src)
			fill(p, &st, src.Size(), tr, b, dec.Stats(), start)
			if done {
				p.Done = true
				if runErr != nil {
					p.Errors = append(p.Errors, sanitize.String(runErr.Error()))
				}
			}
		})
	}
	st.Flow = tr.Stats()
	st.Decode = dec.Stats()
	st.Duration = time.Since(start)
	return st, runErr
}

// fill updates the progress shown to people.
func fill(p *session.Progress, st *Stats, size int64, tr *flow.Tracker, b *build.Builder, ds capture.DecodeStats, start time.Time) {
	fs := tr.Stats()
	p.Bytes, p.TotalBytes, p.Packets = st.Bytes, size, st.Frames
	p.Decompressed = st.Decompressed
	p.Streams = fs.Streams
	p.Elapsed = time.Since(start)
	if p.Limits == nil {
		p.Limits = wire.Counts{}
	}
	for k, v := range b.Limits() {
		p.Limits[k] = v
	}
	if fs.Evicted > 0 {
		p.Limits[wire.LimitFlows] = fs.Evicted
	}
	if fs.Shed > 0 {
		p.Limits[wire.LimitMaxMemory] = fs.Shed
	}
	if fs.BufferLimitHits > 0 {
		p.Limits[wire.LimitReassemblyBuffer] = fs.BufferLimitHits
	}
	p.LinkSkipped, p.LinkType = ds.LinkSkipped, int(ds.LinkType)
	if ds.FragmentLimitHits > 0 {
		p.Limits[wire.LimitIPFragments] = ds.FragmentLimitHits
	}
}

// withFindings runs the per-session rules of package findings on each
// session as it finishes, before the target sees it.
type withFindings struct{ Target }

func (w withFindings) Finished(s *session.Session) {
	s.Findings = findings.Session(s)
	w.Target.Finished(s)
}

// secretSource is a Source that can carry TLS secrets (pcapng DSBs).
// decompressed returns the source's decompressed byte count when it has
// one (a gzipped capture file), else 0.
func decompressed(src Source) int64 {
	if d, ok := src.(interface{ Decompressed() int64 }); ok {
		return d.Decompressed()
	}
	return 0
}

type secretSource interface {
	SecretsSeen() int
	Secrets() [][]byte
}

// readySource is a Source that can tell whether its next frame is at hand
// without waiting.
type readySource interface {
	Ready() bool
}

// Idle is what a live Source's Next returns when no frame came for a while:
// not an error, but the time, so that connections still end on a quiet
// interface.
type Idle struct{ Now time.Time }

func (i Idle) Error() string { return "engine: no frame since " + i.Now.Format(time.RFC3339) }
