package report

import "testing"

func TestTotalsLine(t *testing.T) {
	for _, c := range []struct {
		t    Totals
		want string
	}{
		{Totals{}, "0 sessions, 0 commands, 0 replies, 0 TLS records, 0 messages, 0 findings, 0 anomalies"},
		{Totals{1, 1, 1, 1, 1, 1, 1}, "1 session, 1 command, 1 reply, 1 TLS record, 1 message, 1 finding, 1 anomaly"},
		{Totals{2, 8, 9, 25, 3, 4, 5}, "2 sessions, 8 commands, 9 replies, 25 TLS records, 3 messages, 4 findings, 5 anomalies"},
	} {
		if got := c.t.Line(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.t, got, c.want)
		}
	}
}
