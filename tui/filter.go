package tui

import (
	flt "github.com/smtpscope/smtpscope/dissect/filter"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// filter selects sessions with the filter language of package
// dissect/filter (the same parser as report --filter).
type filter struct {
	f *flt.Filter
}

// parseFilter parses a filter such as "port:587 tls:none alice" or
// "reply >= 500 or tls.version < 1.2". Its errors are *flt.Error, which
// say where in s the problem is.
func parseFilter(s string) (filter, error) {
	f, err := flt.Parse(s)
	if err != nil {
		return filter{}, err
	}
	return filter{f: f}, nil
}

// empty reports whether the filter selects everything.
func (f filter) empty() bool { return f.f.Empty() }

// match reports whether s is selected. Call it inside Store.View.
func (f filter) match(s *session.Session) bool { return f.f.Match(s) }

// searchWords returns the words n/N look for in timeline lines: plain words
// and the values of positive cmd:, rcpt:, from:, subject: and sni: terms.
func (f filter) searchWords() []string { return f.f.Words() }
