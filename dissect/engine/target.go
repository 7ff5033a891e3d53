package engine

import (
	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// Nop is a Target that runs each batch and ignores the sessions: embed it
// and write only the methods that matter (a Target with a lock writes its
// own Batch). Progress is what the engine last reported.
type Nop struct {
	build.NopSink
	Progress session.Progress
}

// Batch runs fn on n.Progress; nothing guards it.
func (n *Nop) Batch(fn func(p *session.Progress)) { fn(&n.Progress) }

// Collect is a Target that keeps every finished session, in the order they
// finished (tests, and reports that need the whole capture).
type Collect struct {
	Nop
	Sessions []*session.Session
}

// Finished keeps s.
func (c *Collect) Finished(s *session.Session) { c.Sessions = append(c.Sessions, s) }
