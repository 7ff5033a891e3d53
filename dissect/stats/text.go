package stats

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// eighths draws the fraction of a bar cell (1/8 … 7/8).
var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// Bar draws n of max as a bar at most w cells wide (at least one eighth
// for n > 0), padded with spaces to w.
func Bar(n, max, w int) string {
	if w < 1 {
		return ""
	}
	e := 0
	if max > 0 {
		e = int((int64(n)*int64(w)*8 + int64(max) - 1) / int64(max)) // rounded up: a bar is never empty
	}
	full, part := e/8, e%8
	s := strings.Repeat("█", full) + eighths[part]
	used := full
	if part > 0 {
		used++
	}
	return s + strings.Repeat(" ", max0(w-used))
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// maxLabel bounds the label column, maxBar the bars.
const (
	maxLabel = 40
	maxBar   = 40
)

// Lines renders one table as lines w cells wide: a heading, then one bar
// per key ("  250  ████▌   12"), then what the bars leave out.
func (t *Table) Lines(w int) []string {
	head := fmt.Sprintf("%s — %s", t.Title, plural(t.Total, t.Unit))
	if len(t.Bars) == 0 {
		return []string{head, "  (none)"}
	}
	labels := make([]string, len(t.Bars))
	lw, top, nw := 1, 0, 1
	for i, b := range t.Bars {
		labels[i] = truncate(sanitize.String(b.Key), maxLabel)
		lw = max(lw, uniseg.StringWidth(labels[i]))
		top = max(top, b.N)
		nw = max(nw, len(strconv.Itoa(b.N)))
	}
	bw := min(maxBar, max(4, w-2-lw-2-1-nw))
	out := []string{head}
	for i, b := range t.Bars {
		out = append(out, "  "+pad(labels[i], lw)+"  "+Bar(b.N, top, bw)+" "+leftPad(strconv.Itoa(b.N), nw))
	}
	if t.Other > 0 {
		out = append(out, "  … and "+plural(t.Other, t.Unit)+" more")
	}
	if t.Untracked > 0 {
		out = append(out, fmt.Sprintf("  (%s past the %d keys counted)", plural(t.Untracked, t.Unit), MaxKeys))
	}
	return out
}

// Lines renders the sessions-over-time histogram, times in UTC.
func (o *OverTime) Lines(w int) []string {
	total := 0
	for _, n := range o.Counts {
		total += n
	}
	if len(o.Counts) == 0 {
		return []string{"Sessions over time — 0 sessions"}
	}
	head := fmt.Sprintf("Sessions over time — %s, %s each, UTC", plural(total, "sessions"), shortBucket(o.Bucket))
	layout := timeLayout(o.Bucket)
	top, nw := 0, 1
	for _, n := range o.Counts {
		top = max(top, n)
		nw = max(nw, len(strconv.Itoa(n)))
	}
	lw := len(layout)
	bw := min(maxBar, max(4, w-2-lw-2-1-nw))
	out := []string{head}
	for i, n := range o.Counts {
		at := o.Start.Add(time.Duration(i) * o.Bucket).UTC().Format(layout)
		out = append(out, "  "+at+"  "+Bar(n, top, bw)+" "+leftPad(strconv.Itoa(n), nw))
	}
	if o.Untimed > 0 {
		out = append(out, "  ("+plural(o.Untimed, "sessions")+" with no start time)")
	}
	if o.Untraced > 0 {
		out = append(out, fmt.Sprintf("  (%s past the %d counted)", plural(o.Untraced, "sessions"), MaxStarts))
	}
	return out
}

func timeLayout(b time.Duration) string {
	switch {
	case b >= 24*time.Hour:
		return "2006-01-02"
	case b >= time.Minute:
		return "2006-01-02 15:04"
	case b >= time.Second:
		return "15:04:05"
	}
	return "15:04:05.000"
}

func shortBucket(b time.Duration) string {
	switch {
	case b >= 7*24*time.Hour:
		return strconv.Itoa(int(b/(7*24*time.Hour))) + " week"
	case b >= 24*time.Hour:
		return strconv.Itoa(int(b/(24*time.Hour))) + " day"
	case b >= time.Hour:
		return strconv.Itoa(int(b/time.Hour)) + " h"
	case b >= time.Minute:
		return strconv.Itoa(int(b/time.Minute)) + " min"
	case b >= time.Second:
		return strconv.Itoa(int(b/time.Second)) + " s"
	}
	return strconv.Itoa(int(b/time.Millisecond)) + " ms"
}

// Lines renders every table, blank lines between them, w cells wide.
func (s *Stats) Lines(w int) []string {
	out := []string{fmt.Sprintf("%s, %s, %s, %s, %s", plural(s.Sessions, "sessions"), plural(s.Commands, "commands"),
		plural(s.Replies, "replies"), plural(s.Messages, "messages"), plural(s.Findings, "findings")), ""}
	for _, t := range s.Tables() {
		out = append(out, t.Lines(w)...)
		out = append(out, "")
	}
	return append(out, s.OverTime.Lines(w)...)
}

// WriteText writes the statistics as text w cells wide.
func (s *Stats) WriteText(wr io.Writer, w int) error {
	for _, l := range s.Lines(w) {
		if _, err := io.WriteString(wr, strings.TrimRight(l, " ")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// plural is "1 reply" or "3 replies" for a plural unit.
func plural(n int, unit string) string {
	if n == 1 {
		switch {
		case strings.HasSuffix(unit, "ies"):
			unit = strings.TrimSuffix(unit, "ies") + "y"
		case strings.HasSuffix(unit, "s"):
			unit = strings.TrimSuffix(unit, "s")
		}
	}
	return strconv.Itoa(n) + " " + unit
}

func pad(s string, w int) string { return s + strings.Repeat(" ", max0(w-uniseg.StringWidth(s))) }

func leftPad(s string, w int) string { return strings.Repeat(" ", max0(w-len(s))) + s }

// truncate cuts s to w cells with an ellipsis.
func truncate(s string, w int) string {
	if uniseg.StringWidth(s) <= w {
		return s
	}
	var b strings.Builder
	used := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if used+cw > w-1 {
			break
		}
		b.WriteString(g.Str())
		used += cw
	}
	return b.String() + "…"
}
