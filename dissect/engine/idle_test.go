package engine

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

// quietSource plays a capture, then reports Idle (a live link that went
// quiet) before the end.
type quietSource struct {
	f     *capture.File
	last  time.Time
	phase int // 0 frames, 1 idle reported, 2 end
	idle  bool
}

func (q *quietSource) Next() (*capture.Frame, error) {
	if q.phase == 0 {
		fr, err := q.f.Next()
		if err == nil {
			q.last = fr.Time
			return fr, nil
		}
		q.phase = 1
		q.idle = true
		return nil, Idle{Now: q.last.Add(5 * time.Second)}
	}
	q.phase = 2
	return nil, io.EOF
}
func (q *quietSource) BytesRead() int64 { return 0 }
func (q *quietSource) Size() int64      { return 0 }

// finishedDuring records whether sessions finished while the source was
// idle, before the end of the capture.
type finishedDuring struct {
	collectAll
	src   *quietSource
	early int
}

func (f *finishedDuring) Finished(s *session.Session) {
	if f.src.phase == 1 {
		f.early++
	}
	f.collectAll.Finished(s)
}

func TestIdleEndsConnections(t *testing.T) {
	data, err := fs.ReadFile(pcaps.FS(), "plain25.pcap")
	if err != nil {
		t.Fatal(err)
	}
	f, err := capture.NewFile(bytes.NewReader(data), "plain25.pcap", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := &quietSource{f: f}
	target := &finishedDuring{src: src}
	if _, err := Run(context.Background(), src, Options{}, target); err != nil {
		t.Fatal(err)
	}
	if !src.idle || target.early != 1 || len(target.sessions) != 1 {
		t.Errorf("idle=%v, finished while idle %d of %d: a quiet link must still end its connections",
			src.idle, target.early, len(target.sessions))
	}
}
