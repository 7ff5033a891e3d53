package filter

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// Match reports whether s is selected. A nil or empty filter selects every
// session. For a live store, call it inside Store.View.
func (f *Filter) Match(s *session.Session) bool {
	if f == nil || f.root == nil {
		return true
	}
	return f.root.eval(s)
}

// eval recurses at most MaxDepth deep: Parse bounds the nesting.
func (n *node) eval(s *session.Session) bool {
	switch n.op {
	case opAnd:
		for _, k := range n.kids {
			if !k.eval(s) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if k.eval(s) {
				return true
			}
		}
		return false
	case opNot:
		return !n.kids[0].eval(s)
	case opText:
		return textMatch(s, n.str)
	}
	return n.compare(s)
}

// compare tests a field: true when any of its values satisfies the
// comparison; != is "no value equals".
func (n *node) compare(s *session.Session) bool {
	if n.f.kind == kindFrames {
		return n.frames(s)
	}
	if n.cmp == cmpNe {
		eq := *n
		eq.cmp = cmpEq
		return !eq.compare(s)
	}
	if n.f.kind == kindString {
		for v := range n.f.str(s) {
			switch n.cmp {
			case cmpEq:
				if strings.EqualFold(v, n.str) {
					return true
				}
			case cmpContains:
				if containsFold(v, n.str) {
					return true
				}
			case cmpMatches:
				if n.re.MatchString(v) {
					return true
				}
			}
		}
		return false
	}
	for v := range n.f.num(s) {
		if n.num(v) {
			return true
		}
	}
	return false
}

func (n *node) num(v int64) bool {
	switch n.cmp {
	case cmpEq:
		return v == n.lo
	case cmpLt:
		return v < n.lo
	case cmpLe:
		return v <= n.lo
	case cmpGt:
		return v > n.lo
	case cmpGe:
		return v >= n.lo
	case cmpIn:
		return v >= n.lo && v <= n.hi
	case cmpTrue:
		return v > 0
	}
	return false
}

// frames tests the session's frames first_frame..last_frame: frame == N
// holds when N is one of them, frame in A..B when one of them is.
func (n *node) frames(s *session.Session) bool {
	lo, hi := s.FirstFrame, s.LastFrame
	if hi < lo {
		hi = lo
	}
	switch n.cmp {
	case cmpEq:
		return n.lo >= lo && n.lo <= hi
	case cmpNe:
		return !(n.lo >= lo && n.lo <= hi)
	case cmpLt:
		return lo < n.lo
	case cmpLe:
		return lo <= n.lo
	case cmpGt:
		return hi > n.lo
	case cmpGe:
		return hi >= n.lo
	case cmpIn:
		return lo <= n.hi && hi >= n.lo
	case cmpTrue:
		return true
	}
	return false
}

// textMatch matches a plain word against addresses, commands, subjects and
// the envelope.
func textMatch(s *session.Session, val string) bool {
	if containsFold(s.Client.String(), val) || containsFold(s.Server.String(), val) || containsFold(s.TLS.SNI, val) {
		return true
	}
	for i := range s.Commands {
		c := &s.Commands[i]
		if containsFold(c.Verb, val) || containsFold(c.Arg, val) {
			return true
		}
	}
	for i := range s.Messages {
		m := &s.Messages[i]
		if containsFold(m.Subject, val) || containsFold(m.From, val) || containsFold(m.To, val) || containsFold(m.MailFrom, val) {
			return true
		}
	}
	for r := range rcpts(s) {
		if containsFold(r, val) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains needle (lower-cased), ASCII
// letters compared without regard to case; it does not allocate.
func containsFold(s, needle string) bool {
	n := len(needle)
	if n == 0 {
		return true
	}
	for i := 0; i+n <= len(s); i++ {
		j := 0
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
