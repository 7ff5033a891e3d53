package cmd

// exception is one item where smtpscope and tshark 4.0.17 differ because
// tshark is wrong: "-item" is shown by tshark only, "+item" by us only.
type exception struct {
	item   string
	reason string
}

// tsharkExceptions lists, per corpus file, every difference from tshark,
// each checked by hand against the bytes (tshark -r FILE -x).
var tsharkExceptions = map[string][]exception{
	"arkime__smtp-decrypted.pcap": {
		{"+s0 f32 C QUIT ", "QUIT sent in the same segment as the final \"\\r\\n.\\r\\n\" (or after a BDAT LAST chunk): tshark 4.0 does not dissect a command after the end of data in one segment (shared/bench README, case 1)"},
		{"+s1 f51 C BDAT 3135 LAST", "BDAT LAST sent in the same segment as its chunk: tshark 4.0 takes the whole segment as message data and never shows the command (RFC 3030 allows it)"},
		{"+s1 f57 C QUIT ", "QUIT sent in the same segment as the final \"\\r\\n.\\r\\n\" (or after a BDAT LAST chunk): tshark 4.0 does not dissect a command after the end of data in one segment (shared/bench README, case 1)"},
		{"+s2 f78 C BDAT 3956 LAST", "BDAT LAST sent in the same segment as its chunk: tshark 4.0 takes the whole segment as message data and never shows the command (RFC 3030 allows it)"},
		{"+s2 f84 C QUIT ", "QUIT sent in the same segment as the final \"\\r\\n.\\r\\n\" (or after a BDAT LAST chunk): tshark 4.0 does not dissect a command after the end of data in one segment (shared/bench README, case 1)"},
		{"+s2 f86 S 221 2.0.0 Service closing transmission channel", "reply to the QUIT above: tshark is still in its BDAT data state after missing BDAT LAST, so it shows the reply as data"},
		{"+s3 f104 C QUIT ", "QUIT sent in the same segment as the final \"\\r\\n.\\r\\n\" (or after a BDAT LAST chunk): tshark 4.0 does not dissect a command after the end of data in one segment (shared/bench README, case 1)"},
	},
	"certgrep__sess_smtps.pcapng": {
		{"-s0 f6 S 130 <binary>", "implicit TLS on 587: tshark dissects port 587 as SMTP and shows certificate bytes as replies; smtpscope sees the ClientHello and reads TLS (the TLS records match tshark's -d tcp.port==587,tls run)"},
		{"-s0 f6 S 160 <binary>", "implicit TLS on 587: tshark dissects port 587 as SMTP and shows certificate bytes as replies; smtpscope sees the ClientHello and reads TLS (the TLS records match tshark's -d tcp.port==587,tls run)"},
		{"-s0 f7 S 100 <binary>", "implicit TLS on 587: tshark dissects port 587 as SMTP and shows certificate bytes as replies; smtpscope sees the ClientHello and reads TLS (the TLS records match tshark's -d tcp.port==587,tls run)"},
		{"-s0 f7 S 200 <binary>", "implicit TLS on 587: tshark dissects port 587 as SMTP and shows certificate bytes as replies; smtpscope sees the ClientHello and reads TLS (the TLS records match tshark's -d tcp.port==587,tls run)"},
		{"-s0 f7 S 201 <binary>", "implicit TLS on 587: tshark dissects port 587 as SMTP and shows certificate bytes as replies; smtpscope sees the ClientHello and reads TLS (the TLS records match tshark's -d tcp.port==587,tls run)"},
		{"-s0 f7 S 61 <binary>", "implicit TLS on 587: tshark dissects port 587 as SMTP and shows certificate bytes as replies; smtpscope sees the ClientHello and reads TLS (the TLS records match tshark's -d tcp.port==587,tls run)"},
	},
	"chrissanders-packets__mail_sender_server_2.pcapng": {
		{"+s1 f34 C QUIT ", "QUIT in the same segment as the final \"\\r\\n.\\r\\n\": tshark 4.0 misses a command after the end of data in one segment"},
	},
	"ndpi__smtps.pcapng": {
		{"+s0 f4 S 220 gator4223.hostgator.com ESMTP Exim 4.93 #2 Fri, 05 Mar 2021 04:01:45 -0600|We do not authorize the use of this system to transport unsolicited,|and/or bulk e-mail.", "the server on 465 answered the ClientHello with a plaintext 220 banner (Exim without TLS on the implicit-TLS port): tshark decodes 465 only as TLS and leaves the banner undissected"},
	},
	"smtp-nel-filter__smtp_2.pcap": {
		{"+s0 f15 C RSET ", "after the pipelined DATA was refused (503), tshark 4.0 still enters its DATA state and shows these commands as message data (shared/bench README, case 2); the server answered them as commands"},
		{"+s0 f18 C QUIT ", "after the pipelined DATA was refused (503), tshark 4.0 still enters its DATA state and shows these commands as message data (shared/bench README, case 2); the server answered them as commands"},
	},
	"suricata-verify__issue-4220-01-ids__1flowB.pcap": {
		{"+s0 f13 S 250 2.1.0  xH@xH.com....Sender OK", "tshark marks these server segments \"Spurious Retransmission\" (the client had ACKed them before they were captured) and does not dissect them, but these are the only copies of the replies in the capture"},
		{"+s0 f9 S 250 10.15.2.203 Hello [10.15.6.146]", "tshark marks these server segments \"Spurious Retransmission\" (the client had ACKed them before they were captured) and does not dissect them, but these are the only copies of the replies in the capture"},
	},
	"suricata-verify__smtp-data-rejected__10.7.29.101_49898-178.63.41.150_25.pcap": {
		{"+s0 f11 C RSET ", "after a pipelined DATA was refused (553/503), tshark 4.0 still enters its DATA state and shows these commands as message data; the server answered each as a command"},
		{"+s0 f14 C DATA ", "after a pipelined DATA was refused (553/503), tshark 4.0 still enters its DATA state and shows these commands as message data; the server answered each as a command"},
		{"+s0 f14 C MAIL FROM: <uprootedx38@gateway2c.dhl.com> ", "after a pipelined DATA was refused (553/503), tshark 4.0 still enters its DATA state and shows these commands as message data; the server answered each as a command"},
		{"+s0 f14 C RCPT TO:<mirjam@abrakadabra.ch>", "after a pipelined DATA was refused (553/503), tshark 4.0 still enters its DATA state and shows these commands as message data; the server answered each as a command"},
	},
	"suricata-verify__smtp-errors__smtperr.pcap": {
		{"+s0 f4 C <BINARY> ", "binary garbage lines sent to port 25: tshark shows no command, but the server answered each line with 500 \"Command unrecognized\", so they are commands (shown escaped)"},
		{"+s0 f4 C <BINARY> ", "binary garbage lines sent to port 25: tshark shows no command, but the server answered each line with 500 \"Command unrecognized\", so they are commands (shown escaped)"},
		{"+s0 f4 C <BINARY> ", "binary garbage lines sent to port 25: tshark shows no command, but the server answered each line with 500 \"Command unrecognized\", so they are commands (shown escaped)"},
		{"+s0 f4 C <BINARY> <binary>", "binary garbage lines sent to port 25: tshark shows no command, but the server answered each line with 500 \"Command unrecognized\", so they are commands (shown escaped)"},
		{"+s3 f149 S 220 v02.kerne.org ESMTP Postfix", "a server on 465 speaking plaintext SMTP (220 banner, then 400/402 to a ClientHello): tshark decodes 465 only as TLS"},
		{"+s3 f153 S 400 4.5.2 Error: bad syntax", "a server on 465 speaking plaintext SMTP (220 banner, then 400/402 to a ClientHello): tshark decodes 465 only as TLS"},
		{"+s3 f153 S 400 4.5.2 Error: bad syntax", "a server on 465 speaking plaintext SMTP (220 banner, then 400/402 to a ClientHello): tshark decodes 465 only as TLS"},
		{"+s3 f153 S 402 4.5.2 Error: command not recognized", "a server on 465 speaking plaintext SMTP (220 banner, then 400/402 to a ClientHello): tshark decodes 465 only as TLS"},
		{"+s3 f153 S 402 4.5.2 Error: command not recognized", "a server on 465 speaking plaintext SMTP (220 banner, then 400/402 to a ClientHello): tshark decodes 465 only as TLS"},
		{"+s3 f153 S 402 4.5.2 Error: command not recognized", "a server on 465 speaking plaintext SMTP (220 banner, then 400/402 to a ClientHello): tshark decodes 465 only as TLS"},
	},
	"suricata-verify__smtp-pipelining__input.pcap": {
		{"+s0 f11 C DATA ", "MAIL, RCPT, DATA and the body pipelined in one segment: tshark 4.0 dissects the segment as one DATA fragment (RFC 2920 pipelining)"},
		{"+s0 f11 C MAIL FROM:<username@domain.com>", "MAIL, RCPT, DATA and the body pipelined in one segment: tshark 4.0 dissects the segment as one DATA fragment (RFC 2920 pipelining)"},
		{"+s0 f11 C RCPT TO:<john.doe@example.com>", "MAIL, RCPT, DATA and the body pipelined in one segment: tshark 4.0 dissects the segment as one DATA fragment (RFC 2920 pipelining)"},
	},
	"suricata-verify__smtp-tls-protodetect__input.pcap": {
		{"+s0 f6 S 220 poczta.home-whs.pl ESMTP", "the server on 465 answered the ClientHello with a plaintext 220 banner: tshark decodes 465 only as TLS and leaves it undissected"},
	},
	"zeek__smtp-bdat-cmd-invalid.pcapng": {
		{"+s0 f20 C QUIT ", "QUIT after a malformed BDAT answered 521: tshark 4.0 stays in its BDAT data state and shows QUIT as data"},
		{"+s1 f42 C QUIT ", "QUIT after a malformed BDAT answered 521: tshark 4.0 stays in its BDAT data state and shows QUIT as data"},
	},
	"zeek__smtp-bdat-gap.pcap": {
		{"+s0 f26 C DATA ", "after the capture gap inside the BDAT chunk, tshark stays in its data state and shows DATA and QUIT as \"DATA fragment\"; the server's 354 and 221 show they were commands"},
		{"+s0 f34 C QUIT ", "after the capture gap inside the BDAT chunk, tshark stays in its data state and shows DATA and QUIT as \"DATA fragment\"; the server's 354 and 221 show they were commands"},
	},
	"zeek__smtp-bdat-pipeline-8bitmime.pcap": {
		{"+s0 f17 C BDAT 8757 LAST", "MAIL, RCPT and BDAT LAST pipelined with the chunk (RFC 3030 + RFC 2920): tshark 4.0 does not parse pipelined BDAT commands (PROVENANCE.md says so)"},
		{"+s0 f17 C MAIL From:<linux-kernel-owner@vger.kernel.org> BODY=8BITMIME SIZE=8546", "MAIL, RCPT and BDAT LAST pipelined with the chunk (RFC 3030 + RFC 2920): tshark 4.0 does not parse pipelined BDAT commands (PROVENANCE.md says so)"},
		{"+s0 f17 C RCPT To:<trafficwatcher@foundit.scootmail.com>", "MAIL, RCPT and BDAT LAST pipelined with the chunk (RFC 3030 + RFC 2920): tshark 4.0 does not parse pipelined BDAT commands (PROVENANCE.md says so)"},
		{"+s0 f9 C BDAT 4404 LAST", "MAIL, RCPT and BDAT LAST pipelined with the chunk (RFC 3030 + RFC 2920): tshark 4.0 does not parse pipelined BDAT commands (PROVENANCE.md says so)"},
		{"+s0 f9 C MAIL From:<linux-kernel-owner@vger.kernel.org> BODY=8BITMIME SIZE=4333", "MAIL, RCPT and BDAT LAST pipelined with the chunk (RFC 3030 + RFC 2920): tshark 4.0 does not parse pipelined BDAT commands (PROVENANCE.md says so)"},
		{"+s0 f9 C RCPT To:<trafficwatcher@foundit.scootmail.com>", "MAIL, RCPT and BDAT LAST pipelined with the chunk (RFC 3030 + RFC 2920): tshark 4.0 does not parse pipelined BDAT commands (PROVENANCE.md says so)"},
	},
	"zeek__smtp-mail-transactions-invalid.pcap": {
		{"+s0 f30 C HELLO, Alice (2)", "DATA was refused with 503 (no valid RCPT), yet tshark enters its DATA state; the client's body lines are commands to the server, which answered each with 500"},
		{"+s0 f33 C . ", "DATA was refused with 503 (no valid RCPT), yet tshark enters its DATA state; the client's body lines are commands to the server, which answered each with 500"},
		{"+s0 f42 C HELLO, Alice (3)", "DATA was refused with 503 (no valid RCPT), yet tshark enters its DATA state; the client's body lines are commands to the server, which answered each with 500"},
		{"+s0 f45 C . ", "DATA was refused with 503 (no valid RCPT), yet tshark enters its DATA state; the client's body lines are commands to the server, which answered each with 500"},
		{"+s0 f51 C HELLO, Alice (4)", "DATA was refused with 503 (no valid RCPT), yet tshark enters its DATA state; the client's body lines are commands to the server, which answered each with 500"},
		{"+s0 f54 C . ", "DATA was refused with 503 (no valid RCPT), yet tshark enters its DATA state; the client's body lines are commands to the server, which answered each with 500"},
	},
	"wireshark-notes__smtp2525-ssl.pcapng+keylog": {
		{"+s0 f29 S 214 Commands supported:|AUTH HELO EHLO MAIL RCPT DATA NOOP QUIT RSET HELP", "the multi-line 214 reply (\"214-Commands supported:\", then \"214 AUTH ...\") travels in two TLS records: tshark dissects each decrypted record as its own reply; it is one reply (RFC 5321, Section 4.2.1)"},
		{"-s0 f27 S 214 Commands supported:", "first line of the same multi-line reply, shown alone by tshark"},
		{"-s0 f29 S 214 AUTH HELO EHLO MAIL RCPT DATA NOOP QUIT RSET HELP", "last line of the same multi-line reply, shown alone by tshark"},
	},
	"zeek__truncated-header.pcap": {
		{"!conv 128.3.26.249:25 201.186.157.67:60827 packets=24 tshark=23", "tshark itself puts all 24 frames in tcp.stream 0 (tshark -T fields -e tcp.stream), but its -z conv,tcp table counts 23: the snap length cut every frame to 54 bytes and one is left out of the table"},
	},
}
