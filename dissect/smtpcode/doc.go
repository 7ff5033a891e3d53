// Package smtpcode is the SMTP reply-code vocabulary: what each reply code
// means, as smtpscope shows it (TUI detail pane, reports). It imports no
// parser, so the model side (tui, report) may use it; package smtp parses
// the replies.
//
// Implemented: RFC 5321 (Sections 4.2.1 to 4.2.3), RFC 3207 (Section 4),
// RFC 4954 (Sections 4 and 6), RFC 7504.
package smtpcode
