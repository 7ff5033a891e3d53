package smtp_test

import (
	"fmt"

	"github.com/smtpscope/smtpscope/dissect/smtp"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

func ExampleConn() {
	conn := smtp.NewConn(smtp.Options{}, smtp.SinkFunc(func(e *smtp.Event) {
		switch e.Kind {
		case smtp.EvCommand:
			fmt.Printf("frame %d: C %q %q\n", e.Pos.Frame, e.Command.Verb, e.Command.Arg)
		case smtp.EvReply:
			fmt.Printf("frame %d: S %d answers command %d\n", e.Pos.Frame, e.Reply.Code, e.Reply.CommandIndex)
		case smtp.EvMessage:
			fmt.Printf("message %q, %d bytes, reply %d\n", e.Message.Subject, e.Message.Size, e.Message.Reply)
		}
	}))
	feed := func(frame int64, d wire.Dir, s string) { conn.Feed(d, []byte(s), wire.Pos{Frame: frame}) }
	feed(1, wire.ServerToClient, "220 mx.example.org ESMTP\r\n")
	feed(2, wire.ClientToServer, "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n")
	feed(3, wire.ServerToClient, "250 ok\r\n250 ok\r\n354 go ahead\r\n")
	feed(4, wire.ClientToServer, "Subject: hi\r\n\r\nHello.\r\n.\r\nQUIT\r\n")
	feed(5, wire.ServerToClient, "250 queued\r\n221 bye\r\n")
	conn.Close(wire.Pos{Frame: 6})
	// Output:
	// frame 1: S 220 answers command -1
	// frame 2: C "MAIL" "FROM:<a@example.com>"
	// frame 2: C "RCPT" "TO:<b@example.org>"
	// frame 2: C "DATA" ""
	// frame 3: S 250 answers command 0
	// frame 3: S 250 answers command 1
	// frame 3: S 354 answers command 2
	// frame 4: C "QUIT" ""
	// frame 5: S 250 answers command 2
	// message "hi", 23 bytes, reply 250
	// frame 5: S 221 answers command 3
}
