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

// msgRow is one line of the messages list, its cells' texts made once.
type msgRow struct {
	ref      msgRef
	cells    [9]string
	accepted bool
}

// msgContent is the messages list as a virtual table (ARCHITECTURE.md:
// big lists never become cells up front): cells are made as they are drawn.
type msgContent struct {
	tview.TableContentReadOnly
	u    *UI
	rows []msgRow
}

// msgCols is the number of columns of the messages list.
const msgCols = 9

// msgHeader is the list's header row.
func msgHeader() [msgCols]string {
	return [9]string{"Time", "#", "From", "To", "Subject", "Size", "Attachments", "TLS", "Reply"}
}

// GetCell makes the cell at row r (0 is the header), column c.
func (mc *msgContent) GetCell(r, c int) *tview.TableCell {
	t := mc.u.theme
	if c < 0 || c >= msgCols {
		return nil
	}
	if r == 0 {
		return cell(msgHeader()[c], t.style(roleAccent)).SetSelectable(false)
	}
	if r-1 >= len(mc.rows) {
		if r == 1 && c == 2 {
			return cell("no messages in this capture", t.style(roleDim)).SetSelectable(false)
		}
		return nil
	}
	row := &mc.rows[r-1]
	st := t.style(roleText)
	switch {
	case c < 2:
		st = t.style(roleDim)
	case !row.accepted:
		st = t.style(roleWarn)
	}
	tc := cell(row.cells[c], st)
	if c == 0 {
		tc.SetReference(row.ref)
	}
	if c == 4 {
		tc.SetExpansion(1)
	}
	return tc
}

// GetRowCount counts the header and the rows (one for "no messages").
func (mc *msgContent) GetRowCount() int { return 1 + max(len(mc.rows), 1) }

// GetColumnCount is the number of columns.
func (mc *msgContent) GetColumnCount() int { return msgCols }

// openMessages lists the messages of every session, like NetworkMiner's
// Messages tab: time, stream, from, to, subject, size, attachments, TLS,
// and the reply that accepted or refused it. Enter opens one.
func (u *UI) openMessages() {
	if u.msgList == nil {
		u.msgRows = &msgContent{u: u}
		u.msgList = tview.NewTable().SetContent(u.msgRows).SetSelectable(true, false).SetFixed(1, 0)
		u.msgList.SetBordersColor(u.theme.color(roleDim))
		u.msgList.SetSelectedStyle(u.theme.style(roleAccent).Reverse(true))
		u.pane(u.msgList.Box, " Messages — enter opens, esc closes ")
		u.msgList.SetSelectedFunc(func(r, _ int) {
			if r >= 1 && r-1 < len(u.msgRows.rows) {
				u.openMessage(u.msgRows.rows[r-1].ref)
			}
		})
	}
	n, w := u.fillMessages()
	u.openOverlay(overlayMessages, u.msgList, w, n+3)
}

// fillMessages makes the list's rows; it returns their number and the
// width the table needs.
func (u *UI) fillMessages() (rows, w int) {
	mc := u.msgRows
	mc.rows = mc.rows[:0]
	u.store.View(func(ss []*session.Session, _ *session.Progress) {
		for si, s := range ss {
			for mi := range s.Messages {
				m := &s.Messages[mi]
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
				mc.rows = append(mc.rows, msgRow{ref: msgRef{sess: si, stream: s.Stream, idx: mi}, accepted: m.Accepted,
					cells: [9]string{m.Time.Format("15:04:05.000"), itoa64(s.Stream), clip(from, 32), clip(to, 32),
						clip(m.Subject, 48), byteCount(m.Size), clip(attachmentNames(m), 40), tls, replyText(m)}})
			}
		}
	})
	u.msgList.Select(1, 0).ScrollToBeginning()
	var cw [9]int
	for c, h := range msgHeader() {
		cw[c] = width(h)
	}
	for i := range mc.rows {
		for c, txt := range mc.rows[i].cells {
			cw[c] = max(cw[c], width(txt))
		}
	}
	for _, x := range cw {
		w += x + 1
	}
	return max(len(mc.rows), 1), max(w+2, width(u.msgList.GetTitle())+4)
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
