// Package stats counts what a capture's sessions hold, for the UI's
// statistics view and `report --stats`: the reply-code histogram, commands
// by verb, TLS versions and cipher suites, the top clients, servers,
// senders and recipients, and sessions over time. It reads the model only.
//
// Every table is bounded: past MaxKeys distinct keys, new keys are counted
// together as Untracked (and the limit shows in the output), so a capture
// of a million distinct clients costs MaxKeys entries, not a million.
package stats

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// Bounds.
const (
	MaxKeys   = 10_000    // distinct keys kept per table
	MaxStarts = 1_000_000 // session start times kept for the time histogram
)

// Count is one bar: a key and how often it was seen.
type Count struct {
	Key string `json:"key"`
	N   int    `json:"n"`
}

// Table is one histogram: its bars (all of them, or the top ones), the
// total, what the bars leave out (Other: keys below the top; Untracked:
// keys past MaxKeys).
type Table struct {
	Title     string  `json:"title"`
	Unit      string  `json:"unit"` // what N counts: "replies", "sessions" …
	Total     int     `json:"total"`
	Bars      []Count `json:"bars"`
	Other     int     `json:"other,omitempty"`
	Untracked int     `json:"untracked,omitempty"`
}

// OverTime is the sessions-over-time histogram: Counts[i] sessions began in
// [Start+i*Bucket, Start+(i+1)*Bucket).
type OverTime struct {
	Start    time.Time     `json:"start"`
	Bucket   time.Duration `json:"bucket_ns"`
	BucketS  string        `json:"bucket"`
	Counts   []int         `json:"counts"`
	Untimed  int           `json:"untimed,omitempty"`  // sessions with no start time
	Untraced int           `json:"untraced,omitempty"` // past MaxStarts
}

// Stats is everything the statistics view shows.
type Stats struct {
	Sessions   int      `json:"sessions"`
	Commands   int      `json:"commands"`
	Replies    int      `json:"replies"`
	Messages   int      `json:"messages"`
	Findings   int      `json:"findings"`
	ReplyCodes Table    `json:"reply_codes"`
	Verbs      Table    `json:"commands_by_verb"`
	TLSModes   Table    `json:"tls_modes"`
	TLSVersion Table    `json:"tls_versions"`
	TLSSuites  Table    `json:"tls_suites"`
	Severities Table    `json:"findings_by_severity"`
	Clients    Table    `json:"top_clients"`
	Servers    Table    `json:"top_servers"`
	Senders    Table    `json:"top_senders"`
	Recipients Table    `json:"top_recipients"`
	OverTime   OverTime `json:"sessions_over_time"`
}

// Tables lists the histograms in the order they are shown.
func (s *Stats) Tables() []*Table {
	return []*Table{&s.ReplyCodes, &s.Verbs, &s.TLSModes, &s.TLSVersion, &s.TLSSuites, &s.Severities,
		&s.Clients, &s.Servers, &s.Senders, &s.Recipients}
}

// counter is one bounded table being filled.
type counter struct {
	n         map[string]int
	total     int
	untracked int
}

func (c *counter) add(key string) {
	c.total++
	if _, ok := c.n[key]; !ok && len(c.n) >= MaxKeys {
		c.untracked++
		return
	}
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[key]++
}

// Acc accumulates sessions. The zero value is ready to use.
type Acc struct {
	sessions, commands, replies, messages, findings int

	codes, verbs, modes, versions, suites, sev, clients, servers, senders, rcpts counter
	starts                                                                       []time.Time
	untimed, untraced                                                            int
}

// Add counts one session. It keeps nothing of s.
func (a *Acc) Add(s *session.Session) {
	a.sessions++
	a.commands += len(s.Commands)
	a.replies += len(s.Replies)
	a.messages += len(s.Messages)
	a.findings += len(s.Findings)
	for i := range s.Replies {
		a.codes.add(codeKey(s.Replies[i].Code))
	}
	for i := range s.Commands {
		a.verbs.add(s.Commands[i].Verb)
		switch s.Commands[i].Verb {
		case "MAIL":
			if p := path(s.Commands[i].Arg, "FROM:"); p != "" || strings.HasPrefix(strings.ToUpper(s.Commands[i].Arg), "FROM:<>") {
				if p == "" {
					p = "<>"
				}
				a.senders.add(p)
			}
		case "RCPT":
			if p := path(s.Commands[i].Arg, "TO:"); p != "" {
				a.rcpts.add(p)
			}
		}
	}
	mode := string(s.TLS.Mode)
	if mode == "" {
		mode = string(session.TLSNone)
	}
	a.modes.add(mode)
	if s.TLS.Version != "" {
		a.versions.add(s.TLS.Version)
	}
	if s.TLS.Cipher != "" {
		a.suites.add(s.TLS.Cipher)
	}
	for i := range s.Findings {
		a.sev.add(string(s.Findings[i].Severity))
	}
	a.clients.add(s.Client.IP)
	a.servers.add(s.Server.String())
	switch {
	case s.Start.IsZero():
		a.untimed++
	case len(a.starts) >= MaxStarts:
		a.untraced++
	default:
		a.starts = append(a.starts, s.Start)
	}
}

// codeKey is a reply code as its three digits ("000" for none).
func codeKey(c int) string {
	if c < 0 || c > 999 {
		return "???"
	}
	return string([]byte{byte('0' + c/100), byte('0' + c/10%10), byte('0' + c%10)})
}

// path returns the address of a MAIL FROM:<a> or RCPT TO:<a> argument
// (RFC 5321, Section 4.1.2), lower-cased; "" when there is none.
func path(arg, prefix string) string {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return ""
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if strings.HasPrefix(rest, "<") {
		if end := strings.IndexByte(rest, '>'); end > 0 {
			return strings.ToLower(rest[1:end])
		}
		return ""
	}
	if sp := strings.IndexByte(rest, ' '); sp >= 0 {
		rest = rest[:sp]
	}
	return strings.ToLower(rest)
}

// Options sets how the tables are cut.
type Options struct {
	Top     int // bars kept in the top-N tables (default 10)
	Buckets int // bars of the sessions-over-time histogram at most (default 24)
}

// Stats returns the tables: reply codes in code order; verbs, TLS and
// severities by count; clients, servers, senders and recipients the top
// ones by count (ties by key).
func (a *Acc) Stats(o Options) Stats {
	if o.Top <= 0 {
		o.Top = 10
	}
	if o.Buckets <= 0 {
		o.Buckets = 24
	}
	st := Stats{Sessions: a.sessions, Commands: a.commands, Replies: a.replies, Messages: a.messages, Findings: a.findings}
	st.ReplyCodes = table(&a.codes, "Reply codes", "replies", 0, byKey)
	st.Verbs = table(&a.verbs, "Commands by verb", "commands", 0, byCount)
	st.TLSModes = table(&a.modes, "TLS use", "sessions", 0, byCount)
	st.TLSVersion = table(&a.versions, "TLS versions", "sessions", 0, byCount)
	st.TLSSuites = table(&a.suites, "TLS cipher suites", "sessions", 0, byCount)
	st.Severities = table(&a.sev, "Findings by severity", "findings", 0, bySeverity)
	st.Clients = table(&a.clients, "Top clients", "sessions", o.Top, byCount)
	st.Servers = table(&a.servers, "Top servers", "sessions", o.Top, byCount)
	st.Senders = table(&a.senders, "Top senders (MAIL FROM)", "commands", o.Top, byCount)
	st.Recipients = table(&a.rcpts, "Top recipients (RCPT TO)", "commands", o.Top, byCount)
	st.OverTime = overTime(a.starts, o.Buckets)
	st.OverTime.Untimed, st.OverTime.Untraced = a.untimed, a.untraced
	return st
}

func byKey(a, b Count) int   { return cmp.Compare(a.Key, b.Key) }
func byCount(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) }
func bySeverity(a, b Count) int {
	return cmp.Or(cmp.Compare(session.Severity(b.Key).Rank(), session.Severity(a.Key).Rank()), cmp.Compare(a.Key, b.Key))
}

func table(c *counter, title, unit string, top int, order func(a, b Count) int) Table {
	t := Table{Title: title, Unit: unit, Total: c.total, Untracked: c.untracked, Bars: []Count{}}
	for k, n := range c.n {
		t.Bars = append(t.Bars, Count{k, n})
	}
	slices.SortFunc(t.Bars, order)
	if top > 0 && len(t.Bars) > top {
		for _, b := range t.Bars[top:] {
			t.Other += b.N
		}
		t.Bars = t.Bars[:top]
	}
	return t
}

// niceBuckets are the bucket widths the time histogram picks from.
var niceBuckets = []time.Duration{
	time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond, time.Second, 10 * time.Second, time.Minute,
	10 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour,
}

// overTime buckets the start times with the smallest nice width that needs
// at most max buckets.
func overTime(starts []time.Time, max int) OverTime {
	o := OverTime{Counts: []int{}}
	if len(starts) == 0 {
		return o
	}
	lo, hi := starts[0], starts[0]
	for _, t := range starts {
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	span := hi.Sub(lo)
	o.Bucket = niceBuckets[len(niceBuckets)-1]
	for _, b := range niceBuckets {
		if int64(span/b)+1 <= int64(max) {
			o.Bucket = b
			break
		}
	}
	n := int(span/o.Bucket) + 1
	if n > max {
		n = max // a span of more than max weeks: the last bucket takes the rest
	}
	o.Start = lo.Truncate(o.Bucket)
	if int(hi.Sub(o.Start)/o.Bucket) >= n && n < max {
		n++ // truncating the start moved the last session into one more bucket
	}
	o.Counts = make([]int, n)
	for _, t := range starts {
		i := min(int(t.Sub(o.Start)/o.Bucket), n-1)
		o.Counts[i]++
	}
	o.BucketS = o.Bucket.String()
	return o
}
