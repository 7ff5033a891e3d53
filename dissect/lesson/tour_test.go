package lesson

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/pcaps"
)

// TestSelfCheckFromTheCapture: the answers name this capture's sessions,
// frames and counts, with and without the key log; the questions page
// gives nothing away.
func TestSelfCheckFromTheCapture(t *testing.T) {
	for _, keys := range []bool{true, false} {
		ss := sample(t, pcaps.Demo(), keys, false)
		q, a := SelfCheck(ss)
		qt, at := pageText(q), pageText(a)
		if strings.Contains(qt, "bob@") || strings.Count(qt, "?") < 4 {
			t.Errorf("keys=%v: questions:\n%s", keys, qt)
		}
		want := []string{"#1 192.0.2.66 → 198.51.100.25:25 relay: AUTH LOGIN as bob@example.com in clear (reply 235 in frame 59)",
			"#1 192.0.2.66 → 198.51.100.25:25 relay: none: everything was sent in clear.",
			"#1 192.0.2.66 → 198.51.100.25:25 relay: starttls.offered_not_used (crit), frames 26, 35, 64, 79"}
		if keys {
			want = append(want, "#0 192.0.2.20 → 198.51.100.25:587 submission: upgraded with STARTTLS to TLS 1.3, protected from frame 16.",
				"3 messages seen, 1 of them in clear.")
		} else {
			want = append(want, "not readable without the keys", "1 message seen, 1 of them in clear; messages sent inside TLS are not counted without the keys.")
		}
		for _, w := range want {
			if !strings.Contains(at, w) {
				t.Errorf("keys=%v: answers lack %q:\n%s", keys, w, at)
			}
		}
		intro := pageText(TourPage(ss))
		if keyed := strings.Contains(intro, "Read with the TLS key log"); keyed != keys {
			t.Errorf("keys=%v: tour page:\n%s", keys, intro)
		}
	}
	q, a := SelfCheck(sample(t, "starttls587-tls13.pcap", true, false))
	if at := pageText(a); !strings.Contains(at, "None: every AUTH of the capture went inside TLS.") ||
		!strings.Contains(at, "Nowhere: every offer of STARTTLS was taken") {
		t.Errorf("clean capture's answers:\n%s%s", pageText(q), at)
	}
}
