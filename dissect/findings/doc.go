// Package findings turns a finished (or live, partial) session of the model
// into security verdicts (session.Finding) with their evidence frames, and
// holds the teaching texts for every finding code and every timeline phase
// (FINDINGS.md in the design notes is the catalogue).
//
// Session runs the rules that need one session; Capture runs the rules that
// compare sessions of one capture (the same server offering STARTTLS in one
// session and not in another; a failed TLS handshake followed by a plaintext
// retry). Merge joins the two. Explain, Catalogue and PhaseText return the
// teaching texts.
//
// Evidence is read from the model only: bytes seen near the client are what
// it sent, bytes near the server what arrived. Anything inside TLS without
// keys is "not assessable": no rule fires on, or passes, what it cannot see.
//
// Implemented RFCs (rules cite sections): RFC 5321 (SMTP), RFC 3207
// (STARTTLS), RFC 4954 (AUTH), RFC 6409 (submission), RFC 8314 (implicit
// TLS), RFC 2920 (pipelining), RFC 8446 and RFC 5246 (TLS), RFC 7465 (RC4),
// RFC 7507 (fallback SCSV), RFC 7568 (SSL 3.0), RFC 8996 and RFC 8997 (TLS
// 1.0/1.1), RFC 9293 (TCP).
package findings
