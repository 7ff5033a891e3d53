package findings

import (
	"slices"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Apply runs the cross-session rules (Capture) over sessions, the finished
// sessions of one capture, and merges what they find into each session's
// Findings (Merge).
func Apply(sessions []*session.Session) {
	for i, fs := range Capture(sessions) {
		sessions[i].Findings = Merge(sessions[i].Findings, fs)
	}
}

// Light returns the parts of a finished session that the cross-session
// rules (Capture) read, so that a report can run them at the end of a file
// without holding every timeline: endpoints and frames, the TLS mode,
// commands without arguments, replies with their lines only for EHLO/HELO
// answers (the capability list), the TLS records without the encrypted
// ones after the first per direction, the FIN/RST events, and the findings
// already there. Capture gives the same answers on the copy as on the
// session (TestLightSameFindings).
func Light(s *session.Session) *session.Session {
	c := &session.Session{
		Stream: s.Stream, Client: s.Client, Server: s.Server, PortRole: s.PortRole,
		FirstFrame: s.FirstFrame, LastFrame: s.LastFrame, Start: s.Start, End: s.End, Complete: s.Complete,
		TLS:      session.TLSInfo{Mode: s.TLS.Mode, Version: s.TLS.Version},
		Findings: slices.Clone(s.Findings),
	}
	c.Commands = make([]session.Command, len(s.Commands))
	ehlo := map[int]bool{}
	for i, x := range s.Commands {
		c.Commands[i] = session.Command{Frame: x.Frame, Verb: x.Verb, InTLS: x.InTLS, Reply: x.Reply}
		if x.Reply != nil && (x.Verb == "EHLO" || x.Verb == "HELO") {
			ehlo[x.Reply.Index] = true
		}
	}
	c.Replies = make([]session.Reply, len(s.Replies))
	for i, r := range s.Replies {
		c.Replies[i] = session.Reply{Frame: r.Frame, Code: r.Code, InTLS: r.InTLS, Command: r.Command}
		if ehlo[i] {
			c.Replies[i].Lines = r.Lines
		}
	}
	var enc [2]bool
	for _, r := range s.TLSRecords {
		if r.Encrypted && r.Dir <= wire.ServerToClient {
			// Only whether each direction encrypted at all matters
			// (a handshake that completed), and from which position.
			if enc[r.Dir] {
				continue
			}
			enc[r.Dir] = true
		}
		r.Handshake = nil
		c.TLSRecords = append(c.TLSRecords, r)
	}
	for _, e := range s.Timeline {
		if e.Kind == session.KindFIN || e.Kind == session.KindRST {
			c.Timeline = append(c.Timeline, session.Event{Frame: e.Frame, Time: e.Time, Dir: e.Dir, Phase: e.Phase,
				Kind: e.Kind, Ref: -1})
		}
	}
	return c
}

// Across runs the cross-session rules over one capture's sessions (light
// copies or whole ones), merges what they find as Apply does, and returns,
// per session, the findings that session did not already have (in session
// order): what only comparing the sessions shows.
func Across(sessions []*session.Session) [][]session.Finding {
	before := make([][]session.Finding, len(sessions))
	for i, c := range sessions {
		before[i] = slices.Clone(c.Findings)
	}
	Apply(sessions)
	out := make([][]session.Finding, len(sessions))
	for i, c := range sessions {
		for _, f := range c.Findings {
			if !containsFinding(before[i], f) {
				out[i] = append(out[i], f)
			}
		}
	}
	return out
}

// containsFinding reports whether fs holds f (same code and frames).
func containsFinding(fs []session.Finding, f session.Finding) bool {
	return slices.ContainsFunc(fs, func(g session.Finding) bool {
		return g.Code == f.Code && slices.Equal(g.Frames, f.Frames)
	})
}

// DefaultWindow is how many finished sessions a live Window keeps for the
// cross-session rules: they run again over all of them whenever one more
// finishes (in the live UI, under the store lock).
const DefaultWindow = 5000

// Window runs the cross-session rules incrementally on a live capture: a
// session that ends can be the evidence for findings on earlier ones (the
// same server offered STARTTLS elsewhere; a plaintext retry after a failed
// TLS handshake). It keeps the last Max finished sessions (DefaultWindow
// when Max is 0); older ones are no longer compared.
type Window struct {
	Max      int
	sessions []*session.Session
}

// Finished adds s, a session that just finished, and runs the rules over
// the window, merging new findings into the sessions (Apply).
func (w *Window) Finished(s *session.Session) {
	limit := w.Max
	if limit <= 0 {
		limit = DefaultWindow
	}
	w.sessions = append(w.sessions, s)
	if len(w.sessions) > limit {
		w.sessions = slices.Delete(w.sessions, 0, len(w.sessions)-limit)
	}
	Apply(w.sessions)
}
