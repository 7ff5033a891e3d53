package smtp

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// benchSession is a realistic submission: greeting, EHLO, envelope, a
// 100 KB base64 body, QUIT.
func benchSession() []step {
	var body strings.Builder
	body.WriteString("From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: report\r\n" +
		"Date: Tue, 2 Jan 2024 03:04:05 +0000\r\nMessage-ID: <1@example.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	line := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 3)[:76] + "\r\n"
	for body.Len() < 100*1024 {
		body.WriteString(line)
	}
	body.WriteString(".\r\n")
	return []step{
		s("220 mx.example.org ESMTP\r\n"),
		c("EHLO client.example.com\r\n"),
		s("250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"),
		c("MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n"),
		s("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n"),
		c(body.String()),
		s("250 2.0.0 Ok: queued\r\n"),
		c("QUIT\r\n"),
		s("221 2.0.0 Bye\r\n"),
	}
}

func BenchmarkConn(b *testing.B) {
	steps := benchSession()
	const mss = 1448
	var total int64
	for _, st := range steps {
		total += int64(len(st.data))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	sink := SinkFunc(func(*Event) {})
	raw := make([][]byte, len(steps))
	for i, st := range steps {
		raw[i] = []byte(st.data)
	}
	for b.Loop() {
		conn := NewConn(Options{}, sink)
		for i, st := range steps {
			data := raw[i]
			pos := wire.Pos{Frame: int64(i)}
			for len(data) > 0 {
				n := min(len(data), mss)
				conn.Feed(st.dir, data[:n], pos)
				data = data[n:]
			}
		}
		conn.Close(wire.Pos{})
	}
}

func BenchmarkBody(b *testing.B) {
	var body []byte
	for _, st := range benchSession() {
		if len(st.data) > 1000 {
			body = []byte(st.data)
		}
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var sc bodyScanner
	for b.Loop() {
		sc.reset(DefaultMaxBodyKeep)
		for data := body; len(data) > 0; {
			n, _ := sc.feed(data[:min(len(data), 1448)])
			data = data[n:]
		}
	}
}
