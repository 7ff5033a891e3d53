// Package smtp is a push-based SMTP dissector for one TCP connection.
//
// A Conn receives the reassembled bytes of both directions in capture order
// (Feed), learns about bytes that were not captured (Gap) and about the end of
// the connection (Close). It frames lines per direction, pairs replies with
// commands through a FIFO queue (RFC 2920 pipelining), follows DATA and BDAT
// bodies, decodes AUTH exchanges, parses EHLO capabilities and hands the
// connection over to TLS after a successful STARTTLS. Everything it finds is
// reported to a Sink as Events; odd traffic becomes an EvAnomaly and the
// parser resynchronises at the next line. Output never depends on how the
// bytes of one direction were split between Feed calls.
//
// The package knows nothing about packets or TLS. Every string in an Event
// that carries captured bytes is sanitized (package sanitize).
//
// Implemented (in part) here:
//   - RFC 5321: SMTP (commands, replies, DATA, dot-stuffing, line limits)
//   - RFC 2920: pipelining
//   - RFC 3030: CHUNKING (BDAT) and BINARYMIME
//   - RFC 3207: STARTTLS
//   - RFC 3463: enhanced status codes
//   - RFC 4954: AUTH (PLAIN RFC 4616, LOGIN, CRAM-MD5 RFC 2195, XOAUTH2)
//   - RFC 5322: message header fields (From, To, Subject, Date, Message-ID)
//   - RFC 2047: encoded words in those header fields
package smtp
