package main

import (
	"fmt"
	"strings"
)

// message is a small RFC 5322 message.
type message struct {
	envFrom           string // MAIL FROM address
	from, subject, id string
	to                []string
	body              []string // lines without CRLF
}

// String renders the message with CRLF line ends (RFC 5322, Section 2.1):
// From, To, Subject, Date and Message-ID (RFC 5322, Section 3.6), a blank
// line, then the body.
func (m message) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\n", m.from)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(m.to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", m.subject)
	b.WriteString("Date: Thu, 15 Jan 2026 10:00:00 +0000\r\n") // RFC 5322, Section 3.3
	fmt.Fprintf(&b, "Message-ID: <%s>\r\n", m.id)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	for _, l := range m.body {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	return b.String()
}

// shortBody is a few lines, one starting with a dot so that it is
// dot-stuffed on the wire (RFC 5321, Section 4.5.2).
func shortBody() []string {
	return []string{
		"Hi Bob,",
		"",
		"the figures for Q4 are in; see you on Monday.",
		".this line starts with a dot: it travels as \"..this\" and is unstuffed by the server",
		"",
		"-- ",
		"Alice",
	}
}

// longBody is about 3 KiB of numbered lines, enough for several segments.
func longBody() []string {
	lines := shortBody()
	for i := 1; i <= 40; i++ {
		lines = append(lines, fmt.Sprintf("%02d: the quick brown fox jumps over the lazy dog, segment filler.", i))
	}
	return lines
}
