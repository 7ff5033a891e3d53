package smtp

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// hello is a small handshake record (type 22, TLS 1.0 record version,
// length 12) shaped like a ClientHello: its bytes hold two LFs (as real
// ClientHellos do, e.g. cipher suite 0xc00a) and end in the middle of a
// line, as openssl s_client's did against Postfix.
const hello = "\x16\x03\x01\x00\x0c" + "\x01\x00\x00\x08\x03\x03\n\x00\xc0\n\x00\x2b"

// clearTranscripts: TLS records sent while the server did not agree to TLS
// (tlsclear.go).
func clearTranscripts() []transcript {
	return []transcript{
		{name: "tls in clear after 454", steps: []step{
			s("220 mx ESMTP\r\n"),
			c("EHLO c\r\n"),
			s("250-mx\r\n250 STARTTLS\r\n"),
			c("STARTTLS\r\n"),
			s("454 4.7.0 TLS not available due to local problem\r\n"),
			c(hello),
			s("500 5.5.2 Error: bad UTF-8 syntax\r\n500 5.5.2 Error: bad syntax\r\n"),
		}},
		{name: "tls in clear, tail line completed by QUIT", steps: []step{
			s("220 mx ESMTP\r\n"),
			c("EHLO c\r\n"),
			s("250 mx\r\n"),
			c("STARTTLS\r\n"),
			s("502 5.5.1 Error: command not implemented\r\n"),
			c(hello),
			s("500 5.5.2 Error: bad syntax\r\n500 5.5.2 Error: bad syntax\r\n"),
			c("QUIT\r\n"),
			s("500 5.5.2 Error: bad syntax\r\n"),
		}},
		{name: "tls in clear sent before the 454", steps: []step{
			s("220 mx ESMTP\r\n"),
			c("STARTTLS\r\n" + hello),
			s("454 4.7.0 TLS not available\r\n500 5.5.2 Error: bad syntax\r\n500 5.5.2 Error: bad syntax\r\n"),
		}},
		{name: "tls in clear before the greeting", steps: []step{
			c(hello + "\n"),
			s("220 mx ESMTP\r\n"),
			s("500 5.5.2 Error: bad syntax\r\n500 5.5.2 Error: bad syntax\r\n500 5.5.2 Error: bad syntax\r\n"),
		}},
		{name: "tls in clear, server answered fewer lines", steps: []step{
			s("220 mx ESMTP\r\n"),
			c(hello + "\n"),
			s("500 5.5.2 Error: bad syntax\r\n"),
			c("NOOP\r\n"),
			s("250 2.0.0 Ok\r\n"),
		}},
		{name: "0x16 that is not a record", steps: []step{
			s("220 mx ESMTP\r\n"),
			c("\x16\x03\x09xx\r\n"),
			s("500 5.5.2 Error: bad syntax\r\n"),
		}},
		{name: "lmtp: one reply per accepted recipient", steps: []step{
			s("220 lmtp ready\r\n"),
			c("LHLO c\r\n"),
			s("250-lmtp\r\n250 PIPELINING\r\n"),
			c("MAIL FROM:<a@x>\r\nRCPT TO:<alice@x>\r\nRCPT TO:<nobody@x>\r\nRCPT TO:<bob@x>\r\nDATA\r\n"),
			s("250 2.1.0 OK\r\n250 2.1.5 OK\r\n550 5.1.1 no\r\n250 2.1.5 OK\r\n354 OK\r\n"),
			c("Subject: x\r\n\r\nhi\r\n.\r\n"),
			s("250 2.0.0 <alice@x> Saved\r\n452 4.2.2 <bob@x> Mailbox full\r\n"),
			c("QUIT\r\n"),
			s("221 2.0.0 Bye\r\n"),
		}},
		{name: "354 answering nothing, no client byte: no message", steps: []step{
			// Plain SMTP on 465 read as TLS used to end like this: the
			// server's replies without the client's commands.
			s("220 mx ESMTP\r\n"),
			s("354 End data with <CR><LF>.<CR><LF>\r\n"),
		}},
		{name: "tls in clear cut by the end", steps: []step{
			s("220 mx ESMTP\r\n"),
			c(hello[:9]),
		}},
	}
}

// TestTLSInClear checks the properties the transcripts' events must have:
// a record in clear is never a command nor an SMTP line anomaly, and every
// 500 answering its lines is paired with it.
func TestTLSInClear(t *testing.T) {
	for _, tc := range clearTranscripts()[:4] {
		t.Run(tc.name, func(t *testing.T) {
			for _, split := range []splitter{whole, bytewise} {
				var recs, paired int
				conn := NewConn(Options{}, SinkFunc(func(e *Event) {
					switch e.Kind {
					case EvTLSInClear:
						recs++
						if e.TLSInClear.Lines != 2 && e.TLSInClear.Lines != 3 {
							t.Errorf("record has %d lines", e.TLSInClear.Lines)
						}
					case EvCommand:
						if !strings.Contains("EHLO STARTTLS", e.Command.Verb) {
							t.Errorf("command %q", e.Command.Verb)
						}
					case EvReply:
						if e.Reply.Code == 500 {
							if e.Reply.Record != 1 || e.Reply.CommandIndex != -1 {
								t.Errorf("500 paired with record %d command %d", e.Reply.Record, e.Reply.CommandIndex)
							}
							paired++
						}
					case EvAnomaly:
						if e.Anomaly.Code != AnoTLSTail {
							t.Errorf("anomaly %s: %s", e.Anomaly.Code, e.Anomaly.Summary)
						}
					}
				}))
				for i, st := range tc.steps {
					for _, p := range split([]byte(st.data)) {
						conn.Feed(st.dir, p, wire.Pos{Frame: int64(i + 1)})
					}
				}
				conn.Close(wire.Pos{Frame: 99})
				if recs != 1 || paired < 2 {
					t.Errorf("%d records, %d replies paired", recs, paired)
				}
			}
		})
	}
}
