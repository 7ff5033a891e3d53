package cmd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// Several captures read as one (the UI given several files): every frame
// of every file once, in time order, numbered from 1, and the sessions
// those of the files read apart.
func TestMergedCaptures(t *testing.T) {
	names := []string{filepath.Join("..", "pcaps", "plain25.pcap"), filepath.Join("..", "pcaps", "starttls587-tls13.pcap"),
		filepath.Join("..", "pcaps", "pipelining25.pcap")}
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	m, err := e.openMerged(names)
	if err != nil {
		t.Fatal(err)
	}
	total := int64(0)
	var last int64
	var prevTime int64
	for {
		f, err := m.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		total++
		if f.Number != last+1 {
			t.Fatalf("frame %d after %d", f.Number, last)
		}
		last = f.Number
		if f.Time.UnixNano() < prevTime {
			t.Fatalf("frame %d goes back in time", f.Number)
		}
		prevTime = f.Time.UnixNano()
	}
	m.Close()
	want := int64(0)
	sessionsApart := []string{}
	for _, n := range names {
		f, err := e.open(n)
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := f.Next(); err != nil {
				break
			}
			want++
		}
		f.Close()
		sessionsApart = append(sessionsApart, sessionKeys(t, e, []string{n})...)
	}
	if total != want || total == 0 {
		t.Errorf("merged: %d frames, the files hold %d", total, want)
	}
	merged := sessionKeys(t, e, names)
	if len(merged) < 3 {
		t.Fatalf("merged: %d sessions", len(merged))
	}
	slices.Sort(merged)
	slices.Sort(sessionsApart)
	if !slices.Equal(merged, sessionsApart) {
		t.Errorf("merged sessions %q, apart %q", merged, sessionsApart)
	}
}

// sessionKeys reads names (merged when several) and lists each session as
// client, server, commands, replies and messages.
func sessionKeys(t *testing.T, e *env, names []string) []string {
	t.Helper()
	r := &reader{e: e, name: names[0], names: names}
	src, err := r.openCapture()
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var keys []string
	c := &collect{fn: func(s *session.Session) {
		keys = append(keys, s.Client.String()+" "+s.Server.String()+" "+strconv.Itoa(len(s.Commands))+" "+
			strconv.Itoa(len(s.Replies))+" "+strconv.Itoa(len(s.Messages)))
	}}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	if _, err := engine.Run(context.Background(), src, opts, c); err != nil {
		t.Fatal(err)
	}
	return keys
}

type collect struct {
	engine.Nop
	fn func(*session.Session)
}

func (c *collect) Finished(s *session.Session) { c.fn(s) }
