package session

import "time"

// AddEvent appends e to the timeline, keeping it ordered by frame: bytes
// that arrived out of order are delivered late, and the two directions are
// reassembled independently (ARCHITECTURE.md, "gopacket facts"). It returns
// the index of e.
func (s *Session) AddEvent(e Event) int {
	s.NoteFrame(e.Frame, e.Time)
	i := len(s.Timeline)
	s.Timeline = append(s.Timeline, e)
	for i > 0 && s.Timeline[i-1].Frame > e.Frame {
		s.Timeline[i] = s.Timeline[i-1]
		i--
	}
	s.Timeline[i] = e
	return i
}

// NoteFrame widens the session's frame and time range to include frame,
// which arrived at t; frames <= 0 (unknown) are ignored.
func (s *Session) NoteFrame(frame int64, t time.Time) {
	if frame <= 0 {
		return
	}
	if s.FirstFrame == 0 || frame < s.FirstFrame {
		s.FirstFrame = frame
		s.Start = t
	}
	if frame > s.LastFrame {
		s.LastFrame = frame
		s.End = t
	}
}

// WorstFinding returns the most severe finding, or nil.
func (s *Session) WorstFinding() *Finding {
	var w *Finding
	for i := range s.Findings {
		if w == nil || s.Findings[i].Severity.Rank() > w.Severity.Rank() {
			w = &s.Findings[i]
		}
	}
	return w
}

// Duration is the time from the first to the last frame of the session.
func (s *Session) Duration() time.Duration { return s.End.Sub(s.Start) }
