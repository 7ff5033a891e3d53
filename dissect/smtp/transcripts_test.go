package smtp

import "encoding/base64"

// b64 is base64 of s, for AUTH transcripts.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// transcript is a named conversation with the exact events it must produce.
type transcript struct {
	name  string
	opts  Options
	steps []step
}

// transcripts returns the table shared by the transcript, split-invariance
// and fuzz tests.
func transcripts() []transcript {
	return append(append(baseTranscripts(), moreTranscripts()...), clearTranscripts()...)
}

// baseTranscripts covers every scenario listed in the package's brief.
func baseTranscripts() []transcript {
	return []transcript{
		{name: "plain session", steps: []step{
			s("220 mx.example.org ESMTP ready\r\n"),
			c("HELO client.example.com\r\n"),
			s("250 mx.example.org\r\n"),
			c("MAIL FROM:<alice@example.com>\r\n"),
			s("250 2.1.0 Ok\r\n"),
			c("RCPT TO:<bob@example.org>\r\n"),
			s("250 2.1.5 Ok\r\n"),
			c("DATA\r\n"),
			s("354 End data with <CR><LF>.<CR><LF>\r\n"),
			c("From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n" +
				"Date: Tue, 2 Jan 2024 03:04:05 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello Bob.\r\n"),
			c(".\r\n"),
			s("250 2.0.0 Ok: queued as 12345\r\n"),
			c("QUIT\r\n"),
			s("221 2.0.0 Bye\r\n"),
		}},
		{name: "ehlo capabilities", steps: []step{
			s("220 mx ESMTP\r\n"),
			c("ehlo client\r\n"),
			s("250-mx.example.org Hello\r\n250-SIZE 10240000\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-CHUNKING\r\n" +
				"250-SMTPUTF8\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN login\r\n250-AUTH=LOGIN PLAIN\r\n" +
				"250-STARTTLS\r\n250-BINARYMIME\r\n250-XXXXXXXA\r\n250 X-Custom a b\r\n"),
		}},
		{name: "pipelining", steps: []step{
			s("220 mx ESMTP\r\n"),
			c("EHLO c\r\n"),
			s("250-mx\r\n250 PIPELINING\r\n"),
			c("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nRCPT TO:<c@z>\r\nDATA\r\n"),
			s("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n354 Go ahead\r\n"),
			c("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n"),
			s("250 2.0.0 queued\r\n221 2.0.0 Bye\r\n"),
		}},
		{name: "rejected data then commands", steps: []step{
			s("220 mx ESMTP\r\n"),
			c("EHLO c\r\n"),
			s("250 mx\r\n"),
			c("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n"),
			c("RSET\r\n"),
			s("250 Ok\r\n550 No\r\n554 5.5.1 No valid recipients\r\n250 Ok\r\n"),
			c("QUIT\r\n"),
			s("221 Bye\r\n"),
		}},
		{name: "dot-stuffing and quit after final dot", steps: []step{
			s("220 mx\r\n"),
			c("MAIL FROM:<a@x>\r\n"),
			s("250 ok\r\n"),
			c("RCPT TO:<b@y>\r\n"),
			s("250 ok\r\n"),
			c("DATA\r\n"),
			s("354 go\r\n"),
			c("Subject: dots\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n"),
			s("250 ok\r\n221 bye\r\n"),
		}},
		{name: "bdat", steps: []step{
			s("220 mx\r\n"),
			c("EHLO c\r\n"),
			s("250-mx\r\n250-CHUNKING\r\n250 PIPELINING\r\n"),
			c("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nBDAT 22\r\nSubject: chunk\r\n\r\nab\r\nBDAT 6 LAST\r\nQUIT\r"),
			c("\n"),
			s("250 ok\r\n250 ok\r\n250 2.0.0 22 octets\r\n250 2.0.0 queued\r\n"),
			c("QUIT\r\n"),
			s("221 bye\r\n"),
		}},
		{name: "bdat malformed", steps: []step{
			s("220 mx\r\n"),
			c("MAIL FROM:<a@x>\r\n"),
			s("250 ok\r\n"),
			c("BDAT 1234 SCRAMBLE\r\n"),
			s("521 5.5.4 Syntax: BDAT count [LAST]\r\n"),
			c("BDAT -1\r\nBDAT\r\nQUIT\r\n"),
			s("501 bad\r\n501 bad\r\n221 bye\r\n"),
		}},
		{name: "auth plain initial response", steps: []step{
			s("220 mx\r\n"),
			c("AUTH PLAIN " + b64("\x00alice\x00s3cret") + "\r\n"),
			s("235 2.7.0 Authentication successful\r\n"),
		}},
		{name: "auth plain empty challenge", steps: []step{
			s("220 mx\r\n"),
			c("AUTH PLAIN\r\n"),
			s("334 \r\n"),
			c(b64("admin\x00alice\x00pw") + "\r\n"),
			s("535 5.7.8 Authentication failed\r\n"),
		}},
		{name: "auth login", steps: []step{
			s("220 mx\r\n"),
			c("AUTH LOGIN\r\n"),
			s("334 " + b64("Username:") + "\r\n"),
			c(b64("alice") + "\r\n"),
			s("334 " + b64("Password:") + "\r\n"),
			c(b64("s3cret") + "\r\n"),
			s("235 ok\r\n"),
			c("MAIL FROM:<alice@x>\r\n"),
			s("250 ok\r\n"),
		}},
		{name: "auth cram-md5", steps: []step{
			s("220 mx\r\n"),
			c("AUTH CRAM-MD5\r\n"),
			s("334 " + b64("<1896.697170952@postoffice.example.net>") + "\r\n"),
			c(b64("tim b913a602c7eda7a495b4e6e7334d3890") + "\r\n"),
			s("235 ok\r\n"),
		}},
		{name: "auth xoauth2", steps: []step{
			s("220 mx\r\n"),
			c("AUTH XOAUTH2 " + b64("user=someuser@example.com\x01auth=Bearer ya29.token\x01\x01") + "\r\n"),
			s("334 " + b64(`{"status":"401"}`) + "\r\n"),
			c("\r\n"),
			s("535 5.7.8 bad\r\n"),
		}},
		{name: "auth cancel and garbage", steps: []step{
			s("220 mx\r\n"),
			c("AUTH LOGIN\r\n"),
			s("334 VXNlcm5hbWU6\r\n"),
			c("*\r\n"),
			s("501 5.7.0 cancelled\r\n"),
			c("AUTH PLAIN !!notbase64!!\r\n"),
			s("501 5.5.2 bad\r\n"),
		}},
		{name: "starttls accepted", steps: []step{
			s("220 mx\r\n"),
			c("EHLO c\r\n"),
			s("250-mx\r\n250 STARTTLS\r\n"),
			c("STARTTLS\r\n"),
			s("220 2.0.0 Ready to start TLS\r\n"),
			c("\x16\x03\x01\x00\x05hello"),
			s("\x16\x03\x03\x00\x02hi"),
		}},
		{name: "starttls refused", steps: []step{
			s("220 mx\r\n"),
			c("STARTTLS\r\n"),
			s("454 4.7.0 TLS not available\r\n"),
			c("MAIL FROM:<a@x>\r\n"),
			s("250 ok\r\n"),
		}},
		{name: "starttls command injection", steps: []step{
			s("220 mx\r\n"),
			c("STARTTLS\r\nRSET\r\n"),
			s("220 go ahead\r\n"),
			c("\x16\x03\x01"),
		}},
		{name: "starttls response injection", steps: []step{
			s("220 mx\r\n"),
			c("STARTTLS\r\n"),
			s("220 go ahead\r\n250 injected\r\n"),
		}},
		{name: "client hello before 220", steps: []step{
			s("220 mx\r\n"),
			c("STARTTLS\r\n\x16\x03\x01\x00\x02ab"),
			s("220 go\r\n"),
		}},
		{name: "gap in data", steps: []step{
			s("220 mx\r\n"),
			c("DATA\r\n"),
			s("354 go\r\n"),
			c("Subject: x\r\n\r\npart one"),
			gapC(1000),
			c("tail\r\n.\r\n"),
			s("250 ok\r\n"),
		}},
		{name: "gap swallowing the end of data", steps: []step{
			s("220 mx\r\n"),
			c("DATA\r\n"),
			s("354 go\r\n"),
			c("Subject: x\r\n\r\npart one"),
			gapC(50),
			s("250 ok\r\n"),
			c("QUIT\r\n"),
			s("221 bye\r\n"),
		}},
		{name: "gap in command stream", steps: []step{
			s("220 mx\r\n"),
			c("EHLO c\r\nMAIL FR"),
			gapC(20),
			c("om>\r\nRCPT TO:<b@y>\r\n"),
			gapS(7),
			s("ok\r\n250 ok\r\n"),
		}},
		{name: "garbage binary", steps: []step{
			s("220 mx\r\n"),
			c("\x00\x01\x02\xff\xfe\r\n\x80\x81 zz\r\n"),
			s("500 5.5.2 Error: command not recognized\r\n\x00\x01garbage\r\n500 again\r\n"),
		}},
		{name: "overlong line", opts: Options{MaxLine: 64}, steps: []step{
			s("220 mx\r\n"),
			c("NOOP " + string(make([]byte, 0)) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nQUIT\r\n"),
			s("500 5.5.2 line too long\r\n221 bye\r\n"),
		}},
		{name: "client before greeting", steps: []step{
			c("EHLO early\r\n"),
			s("220 mx ESMTP\r\n"),
			s("250 mx\r\n"),
			c("QUIT\r\n"),
			s("221 bye\r\n"),
		}},
		{name: "smuggling evidence", steps: []step{
			s("220 mx\r\n"),
			c("DATA\r\n"),
			s("354 go\r\n"),
			c("Subject: s\r\n\r\nx\n.\nMAIL FROM:<evil@x>\r\ny\r.\rz\r\n.\r\n"),
			s("250 ok\r\n"),
		}},
		{name: "one side only", steps: []step{
			c("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nSubject: one\r\n\r\nhi\r\n.\r\nQUIT\r\n"),
		}},
		{name: "unsolicited and bare lf", steps: []step{
			s("220 mx\n"),
			s("250 nobody asked\r\n"),
			s("421 shutting down\r\n"),
		}},
	}
}

// moreTranscripts are recovery cases added after running the corpus.
func moreTranscripts() []transcript {
	return []transcript{
		{name: "354 after a gap that swallowed DATA", steps: []step{
			s("220 mx\r\n"),
			c("MAIL FROM:<a@x>\r\n"),
			s("250 ok\r\n"),
			gapC(12),
			s("354 go\r\n"),
			c("Subject: lost\r\n\r\nhi\r\n.\r\nQUIT\r\n"),
			s("250 queued\r\n221 bye\r\n"),
		}},
		{name: "close inside data", steps: []step{
			s("220 mx\r\n"),
			c("DATA\r\n"),
			s("354 go\r\n"),
			c("Subject: cut\r\n\r\npartial li"),
		}},
		{name: "auth login pipelined answers", steps: []step{
			s("220 mx\r\n"),
			c("AUTH LOGIN " + b64("alice") + "\r\n" + b64("pw") + "\r\nNOOP\r\n"),
			s("334 " + b64("Password:") + "\r\n235 ok\r\n250 ok\r\n"),
		}},
		{name: "unanswered data at close", steps: []step{
			s("220 mx\r\n"),
			c("DATA\r\nSubject: held\r\n\r\nx\r\n.\r\n"),
		}},
	}
}
