package tui

import (
	"errors"
	"io"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// saveDiagram asks where to save the selected session's sequence diagram
// (D): the same SVG as `smtpscope diagram --svg`, credentials masked.
func (u *UI) saveDiagram() {
	if u.sel < 0 {
		u.say(roleWarn, "select a session first")
		return
	}
	stream := int64(-1)
	u.withSelected(func(s *session.Session) { stream = s.Stream })
	if stream < 0 {
		return
	}
	u.askSave("the diagram", "smtpscope-s"+strconv.FormatInt(stream, 10)+".svg", func(w io.Writer) error {
		return u.writeDiagram(w, stream)
	})
}

// writeDiagram writes the diagram of the session numbered stream, read
// under the store's lock (a live capture may still be adding to it).
func (u *UI) writeDiagram(w io.Writer, stream int64) error {
	err := errors.New("the session is no longer in the capture")
	u.store.View(func(ss []*session.Session, _ *session.Progress) {
		for _, s := range ss {
			if s.Stream == stream {
				err = diagram.SVG(w, s, diagram.Options{})
				return
			}
		}
	})
	return err
}
