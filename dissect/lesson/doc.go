// Package lesson is the one source of smtpscope's lesson text: the pages
// that teach one SMTP session (an introduction to port roles and TLS, one
// page per phase of its timeline with what happened, the evidence bytes,
// the findings there and the phase's teaching text, concept pages where
// they belong, and a summary). The terminal UI's lesson mode draws these
// pages and `smtpscope lessons` prints them as a Markdown deck.
//
// The package reads only the model (package session) and the teaching
// texts of package findings; it never touches a widget. Every string taken
// from a capture is already sanitized in the model; raw bytes (Event.Raw)
// pass sanitize.Bytes here, and AUTH credentials are never taken from them.
//
// Implemented: RFC 5321 (phases, reply codes), RFC 3207 (the STARTTLS
// boundary and command injection, Section 4), RFC 4954 (AUTH, 334
// challenges in base64, Section 4), RFC 8446 and RFC 5246 (where
// encryption starts), RFC 8314 (implicit TLS).
package lesson
