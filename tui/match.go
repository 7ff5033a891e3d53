package tui

import "github.com/smtpscope/smtpscope/dissect/session"

// Matcher returns the predicate of a session filter written in the UI's
// filter language (port:587 tls:none cmd:AUTH rcpt:alice@ …), for commands
// that select sessions the way `/` does (smtpscope diagram --filter).
func Matcher(expr string) (func(*session.Session) bool, error) {
	f, err := parseFilter(expr)
	if err != nil {
		return nil, err
	}
	return f.match, nil
}
