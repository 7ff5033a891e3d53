// Package engine runs the pipeline of ARCHITECTURE.md, one direction and no
// goroutines: frames from a capture source are decoded to TCP, reassembled
// per connection, dissected as SMTP and TLS, and built into sessions that a
// Target (a report writer, or the UI's store) receives.
package engine

import (
	"errors"
	"io"
	"time"

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
// session.Sink methods only inside Batch.
type Target interface {
	session.Sink
	Batch(fn func(p *session.Progress))
}

// Options configure a run.
type Options struct {
	Session session.Options
	Flow    flow.Options
	Decode  capture.DecoderOptions
	// BatchFrames is how many frames are processed per Batch (default 2048).
	BatchFrames int
}

// Stats is what a run saw.
type Stats struct {
	Frames   int64
	Bytes    int64
	Flow     flow.Stats
	Decode   capture.DecodeStats
	Duration time.Duration
}

// Run reads src to its end. It returns the source's error (a
// *capture.FormatError for a damaged file) after everything decodable
// before the damage was dissected; io.EOF is not an error.
func Run(src Source, opts Options, t Target) (Stats, error) {
	if opts.BatchFrames <= 0 {
		opts.BatchFrames = 2048
	}
	start := time.Now()
	if opts.Session.Keys == nil {
		opts.Session.Keys = tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
	}
	b := session.NewBuilder(opts.Session, withFindings{t})
	tr := flow.NewTracker(opts.Flow, b)
	dec := capture.NewDecoder(opts.Decode)
	var st Stats
	var runErr error
	done := false
	secrets, _ := src.(secretSource)
	seen := 0
	for !done {
		t.Batch(func(p *session.Progress) {
			for i := 0; i < opts.BatchFrames; i++ {
				f, err := src.Next()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						runErr = err
					}
					done = true
					break
				}
				st.Frames++
				if secrets != nil && secrets.SecretsSeen() > seen && opts.Session.Keys != nil {
					// pcapng Decryption Secrets Blocks come before the
					// packets they decrypt: take them as they appear.
					all := secrets.Secrets()
					for _, sec := range all[seen:] {
						opts.Session.Keys.AddDSB(sec)
					}
					seen = len(all)
				}
				if seg, ok := dec.Decode(f); ok {
					tr.Packet(seg.Net, seg.TCP, wire.Pos{Frame: f.Number, Time: f.Time})
				}
			}
			if done {
				tr.Flush()
			}
			st.Bytes = src.BytesRead()
			fill(p, &st, src, tr, b, dec, start)
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
func fill(p *session.Progress, st *Stats, src Source, tr *flow.Tracker, b *session.Builder, dec *capture.Decoder, start time.Time) {
	fs := tr.Stats()
	p.Bytes, p.TotalBytes, p.Packets = st.Bytes, src.Size(), st.Frames
	p.Streams = fs.Streams
	p.Elapsed = time.Since(start)
	if p.Limits == nil {
		p.Limits = map[string]int64{}
	}
	for k, v := range b.Limits() {
		p.Limits[k] = v
	}
	if fs.Evicted > 0 {
		p.Limits["flows"] = fs.Evicted
	}
	if fs.BufferLimitHits > 0 {
		p.Limits["reassembly-buffer"] = fs.BufferLimitHits
	}
	if ds := dec.Stats(); ds.FragmentLimitHits > 0 {
		p.Limits["ip-fragments"] = ds.FragmentLimitHits
	}
}

// withFindings runs the per-session rules of package findings on each
// session as it finishes, before the target sees it.
type withFindings struct{ Target }

func (w withFindings) Finished(s *session.Session) {
	s.Findings = findings.Session(s)
	w.Target.Finished(s)
}

// CrossSession adds the findings that need several sessions (the same
// server offered STARTTLS elsewhere; a TLS failure then a plaintext retry)
// to sessions, the finished sessions of one capture.
func CrossSession(sessions []*session.Session) {
	extra := findings.Capture(sessions)
	for i, fs := range extra {
		sessions[i].Findings = findings.Merge(sessions[i].Findings, fs)
	}
}

// secretSource is a Source that can carry TLS secrets (pcapng DSBs).
type secretSource interface {
	SecretsSeen() int
	Secrets() [][]byte
}
