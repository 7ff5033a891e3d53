package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// filterKey is the field a filter term tests.
type filterKey uint8

const (
	keyText    filterKey = iota // plain word: addresses, commands, subjects, envelope
	keyAddr                     // addr: client or server address
	keyPort                     // port: either port
	keyRole                     // role: port role
	keyTLS                      // tls: none|starttls|implicit|failed
	keyFinding                  // finding: code substring or severity
	keyCmd                      // cmd: command verb
	keyRcpt                     // rcpt: RCPT TO or message recipient
	keyFrom                     // from: MAIL FROM or From header
	keySubject                  // subject: message subject
	keySNI                      // sni: TLS server name
	keyStream                   // stream: TCP stream number
)

// maxFilterTerms bounds the work one filter can ask for.
const maxFilterTerms = 32

// term is one AND-ed condition.
type term struct {
	key filterKey
	neg bool
	val string // lower-cased
	num int64
}

// filter selects sessions: every term must match (AND).
type filter struct {
	terms []term
}

// parseFilter parses a filter such as "port:587 tls:none alice". Terms are
// separated by spaces and AND-ed; a leading '!' negates a term.
func parseFilter(s string) (filter, error) {
	var f filter
	for _, w := range strings.Fields(s) {
		if len(f.terms) == maxFilterTerms {
			return filter{}, fmt.Errorf("tui: filter: more than %d terms", maxFilterTerms)
		}
		t, err := parseTerm(w)
		if err != nil {
			return filter{}, err
		}
		f.terms = append(f.terms, t)
	}
	return f, nil
}

// parseTerm parses one "key:value", "!key:value" or plain word.
func parseTerm(w string) (term, error) {
	var t term
	if strings.HasPrefix(w, "!") {
		t.neg = true
		w = w[1:]
	}
	name, val, ok := strings.Cut(w, ":")
	if !ok || strings.ContainsAny(name, "[]@.") {
		// A plain word (addresses like "[::1]:25" or "a@b:c" are words).
		if w == "" {
			return term{}, fmt.Errorf("tui: filter: empty term %q", "!")
		}
		t.key, t.val = keyText, strings.ToLower(w)
		return t, nil
	}
	key, known := filterKeyOf(strings.ToLower(name))
	if !known {
		return term{}, fmt.Errorf("tui: filter: unknown key %q (try addr port role tls finding cmd rcpt from subject sni stream)", name)
	}
	if val == "" {
		return term{}, fmt.Errorf("tui: filter: %q needs a value", name+":")
	}
	t.key, t.val = key, strings.ToLower(val)
	switch key {
	case keyPort:
		n, err := strconv.ParseUint(val, 10, 16)
		if err != nil {
			return term{}, fmt.Errorf("tui: filter: port %q is not a port number (0-65535)", val)
		}
		t.num = int64(n)
	case keyStream:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n < 0 {
			return term{}, fmt.Errorf("tui: filter: stream %q is not a number", val)
		}
		t.num = n
	case keyRole:
		switch session.PortRole(t.val) {
		case session.RoleRelay, session.RoleSubmission, session.RoleSubmissions, session.RoleOther:
		default:
			return term{}, fmt.Errorf("tui: filter: role %q (want relay, submission, submissions or other)", val)
		}
	case keyTLS:
		switch t.val {
		case "none", "plain", "starttls", "implicit", "failed":
		default:
			return term{}, fmt.Errorf("tui: filter: tls %q (want none, starttls, implicit or failed)", val)
		}
	}
	return t, nil
}

// filterKeyOf maps a key name to its key.
func filterKeyOf(name string) (filterKey, bool) {
	switch name {
	case "addr", "ip", "host":
		return keyAddr, true
	case "port":
		return keyPort, true
	case "role":
		return keyRole, true
	case "tls":
		return keyTLS, true
	case "finding", "f":
		return keyFinding, true
	case "cmd", "command", "verb":
		return keyCmd, true
	case "rcpt", "to":
		return keyRcpt, true
	case "from", "mail":
		return keyFrom, true
	case "subject", "subj":
		return keySubject, true
	case "sni":
		return keySNI, true
	case "stream":
		return keyStream, true
	}
	return 0, false
}

// empty reports whether the filter selects everything.
func (f filter) empty() bool { return len(f.terms) == 0 }

// match reports whether s satisfies every term. Call it inside Store.View.
func (f filter) match(s *session.Session) bool {
	for i := range f.terms {
		if f.terms[i].match(s) == f.terms[i].neg {
			return false
		}
	}
	return true
}

// match tests one term, ignoring negation.
func (t *term) match(s *session.Session) bool {
	switch t.key {
	case keyAddr:
		return containsFold(s.Client.String(), t.val) || containsFold(s.Server.String(), t.val)
	case keyPort:
		return int64(s.Client.Port) == t.num || int64(s.Server.Port) == t.num
	case keyRole:
		role := s.PortRole
		if role == "" {
			role = session.RoleOfPort(s.Server.Port)
		}
		return string(role) == t.val
	case keyTLS:
		st := stateOf(s)
		switch t.val {
		case "none", "plain":
			return st == tlsPlain
		case "starttls":
			return st == tlsStartTLS
		case "implicit":
			return st == tlsImplicit
		}
		return st == tlsFailed
	case keyFinding:
		for _, fd := range s.Findings {
			if containsFold(fd.Code, t.val) || string(fd.Severity) == t.val {
				return true
			}
		}
		return false
	case keyCmd:
		for i := range s.Commands {
			if strings.EqualFold(s.Commands[i].Verb, t.val) {
				return true
			}
		}
		return false
	case keyRcpt:
		return anyCommandArg(s, "RCPT", t.val) || anyRcpt(s, t.val)
	case keyFrom:
		if anyCommandArg(s, "MAIL", t.val) {
			return true
		}
		for i := range s.Messages {
			if containsFold(s.Messages[i].From, t.val) || containsFold(s.Messages[i].MailFrom, t.val) {
				return true
			}
		}
		return false
	case keySubject:
		for i := range s.Messages {
			if containsFold(s.Messages[i].Subject, t.val) {
				return true
			}
		}
		return false
	case keySNI:
		return containsFold(s.TLS.SNI, t.val)
	case keyStream:
		return s.Stream == t.num
	}
	return textMatch(s, t.val)
}

func anyCommandArg(s *session.Session, verb, val string) bool {
	for i := range s.Commands {
		if s.Commands[i].Verb == verb && containsFold(s.Commands[i].Arg, val) {
			return true
		}
	}
	return false
}

func anyRcpt(s *session.Session, val string) bool {
	for i := range s.Messages {
		for _, r := range s.Messages[i].RcptTo {
			if containsFold(r, val) {
				return true
			}
		}
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
	return anyRcpt(s, val)
}

// searchWords returns the words n/N look for in timeline lines: plain words
// and the values of cmd:, rcpt:, from: and subject: terms.
func (f filter) searchWords() []string {
	var out []string
	for _, t := range f.terms {
		switch t.key {
		case keyText, keyCmd, keyRcpt, keyFrom, keySubject, keySNI:
			if !t.neg {
				out = append(out, t.val)
			}
		}
	}
	return out
}
