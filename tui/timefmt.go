package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// TimeFormat is how the timeline's time column shows an event's capture
// time (Wireshark's View → Time Display Format).
type TimeFormat uint8

// Time formats, in the order T cycles through them.
const (
	TimeOfDay      TimeFormat = iota // 15:04:05.000, the capture's local time
	TimeSinceStart                   // seconds since the first SMTP session began
	TimeSincePrev                    // seconds since the previous timeline line
	TimeEpoch                        // seconds since 1970-01-01 UTC
	TimeUTC                          // 15:04:05.000Z, time of day in UTC
	numTimeFormats
)

// timeFormatNames are the names --time takes, in TimeFormat order.
var timeFormatNames = [numTimeFormats]string{"tod", "start", "prev", "epoch", "utc"}

// TimeFormatNames lists the names ParseTimeFormat takes.
func TimeFormatNames() []string { return timeFormatNames[:] }

// ParseTimeFormat reads a time format name (tod, start, prev, epoch, utc;
// also the long forms "time-of-day", "since-start", "since-previous").
func ParseTimeFormat(name string) (TimeFormat, bool) {
	switch strings.ToLower(name) {
	case "", "tod", "time-of-day", "clock", "local":
		return TimeOfDay, true
	case "start", "since-start", "relative", "rel":
		return TimeSinceStart, true
	case "prev", "since-previous", "delta":
		return TimeSincePrev, true
	case "epoch", "unix":
		return TimeEpoch, true
	case "utc":
		return TimeUTC, true
	}
	return 0, false
}

// String names the format for the hint bar.
func (f TimeFormat) String() string {
	switch f {
	case TimeSinceStart:
		return "seconds since the capture's first session"
	case TimeSincePrev:
		return "seconds since the previous line"
	case TimeEpoch:
		return "seconds since the epoch (UTC)"
	case TimeUTC:
		return "time of day, UTC"
	}
	return "time of day"
}

// width is the time column's width in cells.
func (f TimeFormat) width() int {
	switch f {
	case TimeEpoch:
		return 17 // 1733300000.123456
	case TimeUTC:
		return 13 // 15:04:05.000Z
	}
	return 12
}

// format shows capture time t (zero: nothing) of a line whose time since
// the previous line is d (when hasD), with the capture starting at start.
func (f TimeFormat) format(t, start time.Time, d time.Duration, hasD bool) string {
	if t.IsZero() {
		return ""
	}
	switch f {
	case TimeSinceStart:
		if start.IsZero() {
			return ""
		}
		return seconds(t.Sub(start))
	case TimeSincePrev:
		if !hasD {
			return seconds(0)
		}
		return seconds(d)
	case TimeEpoch:
		return strconv.FormatInt(t.Unix(), 10) + "." + six(int64(t.Nanosecond()/1000))
	case TimeUTC:
		return t.UTC().Format("15:04:05.000") + "Z"
	}
	return clockTime(t)
}

// seconds formats d as seconds with microseconds: "12.000250", "-0.001000".
func seconds(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	us := int64(d / time.Microsecond)
	return sign + strconv.FormatInt(us/1e6, 10) + "." + six(us%1e6)
}

func six(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat("0", max(0, 6-len(s))) + s
}

// cycleTime switches to the next time format (T).
func (u *UI) cycleTime() {
	u.margin.timeFmt = (u.margin.timeFmt + 1) % numTimeFormats
	u.setLadderWidth(u.margin.width)
	u.say(roleText, "time: "+u.margin.timeFmt.String()+" (T: next format)")
}

// captureStart is the start of the capture's first SMTP session (sessions
// are in order of first frame). Call inside Store.View.
func captureStart(ss []*session.Session) time.Time {
	for _, s := range ss {
		if !s.Start.IsZero() {
			return s.Start
		}
		if len(s.Timeline) > 0 {
			return s.Timeline[0].Time
		}
	}
	return time.Time{}
}

// frameWidthOf is the width of the widest frame number in lines.
func frameWidthOf(lines []line) int {
	w := 1
	for i := range lines {
		w = max(w, len(strconv.FormatInt(lines[i].frame, 10)))
	}
	return w
}
