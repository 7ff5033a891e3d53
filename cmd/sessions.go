package cmd

import (
	"context"
	"github.com/smtpscope/smtpscope/dissect/wire"
	"sort"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// keepAll is an engine target that keeps every finished session (for the
// commands that draw whole captures: diagram, report --html).
type keepAll struct {
	engine.Nop
	sessions []*session.Session
	progress session.Progress
	limits   wire.Counts
}

func (c *keepAll) Batch(fn func(p *session.Progress)) {
	fn(&c.progress)
	if c.progress.Done {
		c.limits = c.progress.Limits
	}
}
func (c *keepAll) Finished(s *session.Session) { c.sessions = append(c.sessions, s) }

// readAll dissects one capture and returns its sessions in stream order,
// with the cross-session findings added, and the limits hit.
func (e *env) readAll(name string, opts engine.Options) ([]*session.Session, wire.Counts, error) {
	src, err := e.open(name)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	c := &keepAll{}
	_, runErr := engine.Run(context.Background(), src, opts, c)
	sort.SliceStable(c.sessions, func(i, j int) bool { return c.sessions[i].Stream < c.sessions[j].Stream })
	findings.Apply(c.sessions)
	return c.sessions, c.limits, runErr
}
