// Package diagram draws one SMTP session as a sequence diagram: client and
// server lifelines with their addresses and port role, the phases of the
// session as coloured bands, one arrow per timeline event (reply codes on the
// arrows, time deltas in the margin), runs of encrypted TLS records folded
// into one arrow, and the findings marked at their evidence frames with a
// legend. Output is hand-written SVG (no script, no external fonts or
// assets; light and dark themes) or a Mermaid sequenceDiagram.
//
// The package reads only the model (package session), the findings
// catalogue and the sanitizer: every string taken from a capture passes
// sanitize.String and is then escaped for XML (or Mermaid), and no captured
// byte ever lands in an element name or an attribute value.
//
// Implemented: RFC 5321 (reply codes and their classes, Section 4.2.1),
// RFC 3207 (the STARTTLS boundary, Section 4.2), RFC 8314 (implicit TLS on
// 465, Section 3), RFC 6409 (submission on 587), RFC 8446 and RFC 5246
// (TLS record types), RFC 4954 (AUTH credentials masked).
package diagram
