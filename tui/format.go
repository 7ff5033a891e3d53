package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/rivo/uniseg"
)

// clockTime formats a capture time for the timeline margin.
func clockTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("15:04:05.000")
}

// delta formats the time since the previous event ("+12.3ms").
func delta(d time.Duration) string {
	if d < 0 {
		return "-" + delta(-d)[1:]
	}
	return "+" + shortDuration(d)
}

// shortDuration formats d with three significant digits at most.
func shortDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Microsecond), 'f', 0, 64) + "µs"
	case d < time.Second:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m" + strconv.Itoa(int(d%time.Minute/time.Second)) + "s"
	}
	return strconv.Itoa(int(d/time.Hour)) + "h" + strconv.Itoa(int(d%time.Hour/time.Minute)) + "m"
}

// fitDuration formats d in at most 6 cells with three significant digits
// ("850µs", "9.87ms", "270ms", "2.69s", "26.9s", "4m05s", "3h05m", "2d03h"),
// for table columns: a cut duration must never read as another unit.
func fitDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	f := func(v float64, unit string) string {
		switch {
		case v < 9.995:
			return strconv.FormatFloat(v, 'f', 2, 64) + unit
		case v < 99.95:
			return strconv.FormatFloat(v, 'f', 1, 64) + unit
		}
		return strconv.FormatFloat(v, 'f', 0, 64) + unit
	}
	two := func(n int64) string {
		if n < 10 {
			return "0" + strconv.FormatInt(n, 10)
		}
		return strconv.FormatInt(n, 10)
	}
	switch {
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < 999500*time.Nanosecond:
		return f(float64(d)/1e3, "µs")
	case d < 999500*time.Microsecond:
		return f(float64(d)/1e6, "ms")
	case d < 59950*time.Millisecond:
		return f(d.Seconds(), "s")
	case d < time.Hour:
		d = d.Round(time.Second)
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m" + two(int64(d%time.Minute/time.Second)) + "s"
	case d < 24*time.Hour:
		d = d.Round(time.Minute)
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h" + two(int64(d%time.Hour/time.Minute)) + "m"
	}
	d = d.Round(time.Hour)
	return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d" + two(int64(d%(24*time.Hour)/time.Hour)) + "h"
}

// byteCount formats a byte count with a binary unit.
func byteCount(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + "KMGTP"[exp:exp+1] + "iB"
}

// thousands formats n with thin separators ("1,234,567").
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// width returns the number of terminal cells s takes.
func width(s string) int { return uniseg.StringWidth(s) }

// truncate cuts s to at most w cells, ending with "…" when cut.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	var b strings.Builder
	used := 0
	state := -1
	rest := s
	for len(rest) > 0 {
		var cluster string
		var cw int
		cluster, rest, cw, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if used+cw > w-1 {
			break
		}
		b.WriteString(cluster)
		used += cw
	}
	b.WriteString("…")
	return b.String()
}

// containsFold reports whether s contains the lower-case ASCII needle,
// ignoring ASCII case, without allocating.
func containsFold(s, needle string) bool {
	n := len(needle)
	if n == 0 {
		return true
	}
	for i := 0; i+n <= len(s); i++ {
		if lowerByte(s[i]) != needle[0] {
			continue
		}
		j := 1
		for j < n && lowerByte(s[i+j]) == needle[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
