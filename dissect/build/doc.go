// Package build fills the model (package session) from the dissectors: it is
// the flow.Handler that decides which TCP connections are SMTP, feeds each
// direction's bytes to the smtp or tlsrec parser (and decrypted TLS back into
// smtp), and turns their events into sessions, timeline events, anomalies and
// counted limits, handed to a Sink as they start and finish.
//
// Byte ownership: the bytes given to Data belong to the caller for the call
// only; anything kept (Event.Raw, held first bytes) is a copy.
//
// Implemented: RFC 5321 (greeting and phases, detection by banner or EHLO),
// RFC 3207 (STARTTLS hand-off, the first bytes after the 220), RFC 8314
// (implicit TLS on 465), RFC 8446 and RFC 5246 (record types, encryption
// boundaries, TLS 1.3 certificates after decryption), RFC 8701 (GREASE
// values left out of the offered lists).
package build
