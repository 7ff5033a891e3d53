package tui

import (
	"strconv"
	"strings"

	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// msgRef names one message of the store: its session's index and stream,
// and its index among the session's messages.
type msgRef struct {
	sess   int
	stream int64
	idx    int
}

// openMessages lists the messages of every session, like NetworkMiner's
// Messages tab: time, stream, from, to, subject, size, attachments, TLS,
// and the reply that accepted or refused it. Enter opens one.
func (u *UI) openMessages() {
	if u.msgList == nil {
		u.msgList = tview.NewTable().SetSelectable(true, false).SetFixed(1, 0)
		u.msgList.SetBordersColor(u.theme.color(roleDim))
		u.msgList.SetSelectedStyle(u.theme.style(roleAccent).Reverse(true))
		u.pane(u.msgList.Box, " Messages — enter opens, esc closes ")
		u.msgList.SetSelectedFunc(func(r, _ int) {
			if ref, ok := u.msgList.GetCell(r, 0).GetReference().(msgRef); ok {
				u.openMessage(ref)
			}
		})
	}
	n, w := u.fillMessages()
	u.openOverlay(overlayMessages, u.msgList, w, n+3)
}

// fillMessages fills the list; it returns the rows after the header and
// the width the table needs.
func (u *UI) fillMessages() (rows, w int) {
	t := u.theme
	tab := u.msgList
	tab.Clear()
	for c, h := range []string{"Time", "#", "From", "To", "Subject", "Size", "Attachments", "TLS", "Reply"} {
		tab.SetCell(0, c, cell(h, t.style(roleAccent)).SetSelectable(false))
	}
	r := 1
	u.store.View(func(ss []*session.Session, _ *session.Progress) {
		for si, s := range ss {
			for mi := range s.Messages {
				m := &s.Messages[mi]
				ref := msgRef{sess: si, stream: s.Stream, idx: mi}
				from := m.From
				if from == "" {
					from = m.MailFrom
				}
				to := m.To
				if to == "" {
					to = strings.Join(m.RcptTo, ", ")
				}
				tls := "clear"
				if m.InTLS {
					tls = "TLS"
				}
				st := t.style(roleText)
				if !m.Accepted {
					st = t.style(roleWarn)
				}
				tab.SetCell(r, 0, cell(m.Time.Format("15:04:05.000"), t.style(roleDim)).SetReference(ref))
				tab.SetCell(r, 1, cell(itoa64(s.Stream), t.style(roleDim)))
				tab.SetCell(r, 2, cell(clip(from, 32), st))
				tab.SetCell(r, 3, cell(clip(to, 32), st))
				tab.SetCell(r, 4, cell(clip(m.Subject, 48), st).SetExpansion(1))
				tab.SetCell(r, 5, cell(byteCount(m.Size), st))
				tab.SetCell(r, 6, cell(clip(attachmentNames(m), 40), st))
				tab.SetCell(r, 7, cell(tls, st))
				tab.SetCell(r, 8, cell(replyText(m), st))
				r++
			}
		}
	})
	if r == 1 {
		tab.SetCell(1, 2, cell("no messages in this capture", t.style(roleDim)))
	}
	tab.Select(1, 0).ScrollToBeginning()
	for c := range 9 {
		cw := 0
		for row := range tab.GetRowCount() {
			if tc := tab.GetCell(row, c); tc != nil {
				cw = max(cw, width(tc.Text))
			}
		}
		w += cw + 1
	}
	return max(r-1, 1), max(w+2, width(tab.GetTitle())+4)
}

// attachmentNames is "2: a.pdf, b.png", "" without attachments.
func attachmentNames(m *session.Message) string {
	atts := m.Attachments()
	if len(atts) == 0 {
		return ""
	}
	names := make([]string, 0, len(atts))
	for _, p := range atts {
		n := p.Filename
		if n == "" {
			n = p.MimeType
		}
		names = append(names, n)
	}
	return strconv.Itoa(len(atts)) + ": " + strings.Join(names, ", ")
}

// replyText is "250 accepted", "550 refused", "no reply", "incomplete".
func replyText(m *session.Message) string {
	switch {
	case m.Incomplete:
		return "incomplete"
	case m.Reply == 0:
		return "no reply"
	case m.Accepted:
		return strconv.Itoa(m.Reply) + " accepted"
	}
	return strconv.Itoa(m.Reply) + " refused"
}

// clip cuts s to n cells with an ellipsis.
func clip(s string, n int) string {
	if width(s) <= n {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && width(string(r)) > n-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
