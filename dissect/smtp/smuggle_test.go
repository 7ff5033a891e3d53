package smtp

import (
	"strings"
	"testing"
)

// smuggleBody hides a second transaction after "\n.\r\n" (CVE-2023-51764).
const smuggleBody = "Subject: one\r\n\r\nfirst\n.\r\nMAIL FROM:<x@evil>\r\nRCPT TO:<v@victim>\r\nDATA\r\nSubject: two\r\n\r\nsecond\r\n.\r\n"

func smuggleOpen() []step {
	return []step{
		s("220 mx ESMTP\r\n"), c("EHLO c\r\n"), s("250 mx\r\n"),
		c("MAIL FROM:<a@b>\r\n"), s("250 2.1.0 Ok\r\n"), c("RCPT TO:<r@d>\r\n"), s("250 2.1.5 Ok\r\n"),
		c("DATA\r\n"), s("354 go\r\n"),
	}
}

// TestSmugglingByOutcome: the server's replies after the 354 tell where it
// ended the message (RFC 5321, Section 4.1.1.4).
func TestSmugglingByOutcome(t *testing.T) {
	cases := []struct {
		name  string
		steps []step
		want  []string // substrings, in order, of the rendered events
		not   []string
	}{{
		// Postfix with smtpd_forbid_bare_newline = no: five replies in one
		// segment; the client's QUIT comes after.
		name: "ran: the replies outnumber the client's commands",
		steps: append(smuggleOpen(), c(smuggleBody),
			s("250 2.0.0 Ok: queued as A\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n250 2.0.0 Ok: queued as B\r\n"),
			c("QUIT\r\n"), s("221 2.0.0 Bye\r\n")),
		want: []string{
			"reply 250 #3 2.0.0 Ok: queued as A",
			"message #3 DATA first=10 size=22", "outcome=ran",
			`MAIL "FROM:<x@evil>" smuggled`, `RCPT "TO:<v@victim>" pipelined smuggled`, `DATA "" pipelined smuggled`,
			"reply 250 #4 2.1.0 Ok", "reply 250 #5 2.1.5 Ok", "reply 354 #6", "reply 250 #6 2.0.0 Ok: queued as B",
			`message #6 DATA`, `mailfrom="x@evil"`, "smuggled",
			`cmd#7 QUIT`, "reply 221 #7",
		},
		not: []string{"answers no command", "incomplete"},
	}, {
		name: "ran, QUIT pipelined: a 250 does not answer QUIT",
		steps: append(smuggleOpen(), c(smuggleBody+"QUIT\r\n"),
			s("250 2.0.0 Ok: queued as A\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n250 2.0.0 Ok: queued as B\r\n221 Bye\r\n")),
		want: []string{"outcome=ran", `MAIL "FROM:<x@evil>"`, "reply 221 #7"},
		not:  []string{"answers no command", "incomplete"},
	}, {
		name: "kept: one reply, then the client's QUIT gets 221",
		steps: append(smuggleOpen(), c(smuggleBody), s("250 2.0.0 Ok: queued as A\r\n"),
			c("QUIT\r\n"), s("221 Bye\r\n")),
		want: []string{"message #3 DATA first=10 size=", "outcome=kept", "cmd#4 QUIT", "reply 221 #4"},
		not:  []string{"smuggled", "answers no command"},
	}, {
		name:  "kept: QUIT pipelined after the dot",
		steps: append(smuggleOpen(), c(smuggleBody+"QUIT\r\n"), s("250 2.0.0 Ok: queued as A\r\n221 Bye\r\n")),
		want:  []string{"outcome=kept", "cmd#4 QUIT", "reply 221 #4"},
		not:   []string{"smuggled"},
	}, {
		name:  "refused",
		steps: append(smuggleOpen(), c(smuggleBody), s("550 5.5.2 bare <LF> received\r\n"), c("QUIT\r\n"), s("221 Bye\r\n")),
		want:  []string{"reply=550", "outcome=refused", "cmd#4 QUIT"},
		not:   []string{"smuggled"},
	}, {
		name:  "unclear: no reply",
		steps: append(smuggleOpen(), c(smuggleBody)),
		want:  []string{"outcome=unclear"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for name, split := range map[string]splitter{"whole": whole, "bytewise": bytewise, "random": randomSplits(7)} {
				got := run(t, Options{}, tc.steps, split)
				all := strings.Join(got, "\n")
				at := 0
				for _, w := range tc.want {
					i := strings.Index(all[at:], w)
					if i < 0 {
						t.Fatalf("%s: events lack %q (in order) after offset %d:\n%s", name, w, at, all)
					}
					at += i + len(w)
				}
				for _, n := range tc.not {
					if strings.Contains(all, n) {
						t.Fatalf("%s: events contain %q:\n%s", name, n, all)
					}
				}
			}
		})
	}
}
