package cmd

import (
	"errors"
	"fmt"
	"io"

	"github.com/smtpscope/smtpscope/dissect/capture"
)

// captureSource is what the UI reads: one capture file or several merged.
type captureSource interface {
	Next() (*capture.Frame, error)
	BytesRead() int64
	Size() int64
	Close() error
}

// mergedSource reads several captures as one, as mergecap writes them:
// frames in time order (a tie goes to the file named first), numbered
// from 1 across the files. A damaged file ends there; its error is
// returned once the others are read.
type mergedSource struct {
	files []*capture.File
	heads []*capture.Frame // each file's next frame (nil: not read yet or ended)
	bufs  [][]byte         // the frames' data: a file's Data is only valid until its next read
	ended []bool
	last  int // the file whose frame was returned last: read again next time
	n     int64
	err   error
}

// openMerged opens every capture of names.
func (e *env) openMerged(names []string) (*mergedSource, error) {
	m := &mergedSource{last: -1}
	for _, n := range names {
		if n == "-" {
			m.Close()
			return nil, errors.New("cmd: stdin cannot be merged with other captures")
		}
		f, err := e.open(n)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.files = append(m.files, f)
	}
	m.heads = make([]*capture.Frame, len(m.files))
	m.bufs = make([][]byte, len(m.files))
	m.ended = make([]bool, len(m.files))
	for i := range m.files {
		m.fill(i)
	}
	return m, nil
}

// fill reads file i's next frame into heads[i].
func (m *mergedSource) fill(i int) {
	m.heads[i] = nil
	if m.ended[i] {
		return
	}
	f, err := m.files[i].Next()
	if err != nil {
		m.ended[i] = true
		if !errors.Is(err, io.EOF) && m.err == nil {
			m.err = err
		}
		return
	}
	c := *f
	m.bufs[i] = append(m.bufs[i][:0], f.Data...)
	c.Data = m.bufs[i]
	m.heads[i] = &c
}

// Next returns the earliest pending frame of all the files.
func (m *mergedSource) Next() (*capture.Frame, error) {
	if m.last >= 0 {
		m.fill(m.last)
		m.last = -1
	}
	best := -1
	for i, h := range m.heads {
		if h != nil && (best < 0 || h.Time.Before(m.heads[best].Time)) {
			best = i
		}
	}
	if best < 0 {
		if m.err != nil {
			return nil, fmt.Errorf("cmd: merged captures: %w", m.err)
		}
		return nil, io.EOF
	}
	m.last = best
	m.n++
	f := m.heads[best]
	f.Number = m.n
	return f, nil
}

func (m *mergedSource) BytesRead() int64 {
	var n int64
	for _, f := range m.files {
		n += f.BytesRead()
	}
	return n
}

func (m *mergedSource) Size() int64 {
	var n int64
	for _, f := range m.files {
		n += f.Size()
	}
	return n
}

func (m *mergedSource) Close() error {
	var errs []error
	for _, f := range m.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// openCapture opens the UI's capture: one file, or several merged.
func (r *reader) openCapture() (captureSource, error) {
	if len(r.names) > 1 {
		return r.e.openMerged(r.names)
	}
	return r.e.open(r.name)
}
