// Package cmd is smtpscope's command line: it parses flags and wires the
// capture source, the engine and a view (the terminal UI or a report).
//
//	smtpscope [FILE]                         the UI on FILE, or on the embedded demo
//	smtpscope report [--json] [--reveal] FILE...  non-interactive report
//
// Exit status: 0 on success, 1 when an input is unreadable or corrupt (after
// everything decodable was shown), 2 on bad usage.
package cmd
