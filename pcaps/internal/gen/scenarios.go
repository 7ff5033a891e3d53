package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/netip"
	"net/smtp"
	"time"
)

// Size limits of the embedded files.
const (
	maxScenario = 64 << 10
	maxDemo     = 128 << 10
)

// Addresses and names used by the scenarios (documentation ranges: RFC 5737,
// RFC 3849; example domains: RFC 2606).
const (
	serverV4  = "198.51.100.25"
	serverV6  = "2001:db8::25"
	heloName  = "client.example.org"
	alice     = "alice@example.net"
	bob       = "bob@example.com"
	nobody    = "nobody@example.com"
	badPass   = "hunter2"
	rejectTo  = "nobody"
	mxHelo    = "relay.example.org"
	defaultMS = 1460
	smallMSS  = 536 // RFC 9293, Section 3.7.1: the default MSS; forces multi-segment TLS records and bodies
)

// newLink returns a link between client and server (ip:port strings) with
// fixed ISNs, starting at start. Client packets arrive with TTL 52, server
// packets leave with 64: the capture point is the server.
func newLink(client, server string, mss int, clientISN, serverISN uint32, start time.Time, rtt time.Duration) link {
	return link{
		client: host{mac: [6]byte{0x02, 0x00, 0x5e, 0x00, 0x53, 0x01}, addr: netip.MustParseAddrPort(client),
			isn: clientISN, ttl: 52, ipID: uint16(clientISN >> 16)},
		server: host{mac: [6]byte{0x02, 0x00, 0x5e, 0x00, 0x53, 0x25}, addr: netip.MustParseAddrPort(server),
			isn: serverISN, ttl: 64, ipID: uint16(serverISN >> 16)},
		mss:   mss,
		start: start,
		rtt:   rtt,
	}
}

// ms is a duration in milliseconds.
func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// sampleMessage returns the message every scenario sends.
func sampleMessage(id string, to ...string) message {
	return message{envFrom: alice, from: "Alice <" + alice + ">", to: to, subject: "Q4 figures", id: id, body: shortBody()}
}

// scenarios returns every capture to generate, in README order.
func scenarios(cert tls.Certificate, pool *x509.CertPool) []scenario {
	base := baseTime()
	srvTLS := serverTLS(cert)
	relay := serverConfig{hostname: mxName}
	submission := serverConfig{hostname: serverName, tls: srvTLS, requireAuth: true}
	plainAuth := smtp.PlainAuth("", alice, goodPass, serverName)
	long := sampleMessage("20260115100000.4711@example.net", bob)
	long.body = longBody()
	return append([]scenario{{
		name:  "plain25",
		about: "plain SMTP relay on port 25: banner, EHLO (SIZE, PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES), MAIL, two RCPT, DATA with a dot-stuffed line, 250, QUIT, 221",
		limit: maxScenario,
		sessions: []session{{
			link:   newLink("192.0.2.10:49152", serverV4+":25", defaultMS, 0x1a2b3c4d, 0x5e6f7081, base, ms(20)),
			server: relay,
			client: netClient{host: mxName, msg: sampleMessage("20260115100000.0001@example.net", bob, "carol@example.com")}.run,
		}},
	}, {
		name:  "starttls587-tls13",
		about: "submission on 587: STARTTLS (offered only before TLS), TLS 1.3 with X25519 and an Ed25519 certificate, EHLO again, AUTH PLAIN (offered only after TLS), MAIL, RCPT, DATA, QUIT",
		limit: maxScenario,
		sessions: []session{{
			link:   newLink("192.0.2.11:49153", serverV4+":587", defaultMS, 0x2b3c4d5e, 0x6f708192, base, ms(20)),
			server: submission,
			client: netClient{host: serverName, tls: startTLS(pool, tls.VersionTLS13), auth: plainAuth,
				msg: sampleMessage("20260115100000.0002@example.net", bob)}.run,
		}},
	}, {
		name:  "starttls587-tls12",
		about: "submission on 587: STARTTLS, TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256 (Ed25519 certificate), AUTH LOGIN; MSS 536, so the server's first flight takes two segments and its ServerKeyExchange record spans both",
		limit: maxScenario,
		sessions: []session{{
			link:   newLink("192.0.2.12:49154", serverV4+":587", smallMSS, 0x3c4d5e6f, 0x708192a3, base, ms(20)),
			server: submission,
			client: netClient{host: serverName, tls: startTLS(pool, tls.VersionTLS12), auth: loginAuth{alice, goodPass},
				msg: sampleMessage("20260115100000.0003@example.net", bob)}.run,
		}},
	}, {
		name:  "smtps465-tls13-ipv6",
		about: "submissions on 465 over IPv6: implicit TLS 1.3 from the first byte (ClientHello right after the TCP handshake), banner inside TLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT",
		limit: maxScenario,
		sessions: []session{{
			link:   newLink("[2001:db8::10]:49155", "["+serverV6+"]:465", 1440, 0x4d5e6f70, 0x8192a3b4, base, ms(30)),
			server: serverConfig{hostname: serverName, tls: srvTLS, implicitTLS: true, requireAuth: true},
			client: netClient{host: serverName, implicit: true, tls: startTLS(pool, tls.VersionTLS13), auth: plainAuth,
				msg: sampleMessage("20260115100000.0004@example.net", bob)}.run,
		}},
	}, {
		name:  "pipelining25",
		about: "PIPELINING (RFC 2920): MAIL, RCPT, RCPT, DATA in one segment; 250, 250, 550, 354 in one segment (the second recipient is refused); body, 250, QUIT",
		limit: maxScenario,
		sessions: []session{{
			link:   newLink("192.0.2.13:49156", serverV4+":25", defaultMS, 0x5e6f7081, 0x92a3b4c5, base, ms(20)),
			server: serverConfig{hostname: mxName, rejectRcpt: rejectTo},
			client: pipelined(sampleMessage("20260115100000.0005@example.net", bob)),
		}},
	}, {
		name:  "chunking25",
		about: "CHUNKING (RFC 3030): BDAT n with its chunk in a separate segment, then BDAT n LAST with the chunk in the same segment as the command; no dot-stuffing inside BDAT",
		limit: maxScenario,
		sessions: []session{{
			link:   newLink("192.0.2.14:49157", serverV4+":25", defaultMS, 0x6f708192, 0xa3b4c5d6, base, ms(20)),
			server: serverConfig{hostname: mxName, chunking: true},
			client: chunked(sampleMessage("20260115100000.0006@example.net", bob)),
		}},
	}, {
		name:  "rejected-data25",
		about: "rejected DATA: the only RCPT is refused (550), DATA is answered 554 so no body follows; the next lines (RSET, QUIT) are commands",
		limit: maxScenario,
		sessions: []session{{
			link:   newLink("192.0.2.15:49158", serverV4+":25", defaultMS, 0x708192a3, 0xb4c5d6e7, base, ms(20)),
			server: serverConfig{hostname: mxName, rejectRcpt: rejectTo},
			client: rejectedData,
		}},
	}, {
		name:  "gap25",
		about: "capture gap: the third of six client segments of the DATA body is missing from the capture, yet the server's 250 acknowledges it; the client's sequence numbers wrap past 2^32 in the body",
		limit: maxScenario,
		sessions: []session{{
			link:    newLink("192.0.2.16:49159", serverV4+":25", smallMSS, 0xfffffd00, 0xc5d6e7f8, base, ms(20)),
			server:  relay,
			client:  netClient{host: mxName, msg: long}.run,
			capture: dropBodySegment(2),
		}},
	}, {
		name:  "out-of-order25",
		about: "out of order: the second and third client segments of the DATA body arrive swapped; the server's 250 after DATA is lost downstream and retransmitted after 200 ms; the server's sequence numbers wrap past 2^32 inside the retransmitted segment",
		limit: maxScenario,
		sessions: []session{{
			link: func() link {
				l := newLink("192.0.2.17:49160", serverV4+":25", smallMSS, 0x8192a3b4, 0xffffff00, base, ms(20))
				l.lose = loseQueuedReply
				return l
			}(),
			server:  relay,
			client:  netClient{host: mxName, msg: long}.run,
			capture: swapBodySegments(1, 2),
		}},
	}, {
		name:  "attack-overlap25",
		about: "TCP overlap conflict: the second client segment of the DATA body is sent again with the same sequence numbers and other bytes (upper-cased); the server keeps one, an analyzer must say both exist",
		limit: maxScenario,
		sessions: []session{{
			link:    newLink("192.0.2.18:49161", serverV4+":25", smallMSS, 0x92a3b4c5, 0xd6e7f809, base, ms(20)),
			server:  relay,
			client:  netClient{host: mxName, msg: long}.run,
			capture: conflictBodySegment(1),
		}},
	}, {
		name:     "demo",
		about:    "the demo: three interleaved sessions to one server; a good submission (587, STARTTLS, TLS 1.3, AUTH PLAIN inside TLS), a bad one (25, STARTTLS and AUTH offered in clear, AUTH LOGIN and the message sent in clear), and a relay using STARTTLS with TLS 1.2",
		limit:    maxDemo,
		sessions: demoSessions(base, srvTLS, pool, plainAuth),
	}}, attackScenarios(base)...)
}

// demoSessions returns the sessions of demo.pcap, overlapping in time.
func demoSessions(base time.Time, srvTLS *tls.Config, pool *x509.CertPool, auth smtp.Auth) []session {
	lax := serverConfig{hostname: mxName, tls: srvTLS, authBeforeTLS: true}
	return []session{{
		link:   newLink("192.0.2.20:50412", serverV4+":587", defaultMS, 0x11223344, 0x55667788, base, ms(20)),
		server: serverConfig{hostname: serverName, tls: srvTLS, requireAuth: true},
		client: netClient{host: serverName, tls: startTLS(pool, tls.VersionTLS13), auth: auth,
			msg: sampleMessage("20260115100000.0101@example.net", bob)}.run,
	}, {
		link:   newLink("192.0.2.66:41000", serverV4+":25", defaultMS, 0x99aabbcc, 0xddeeff00, base.Add(ms(35)), ms(45)),
		server: lax,
		client: netClient{host: mxName, auth: loginAuth{bob, badPass}, msg: message{envFrom: bob, from: "Bob <" + bob + ">",
			to: []string{alice}, subject: "password reset", id: "20260115100000.0102@example.com",
			body: []string{"Alice,", "", "my password went through this session in clear; so did this message.", "", "Bob"}}}.run,
	}, {
		link:   newLink("203.0.113.7:53001", serverV4+":25", defaultMS, 0x0badcafe, 0x600dbeef, base.Add(ms(80)), ms(25)),
		server: lax,
		client: netClient{host: mxName, helo: mxHelo, tls: startTLS(pool, tls.VersionTLS12),
			msg: sampleMessage("20260115100000.0103@example.org", alice)}.run,
	}}
}

// startTLS returns the TLS configuration maker for netClient.
func startTLS(pool *x509.CertPool, version uint16) func(io.Writer) *tls.Config {
	return func(keys io.Writer) *tls.Config { return clientTLS(pool, version, keys) }
}

// netClient is a conversation driven by net/smtp: greeting, EHLO, optional
// STARTTLS (and EHLO again, RFC 3207, Section 4.2), optional AUTH, one
// message, QUIT.
type netClient struct {
	host     string                      // server name (net/smtp checks it for AUTH PLAIN)
	helo     string                      // EHLO argument; heloName when empty
	implicit bool                        // TLS from the first byte (RFC 8314, Section 3.3)
	tls      func(io.Writer) *tls.Config // STARTTLS, or the implicit TLS configuration
	auth     smtp.Auth
	msg      message
}

// run drives the conversation on conn.
func (n netClient) run(conn net.Conn, keys io.Writer) error {
	if n.implicit {
		conn = tls.Client(conn, n.tls(keys))
	}
	c, err := smtp.NewClient(conn, n.host)
	if err != nil {
		return err
	}
	helo := n.helo
	if helo == "" {
		helo = heloName
	}
	if err := c.Hello(helo); err != nil {
		return err
	}
	if n.tls != nil && !n.implicit {
		if err := c.StartTLS(n.tls(keys)); err != nil {
			return err
		}
	}
	if n.auth != nil {
		if err := c.Auth(n.auth); err != nil {
			return err
		}
	}
	if err := c.Mail(n.msg.envFrom); err != nil {
		return err
	}
	for _, to := range n.msg.to {
		if err := c.Rcpt(to); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, n.msg.String()); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// rejectedData sends to a refused recipient, gets 554 to DATA, resets and
// quits (RFC 5321, Section 3.3).
func rejectedData(conn net.Conn, _ io.Writer) error {
	c, err := smtp.NewClient(conn, mxName)
	if err != nil {
		return err
	}
	if err := c.Hello(heloName); err != nil {
		return err
	}
	if err := c.Mail(alice); err != nil {
		return err
	}
	if err := wantCode(c.Rcpt(nobody), 550); err != nil {
		return err
	}
	if _, err := c.Data(); wantCode(err, 554) != nil {
		return wantCode(err, 554)
	}
	if err := c.Reset(); err != nil {
		return err
	}
	return c.Quit()
}

// pipelined sends the envelope and DATA in one write (RFC 2920, Section
// 3.1: DATA is the last command of a group).
func pipelined(m message) func(net.Conn, io.Writer) error {
	return func(conn net.Conn, _ io.Writer) error {
		c := newRawClient(conn)
		steps := []func() error{
			func() error { return c.expect(220) },
			func() error { return c.send("EHLO " + mxHelo + "\r\n") },
			func() error { return c.expect(250) },
			func() error {
				return c.send("MAIL FROM:<" + alice + "> BODY=8BITMIME\r\nRCPT TO:<" + bob + ">\r\nRCPT TO:<" + nobody + ">\r\nDATA\r\n")
			},
			func() error { return c.expect(250, 250, 550, 354) },
			func() error { return c.send(dotStuff(m.String())) },
			func() error { return c.expect(250) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return c.quit()
	}
}

// chunked sends the message in two BDAT chunks (RFC 3030, Section 2): the
// first command and its chunk in separate writes, the LAST one together.
func chunked(m message) func(net.Conn, io.Writer) error {
	return func(conn net.Conn, _ io.Writer) error {
		c := newRawClient(conn)
		msg := m.String()
		cut := len(msg) / 2
		first, second := msg[:cut], msg[cut:]
		steps := []func() error{
			func() error { return c.expect(220) },
			func() error { return c.send("EHLO " + mxHelo + "\r\n") },
			func() error { return c.expect(250) },
			func() error { return c.send("MAIL FROM:<" + alice + ">\r\n") },
			func() error { return c.expect(250) },
			func() error { return c.send("RCPT TO:<" + bob + ">\r\n") },
			func() error { return c.expect(250) },
			func() error { return c.send("BDAT " + itoa(len(first)) + "\r\n") },
			func() error { return c.send(first) },
			func() error { return c.expect(250) },
			func() error { return c.send("BDAT " + itoa(len(second)) + " LAST\r\n" + second) },
			func() error { return c.expect(250) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return c.quit()
	}
}
