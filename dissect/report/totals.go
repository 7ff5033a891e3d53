package report

import "strconv"

// Line is the text report's last line: every count with its noun in the
// right number ("1 session, 3 replies").
func (t Totals) Line() string {
	return count(t.Sessions, "session", "sessions") + ", " + count(t.Commands, "command", "commands") + ", " +
		count(t.Replies, "reply", "replies") + ", " + count(t.TLSRecords, "TLS record", "TLS records") + ", " +
		count(t.Messages, "message", "messages") + ", " + count(t.Findings, "finding", "findings") + ", " +
		count(t.Anomalies, "anomaly", "anomalies")
}

// count spells n with its noun.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
