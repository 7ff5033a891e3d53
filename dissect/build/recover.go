package build

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// The recover boundary (issue 12, deliver 4): each call from the flow
// tracker into a connection (TCP, Data, Close) recovers a panic of the
// dissectors below it. The panic becomes a counted dissector error
// (wire.LimitDissectorError), the session is marked with an anomaly
// AnoDissectorError naming the frame and the panic, the rest of that stream
// is not dissected, and every other stream goes on. Options.Panic turns the
// boundary off, for fuzz targets, which must see the panic.

// AnoDissectorError is the anomaly code of a stream whose dissection
// failed.
const AnoDissectorError = "smtpscope.dissector_error"

// recoverAt is deferred by the consumer methods: it must call recover
// itself, directly, for the recovery to work.
func (c *conn) recoverAt(pos wire.Pos) {
	if c.b.opts.Panic {
		return
	}
	r := recover()
	if r == nil {
		return
	}
	c.broke(r, pos)
}

// closeGuard is recoverAt for Close: the session is finished as far as it
// got.
func (c *conn) closeGuard(pos wire.Pos) {
	if c.b.opts.Panic {
		return
	}
	r := recover()
	if r == nil {
		return
	}
	c.broke(r, pos)
	c.finishBroken(pos)
}

// broke marks the connection after a recovered panic r at pos.
func (c *conn) broke(r any, pos wire.Pos) {
	c.broken = true
	c.b.limits[wire.LimitDissectorError]++
	where := panicSite()
	msg := sanitize.String(fmt.Sprint(r))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	if c.s == nil {
		return // not a session yet: counted only
	}
	s := c.s
	summary := "smtpscope's dissector failed at frame " + fmt.Sprint(pos.Frame) + " (panic: " + msg + where +
		"); the rest of this stream is not dissected, the other streams are. Please report it with the capture"
	// Appended directly: the helpers that add anomalies may be what failed.
	s.Anomalies = append(s.Anomalies, session.Anomaly{Frame: pos.Frame, Dir: wire.ClientToServer, Code: AnoDissectorError,
		Summary: summary})
}

// panicSite names the function that panicked, from the recovering stack.
func panicSite() string {
	pc := make([]uintptr, 16)
	n := runtime.Callers(4, pc)
	frames := runtime.CallersFrames(pc[:n])
	for {
		f, more := frames.Next()
		if f.Function != "" && !strings.HasPrefix(f.Function, "runtime.") {
			i := strings.LastIndex(f.Function, "/")
			return " in " + f.Function[i+1:]
		}
		if !more {
			return ""
		}
	}
}

// finishBroken ends a connection whose dissection failed: its session (as
// far as it got) is finished, once.
func (c *conn) finishBroken(pos wire.Pos) {
	if c.finished || c.s == nil {
		if c.s == nil && !c.dropped {
			c.dropped = true
			c.b.sink.Dropped(c.fc.Stream)
		}
		return
	}
	c.finished = true
	s := c.s
	s.TCP.Packets = int(c.fc.Packets)
	c.dirCounts(s)
	if c.fc.Last.Frame > s.LastFrame {
		s.LastFrame, s.End = c.fc.Last.Frame, c.fc.Last.Time
	}
	s.Complete = true
	c.b.sink.Finished(s)
}
