package main

import (
	"encoding/base64"
	"strings"
	"time"
)

// Attack scenarios: conversations written by hand, write by write, because
// they show what an attacker on the path (or a broken peer) makes of SMTP.
// Each is small and plaintext apart from hand-written TLS records.

// c and s are one client and one server write of a script.
func c(data string) event { return event{dir: c2s, data: []byte(data)} }
func s(data string) event { return event{dir: s2c, data: []byte(data)} }

// cb and sb are writes of raw bytes (TLS records).
func cb(data []byte) event { return event{dir: c2s, data: data} }
func sb(data []byte) event { return event{dir: s2c, data: data} }

// script ends a conversation: the client closes first after QUIT, then the
// server (RFC 5321, Section 4.1.1.10).
func script(evs ...event) []event {
	return append(evs, event{dir: c2s, fin: true}, event{dir: s2c, fin: true})
}

// banner is the greeting of the attack scenarios' server.
func banner(host string) event { return s("220 " + host + " ESMTP smtpscope sample\r\n") }

// ehloReply is a multi-line 250 to EHLO with the given extension lines
// (RFC 5321, Section 4.1.1.1).
func ehloReply(host string, ext ...string) event {
	lines := append([]string{host + " Hello " + heloName, "SIZE 10240000", "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"}, ext...)
	var b strings.Builder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		b.WriteString("250" + sep + l + "\r\n")
	}
	return s(b.String())
}

// mailInClear is MAIL, RCPT, DATA, the message, QUIT with their replies.
func mailInClear(m message, queued string) []event {
	return []event{
		c("MAIL FROM:<" + m.envFrom + ">\r\n"), s("250 2.1.0 Ok\r\n"),
		c("RCPT TO:<" + m.to[0] + ">\r\n"), s("250 2.1.5 Ok\r\n"),
		c("DATA\r\n"), s("354 End data with <CR><LF>.<CR><LF>\r\n"),
		c(dotStuff(m.String())), s("250 2.0.0 Ok: queued as " + queued + "\r\n"),
		c("QUIT\r\n"), s("221 2.0.0 Bye\r\n"),
	}
}

// tlsAfterStartTLS is a TLS 1.2 handshake written by hand after a 220 to
// STARTTLS, then a few opaque records each way: the SMTP inside cannot be
// read (no key log exists for it).
func tlsAfterStartTLS(label string) []event {
	return []event{
		cb(rawClientHello(label, vTLS12, []uint16{suiteECDHEGCM, suiteAES128SHA}, serverName)),
		sb(rawServerFlight(label, vTLS12, suiteECDHEGCM)),
		cb(rawClientFinish(label, vTLS12)),
		sb(rawServerFinish(label, vTLS12)),
		cb(rawAppData(label+"/c1", vTLS12, 48)),
		sb(rawAppData(label+"/s1", vTLS12, 160)),
		cb(rawAppData(label+"/c2", vTLS12, 40)),
		sb(rawAppData(label+"/s2", vTLS12, 48)),
	}
}

// plainAuth is the AUTH PLAIN initial response (RFC 4616, Section 2).
func plainAuth(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}

// attackScenarios returns the attack captures, in README order.
func attackScenarios(base time.Time) []scenario {
	m := sampleMessage("20260115100000.0201@example.net", bob)
	one := func(name, about, client, server string, clientISN, serverISN uint32, evs []event) scenario {
		return scenario{name: name, about: about, limit: maxScenario, sessions: []session{{
			link:   newLink(client, server, defaultMS, clientISN, serverISN, base, ms(20)),
			script: evs,
		}}}
	}
	smuggled := "From: Alice <" + alice + ">\r\nTo: " + bob + "\r\nSubject: hello\r\n\r\nHi Bob.\r\n" +
		"\n.\nMAIL FROM:<ceo@example.net>\r\nRCPT TO:<" + bob + ">\r\nDATA\r\n" +
		"From: CEO <ceo@example.net>\r\nTo: " + bob + "\r\nSubject: urgent wire transfer\r\n\r\nPay the invoice today.\r\n" +
		".\r\n"
	return []scenario{
		one("attack-stripped587",
			"stripped STARTTLS on 587: the EHLO reply arrives with 250-XXXXXXXA where STARTTLS was (Cisco ASA-style masking), and the client sends AUTH PLAIN and the message in clear",
			"192.0.2.30:50100", serverV4+":587", 0x30303030, 0x31313131,
			script(append([]event{
				banner(serverName), c("EHLO " + heloName + "\r\n"),
				ehloReply(serverName, "XXXXXXXA", "AUTH PLAIN LOGIN"),
				c("AUTH PLAIN " + plainAuth(alice, goodPass) + "\r\n"), s("235 2.7.0 Authentication successful\r\n"),
			}, mailInClear(m, "4F30100Q1")...)...)),
		one("attack-refused25",
			"STARTTLS refused: the server offers STARTTLS, answers it with 454 4.7.0, and the relay sends the message in clear anyway",
			"192.0.2.31:50101", serverV4+":25", 0x32323232, 0x33333333,
			script(append([]event{
				banner(mxName), c("EHLO " + heloName + "\r\n"), ehloReply(mxName, "STARTTLS"),
				c("STARTTLS\r\n"), s("454 4.7.0 TLS not available due to temporary reason\r\n"),
			}, mailInClear(m, "4F30101Q1")...)...)),
		one("attack-cmdinject25",
			"STARTTLS command injection (CVE-2011-0411 class): STARTTLS\\r\\nRSET\\r\\n in one client segment before the 220; then a TLS 1.2 handshake and opaque records",
			"192.0.2.32:50102", serverV4+":25", 0x34343434, 0x35353535,
			script(append([]event{
				banner(mxName), c("EHLO " + heloName + "\r\n"), ehloReply(mxName, "STARTTLS"),
				c("STARTTLS\r\nRSET\r\n"), s("220 2.0.0 Ready to start TLS\r\n"),
			}, tlsAfterStartTLS("cmdinject")...)...)),
		one("attack-respinject587",
			"STARTTLS response injection (CVE-2021-38371 class): the 220 to STARTTLS and a forged 250 line arrive in one server segment before the TLS handshake",
			"192.0.2.33:50103", serverV4+":587", 0x36363636, 0x37373737,
			script(append([]event{
				banner(serverName), c("EHLO " + heloName + "\r\n"), ehloReply(serverName, "STARTTLS"),
				c("STARTTLS\r\n"), s("220 2.0.0 Ready to start TLS\r\n250 2.0.0 Ok: injected reply\r\n"),
			}, tlsAfterStartTLS("respinject")...)...)),
		one("attack-plainauth25",
			"plaintext AUTH on 25: a server without STARTTLS offers AUTH PLAIN LOGIN and the client authenticates (AUTH PLAIN with an initial response) and sends the message in clear",
			"192.0.2.34:50104", serverV4+":25", 0x38383838, 0x39393939,
			script(append([]event{
				banner(mxName), c("EHLO " + heloName + "\r\n"), ehloReply(mxName, "AUTH PLAIN LOGIN"),
				c("AUTH PLAIN " + plainAuth(bob, badPass) + "\r\n"), s("235 2.7.0 Authentication successful\r\n"),
			}, mailInClear(m, "4F30104Q1")...)...)),
		one("attack-tls10-rc4-25",
			"weak TLS after STARTTLS on 25 (records written by hand): ClientHello offering TLS 1.0 with RC4 and 3DES, ServerHello selecting TLS 1.0 TLS_RSA_WITH_RC4_128_SHA, then opaque records",
			"192.0.2.35:50105", serverV4+":25", 0x3a3a3a3a, 0x3b3b3b3b,
			script(
				banner(mxName), c("EHLO "+heloName+"\r\n"), ehloReply(mxName, "STARTTLS"),
				c("STARTTLS\r\n"), s("220 2.0.0 Ready to start TLS\r\n"),
				cb(rawClientHello("rc4", vTLS10, []uint16{suiteRC4SHA, suiteRC4MD5, suite3DES, suiteAES128SHA}, mxName)),
				sb(rawServerFlight("rc4", vTLS10, suiteRC4SHA)),
				cb(rawClientFinish("rc4", vTLS10)),
				sb(rawServerFinish("rc4", vTLS10)),
				cb(rawAppData("rc4/c1", vTLS10, 44)), sb(rawAppData("rc4/s1", vTLS10, 150)),
				cb(rawAppData("rc4/c2", vTLS10, 36)), sb(rawAppData("rc4/s2", vTLS10, 40)),
			)),
		{
			name:  "attack-tlsfail-retry25",
			about: "TLS failure then plaintext retry: the STARTTLS handshake ends with a fatal handshake_failure alert; 2 s later the same client reconnects without STARTTLS and sends the message in clear",
			limit: maxScenario,
			sessions: []session{{
				link: newLink("192.0.2.36:50106", serverV4+":25", defaultMS, 0x3c3c3c3c, 0x3d3d3d3d, base, ms(20)),
				script: script(
					banner(mxName), c("EHLO "+heloName+"\r\n"), ehloReply(mxName, "STARTTLS"),
					c("STARTTLS\r\n"), s("220 2.0.0 Ready to start TLS\r\n"),
					cb(rawClientHello("tlsfail", vTLS12, []uint16{suiteECDHEGCM}, mxName)),
					sb(rawAlert(vTLS12, alertFatal, alertHandshakeNo)),
				),
			}, {
				link: newLink("192.0.2.36:50107", serverV4+":25", defaultMS, 0x3e3e3e3e, 0x3f3f3f3f, base.Add(2*time.Second), ms(20)),
				script: script(append([]event{
					banner(mxName), c("EHLO " + heloName + "\r\n"), ehloReply(mxName, "STARTTLS"),
				}, mailInClear(m, "4F30107Q1")...)...),
			}},
		},
		one("attack-smuggling25",
			"SMTP smuggling (CVE-2023-51764 class): the DATA body hides \\n.\\n followed by MAIL FROM, RCPT TO, DATA and a second message before the real CRLF.CRLF",
			"192.0.2.37:50108", serverV4+":25", 0x40404040, 0x41414141,
			script(
				banner(mxName), c("EHLO "+heloName+"\r\n"), ehloReply(mxName),
				c("MAIL FROM:<"+alice+">\r\n"), s("250 2.1.0 Ok\r\n"),
				c("RCPT TO:<"+bob+">\r\n"), s("250 2.1.5 Ok\r\n"),
				c("DATA\r\n"), s("354 End data with <CR><LF>.<CR><LF>\r\n"),
				c(smuggled), s("250 2.0.0 Ok: queued as 4F30108Q1\r\n"),
				c("QUIT\r\n"), s("221 2.0.0 Bye\r\n"),
			)),
	}
}
