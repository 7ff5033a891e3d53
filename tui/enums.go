package tui

import "strconv"

// overlayKind is the window shown over the panes, if any.
type overlayKind uint8

const (
	overlayNone     overlayKind = iota
	overlayHelp                 // the key list (?)
	overlayFindings             // the selected session's findings (f)
	overlayMessages             // the messages of every session (M)
	overlayMessage              // one message: headers, MIME tree, preview
	overlayIndex                // the lesson's pages (i, lesson mode)
	overlayStats                // statistics of the sessions shown (S)
)

// String names the overlay as the page and tests do.
func (o overlayKind) String() string {
	switch o {
	case overlayNone:
		return "none"
	case overlayHelp:
		return "help"
	case overlayFindings:
		return "findings"
	case overlayMessages:
		return "messages"
	case overlayMessage:
		return "message"
	case overlayStats:
		return "statistics"
	case overlayIndex:
		return "index"
	}
	return "overlay " + strconv.Itoa(int(o))
}

// paneID is one of the focusable panes, in tab order.
type paneID int

const (
	paneSessions paneID = iota
	paneTimeline        // the timeline slot: the ladder, or the stream in stream mode
	paneDetail          // the detail pane (the lesson in lesson mode)
	numPanes
)

// String names the pane.
func (p paneID) String() string {
	switch p {
	case paneSessions:
		return "sessions"
	case paneTimeline:
		return "timeline"
	case paneDetail:
		return "detail"
	}
	return "pane " + strconv.Itoa(int(p))
}
