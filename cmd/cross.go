package cmd

import (
	"fmt"
	"io"
	"slices"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/report"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// crossCopy returns the parts of a finished session that the cross-session
// rules (findings.Capture) read, so that the text report can run them at the
// end of a file without holding every timeline: endpoints and frames, the
// TLS mode, commands without arguments, replies with their lines only for
// EHLO answers (the capability list), the TLS records without the
// encrypted ones after the first per direction, the FIN/RST events, and
// the findings already printed. TestCrossCopySameFindings checks that the
// rules give the same answers on the copy as on the session.
func crossCopy(s *session.Session) *session.Session {
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

// crossExtra runs the cross-session rules over the copies of one capture's
// sessions and returns, per copy, the findings that were not printed with
// the session already (in session order).
func crossExtra(copies []*session.Session) [][]session.Finding {
	before := make([][]session.Finding, len(copies))
	for i, c := range copies {
		before[i] = slices.Clone(c.Findings)
	}
	engine.CrossSession(copies)
	out := make([][]session.Finding, len(copies))
	for i, c := range copies {
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
	for _, g := range fs {
		if g.Code == f.Code && slices.Equal(g.Frames, f.Frames) {
			return true
		}
	}
	return false
}

// writeAcross writes the "Across sessions" section of the text report: the
// findings that only comparing the sessions of one capture shows. It
// returns them all (for the totals and --fail-on).
func writeAcross(out io.Writer, copies []*session.Session) []session.Finding {
	extra := crossExtra(copies)
	var all []session.Finding
	for i, fs := range extra {
		if len(fs) == 0 {
			continue
		}
		if len(all) == 0 {
			io.WriteString(out, "Across sessions:\n")
		}
		c := copies[i]
		for _, f := range fs {
			fmt.Fprintf(out, "    ! %-6s %s  #%d %s → %s  %s (frames %s)\n", f.Severity, f.Code, c.Stream, c.Client,
				c.Server, f.Summary, report.JoinFrames(f.Frames, ", "))
		}
		all = append(all, fs...)
	}
	if len(all) > 0 {
		io.WriteString(out, "\n")
	}
	return all
}

// acrossFindings returns the cross-session findings of a file, flat.
func acrossFindings(copies []*session.Session) []session.Finding {
	var all []session.Finding
	for _, fs := range crossExtra(copies) {
		all = append(all, fs...)
	}
	return all
}
