// Package tui is smtpscope's full-screen terminal UI (tview + tcell) over the
// session model: a sessions table on top, the selected session's ladder
// timeline and the selected event's details in the middle, and a status and
// key-hint bar at the bottom.
//
// Layering follows k9s: the model (package session, read only inside
// Store.View) is turned into rows and lines by pure render functions
// (ladder.go, detail.go, stream.go, rows.go, filter.go, lesson.go), which
// the widgets display through virtual table contents (view_tables.go).
// ui.go builds the layout, actions.go and keys.go handle keys from one
// table, refresh.go runs the single 150 ms ticker. The package never
// imports gopacket or a parser.
//
// Teaching: the texts of phases and findings come from package findings
// (PhaseText, Explain); teach.go keeps only what it does not cover (verbs,
// reply classes, TCP events, EHLO keywords). Events that are evidence of a
// finding carry a "!" in the severity's colour on the ladder, and their
// detail explains the finding. Lesson mode (Options.Teach, or t) turns the
// detail pane into a lesson that steps through the selected session phase
// by phase (lessonmode.go).
//
// Key logs: K asks for a key log path and calls Options.LoadKeyLog, which
// re-reads the capture into a fresh store that replaces the shown one
// (keylog.go); SMTP read inside TLS is drawn with a lock.
//
// Safety: every string that comes from the model reaches a tag-parsing widget
// (table cells, the detail and status text views) only through sanitize.Tag,
// so captured "[red]" or "[:::https://x]" text shows literally; tview.Escape
// is never used.
//
// Protocol references used by the teaching texts: RFC 793 (TCP), RFC 5321
// (SMTP), RFC 3207 (STARTTLS), RFC 4954 (AUTH), RFC 6409 (submission),
// RFC 8314 (implicit TLS), RFC 2920 (PIPELINING), RFC 3030 (CHUNKING),
// RFC 3463 (enhanced status codes), RFC 8446 and RFC 5246 (TLS).
package tui
