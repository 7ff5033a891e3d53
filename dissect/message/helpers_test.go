package message

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/rand"
	"strings"
)

// parse feeds msg in pieces of split bytes (0 = whole) and returns the result.
func parse(msg string, split int, opts Options) *Message {
	p := New(opts)
	b := []byte(msg)
	for len(b) > 0 {
		n := len(b)
		if split > 0 && split < n {
			n = split
		}
		p.Write(b[:n])
		b = b[n:]
	}
	return p.Close()
}

// parseRandom feeds msg in random pieces.
func parseRandom(msg string, seed int64) *Message {
	r := rand.New(rand.NewSource(seed))
	p := New(Options{})
	b := []byte(msg)
	for len(b) > 0 {
		n := min(len(b), 1+r.Intn(17))
		p.Write(b[:n])
		b = b[n:]
	}
	return p.Close()
}

func md5hex(b []byte) string    { s := md5.Sum(b); return hex.EncodeToString(s[:]) }
func sha256hex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// b64lines encodes b as base64 in lines of 76 characters with CRLF.
func b64lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var sb strings.Builder
	for len(s) > 76 {
		sb.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	sb.WriteString(s + "\r\n")
	return sb.String()
}

// attachment is the binary content of the sample's attachment.
func attachment() []byte {
	b := make([]byte, 3000)
	for i := range b {
		b[i] = byte(i*7 + i/256)
	}
	return b
}

// sample is a typical message: alternative text and HTML, an attachment,
// a forwarded message, headers of every kind.
func sample() string {
	return "Received: from mx.example.net (mx.example.net [198.51.100.25])\r\n" +
		"\tby in.example.org with ESMTPS; Fri, 4 Dec 2026 10:00:01 +0000\r\n" +
		"Received: from [192.0.2.20] (client.example.org [192.0.2.20])\r\n" +
		"\tby mx.example.net; Fri, 4 Dec 2026 10:00:00 +0000\r\n" +
		"DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=sel1;\r\n\th=from:to; b=AbC\r\n dEf=\r\n" +
		"ARC-Seal: i=1; a=rsa-sha256; cv=none; d=example.net; s=arc1; b=x\r\n" +
		"Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org\r\n" +
		"Received-SPF: pass (mx.example.net: domain of a@example.org designates 192.0.2.20)\r\n" +
		"From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.org>\r\n" +
		"To: Bob <bob@example.net>, carol@example.net\r\n" +
		"Cc: =?KOI8-R?B?8NLJ18XU?= <dave@example.net>\r\n" +
		"Reply-To: replies@example.org\r\n" +
		"Subject: =?UTF-8?B?UmVwb3J0IOKAkyBRMw==?=\r\n" +
		"Date: Fri, 4 Dec 2026 10:00:00 +0000\r\n" +
		"Message-ID: <m1@example.org>\r\n" +
		"In-Reply-To: <m0@example.org>\r\n" +
		"References: <m-1@example.org> <m0@example.org>\r\n" +
		"X-Mailer: smtpscope-test 1.0\r\n" +
		"X-Originating-IP: [192.0.2.20]\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
		"\r\n" +
		"This is the preamble.\r\n" +
		"--outer\r\n" +
		"Content-Type: multipart/alternative; boundary=inner\r\n" +
		"\r\n" +
		"--inner\r\n" +
		"Content-Type: text/plain; charset=iso-8859-1\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Caf=E9 au lait, a long line that is soft-=\r\n" +
		"broken.   \r\n" +
		"--inner\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"\r\n" +
		"<p>Caf\xc3\xa9</p>\r\n" +
		"--inner--\r\n" +
		"--outer\r\n" +
		"Content-Type: application/octet-stream; name=\"ignored.bin\"\r\n" +
		"Content-Disposition: attachment; filename=\"report.pdf\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"\r\n" +
		b64lines(attachment()) +
		"--outer\r\n" +
		"Content-Type: message/rfc822\r\n" +
		"\r\n" +
		"Subject: inner\r\n" +
		"\r\n" +
		"forwarded body\r\n" +
		"--outer--\r\n" +
		"epilogue\r\n"
}
