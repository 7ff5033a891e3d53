package build

import (
	"github.com/smtpscope/smtpscope/dissect/session"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"time"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// fmtDuration prints a duration with millisecond precision below a minute.
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return strconv.FormatInt(d.Microseconds(), 10) + "µs"
	case d < time.Minute:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	return d.Round(time.Second).String()
}

// anomaly records odd traffic on the session and its timeline.
func (c *conn) anomaly(d wire.Dir, pos wire.Pos, code, summary string) {
	s := c.s
	if len(s.Anomalies) >= maxAnomalies {
		c.b.limits[wire.LimitAnomalies]++
		return
	}
	s.Anomalies = append(s.Anomalies, session.Anomaly{Frame: pos.Frame, Dir: d, Code: code, Summary: summary})
	c.add(session.Event{Frame: pos.Frame, Time: pos.Time, Dir: d, Phase: c.phase, Kind: session.KindAnomaly,
		Summary: summary, Ref: len(s.Anomalies) - 1})
}

// maxAnomalies bounds the anomalies kept per session; more are counted.
const maxAnomalies = 200

// quotePrefix shows the first bytes of data, sanitized.
func quotePrefix(data []byte) string {
	const n = 40
	if len(data) > n {
		return `"` + sanitize.Bytes(data[:n]) + `"…`
	}
	return `"` + sanitize.Bytes(data) + `"`
}

// keep copies up to max bytes of b for Event.Raw when the builder keeps
// bytes, within the session's budget.
func (c *conn) keep(b []byte, max int) []byte {
	if !c.b.opts.KeepBytes || len(b) == 0 {
		return nil
	}
	if len(b) > max {
		b = b[:max]
	}
	if c.kept+len(b) > c.b.opts.MaxKeptBytes {
		c.b.limits[wire.LimitKeptBytes]++
		return nil
	}
	c.kept += len(b)
	return append([]byte(nil), b...)
}

// maxRawEvent bounds the bytes kept for one event.
const maxRawEvent = 16 << 10
