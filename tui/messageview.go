package tui

import (
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// messageView is the open message: its envelope and headers above, its
// MIME tree in the middle (row 0 is "all headers"), the chosen part's
// preview (or every header) below.
type messageView struct {
	ref   msgRef
	m     session.Message // a copy: messages do not change once added
	flex  *tview.Flex
	head  *tview.TextView
	parts *tview.Table
	body  *tview.TextView
}

// openMessage opens the message view on ref.
func (u *UI) openMessage(ref msgRef) {
	var m session.Message
	found := false
	u.store.View(func(ss []*session.Session, _ *session.Progress) {
		if ref.sess < len(ss) && ss[ref.sess].Stream == ref.stream && ref.idx < len(ss[ref.sess].Messages) {
			m, found = ss[ref.sess].Messages[ref.idx], true
		}
	})
	if !found {
		return
	}
	if u.overlay != overlayNone {
		u.closeOverlay()
	}
	t := u.theme
	v := &messageView{ref: ref, m: m}
	v.head = tview.NewTextView().SetDynamicColors(false).SetRegions(false).SetWrap(false)
	v.head.SetTextStyle(t.style(roleText))
	v.head.SetText(envelopeText(ref.stream, &m))
	v.parts = tview.NewTable().SetSelectable(true, false)
	v.parts.SetSelectedStyle(t.style(roleAccent).Reverse(true))
	v.body = tview.NewTextView().SetDynamicColors(false).SetRegions(false).SetWrap(true)
	v.body.SetTextStyle(t.style(roleText))
	v.parts.SetCell(0, 0, cell("headers ("+strconv.Itoa(len(m.Headers))+" fields)", t.style(roleAccent)))
	for i, p := range m.Parts {
		v.parts.SetCell(i+1, 0, cell(partLine(&p), t.style(roleText)))
	}
	v.parts.SetSelectionChangedFunc(func(r, _ int) { v.show(r) })
	v.flex = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(v.head, 7, 0, false).
		AddItem(v.parts, min(len(m.Parts)+1, 10), 0, true).
		AddItem(v.body, 0, 1, false)
	u.pane(v.flex.Box, " Message #"+itoa64(ref.stream)+"."+strconv.Itoa(ref.idx)+
		" — j/k part · e save .eml · a save part · esc closes ")
	u.msgView = v
	// The first part with content is chosen; without parts, the headers.
	first := 0
	for i := range m.Parts {
		if !m.Parts[i].Multipart {
			first = i + 1
			break
		}
	}
	v.parts.Select(first, 0)
	v.show(first)
	u.openOverlay(overlayMessage, v.flex, 120, 40)
	u.app.SetFocus(v.parts)
}

// show fills the lower pane for table row r.
func (v *messageView) show(r int) {
	if r <= 0 || r > len(v.m.Parts) {
		var b strings.Builder
		for _, h := range v.m.Headers {
			b.WriteString(h.Name + ": " + h.Value + "\n")
		}
		for _, p := range v.m.Problems {
			b.WriteString("! " + p + "\n")
		}
		v.body.SetText(b.String()).ScrollToBeginning()
		return
	}
	p := &v.m.Parts[r-1]
	var b strings.Builder
	b.WriteString(p.MimeType)
	if p.Charset != "" {
		b.WriteString("; charset=" + p.Charset)
	}
	b.WriteString(" · " + p.Encoding + " · " + byteCount(p.Size) + " decoded\n")
	if p.Filename != "" {
		b.WriteString("file name: " + p.Filename + "\n")
	}
	if p.MD5 != "" {
		b.WriteString("md5 " + p.MD5 + "\nsha1 " + p.SHA1 + "\nsha256 " + p.SHA256 + "\n")
	}
	b.WriteString("\n")
	switch {
	case p.Multipart:
		b.WriteString("(a container: its parts follow in the list)")
	case p.Preview != "":
		b.WriteString(p.Preview)
		if p.PreviewCut {
			b.WriteString("\n… (preview cut; a saves the whole part)")
		}
	case strings.HasPrefix(p.MimeType, "text/"):
		b.WriteString("(empty)")
	default:
		b.WriteString("(binary content: a saves it)")
	}
	v.body.SetText(b.String()).ScrollToBeginning()
}

// envelopeText is the top pane: envelope, outcome and main headers.
func envelopeText(stream int64, m *session.Message) string {
	var b strings.Builder
	tls := "in clear"
	if m.InTLS {
		tls = "inside TLS"
	}
	b.WriteString("#" + itoa64(stream) + " via " + m.Via + ", " + byteCount(m.Size) + ", " + replyText(m) + ", " + tls + "\n")
	b.WriteString("MAIL FROM <" + m.MailFrom + ">")
	if p := m.MailParams; p != nil {
		b.WriteString(paramText(p))
	}
	b.WriteString("\n")
	for _, r := range m.Rcpts {
		b.WriteString("RCPT TO <" + r.Addr + "> " + strconv.Itoa(r.Reply))
		if r.Params != nil {
			b.WriteString(paramText(r.Params))
		}
		b.WriteString("\n")
	}
	b.WriteString("From: " + m.From + "\nTo: " + m.To + "\nSubject: " + m.Subject + "\n")
	if m.Date != "" {
		b.WriteString("Date: " + m.Date + "\n")
	}
	return b.String()
}

// paramText shows the parsed ESMTP parameters.
func paramText(p *session.EnvParams) string {
	var parts []string
	if p.Size > 0 {
		parts = append(parts, "SIZE="+itoa64(p.Size))
	}
	for _, kv := range [][2]string{{"BODY", p.Body}, {"AUTH", p.Auth}, {"RET", p.Ret}, {"ENVID", p.EnvID}, {"ORCPT", p.ORcpt}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if p.SMTPUTF8 {
		parts = append(parts, "SMTPUTF8")
	}
	if p.RequireTLS {
		parts = append(parts, "REQUIRETLS")
	}
	if len(p.Notify) > 0 {
		parts = append(parts, "NOTIFY="+strings.Join(p.Notify, ","))
	}
	parts = append(parts, p.Other...)
	if len(parts) == 0 {
		return ""
	}
	return "  " + strings.Join(parts, " ")
}

// partLine is one row of the MIME tree.
func partLine(p *session.Part) string {
	s := strings.Repeat("  ", p.Depth)
	if p.Section != "" {
		s += p.Section + " "
	}
	s += p.MimeType
	if p.Filename != "" {
		s += "  \"" + p.Filename + "\""
	}
	if !p.Multipart {
		s += "  " + byteCount(p.Size)
	}
	if p.Attachment {
		s += "  attachment"
	}
	if p.Incomplete {
		s += "  incomplete"
	}
	return s
}

// saveMessage asks where to save the open message (.eml) or its chosen
// part, then re-reads it from the capture (Options.SaveMessage).
func (u *UI) saveMessage(part bool) {
	v := u.msgView
	if v == nil {
		return
	}
	if u.opts.SaveMessage == nil {
		u.say(roleWarn, "this capture cannot be read again (stdin): nothing to save from")
		return
	}
	idx, what := -1, "the message"
	name := "s" + itoa64(v.ref.stream) + "-m" + strconv.Itoa(v.ref.idx) + ".eml"
	if part {
		r, _ := v.parts.GetSelection()
		if r <= 0 || r > len(v.m.Parts) || v.m.Parts[r-1].Multipart {
			u.say(roleWarn, "choose a part with content first (j/k)")
			return
		}
		p := &v.m.Parts[r-1]
		idx, what = r-1, "part "+p.Section
		fallback := "part" + strings.ReplaceAll(p.Section, ".", "-") + ".bin"
		name = "s" + itoa64(v.ref.stream) + "-m" + strconv.Itoa(v.ref.idx) + "-" + plainName(p.Filename, fallback)
	}
	stream, m := v.ref.stream, v.m
	u.askSave(what, name, func(w io.Writer) error { return u.opts.SaveMessage(stream, &m, idx, w) })
}

// plainName makes a suggested file name of a name the sender chose: its
// last element, no control or escaped bytes, no leading dots.
func plainName(name, fallback string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"|?*`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(name, ". ")
	if name == "" || name == "/" {
		return fallback
	}
	return name
}

// messageAt returns the message a timeline line shows (a KindMessage
// event, or a DATA/BDAT command: the message that follows it).
func (u *UI) messageAt(r int) (msgRef, bool) {
	if r < 0 || r >= len(u.lines) || u.lines[r].kind != lineEvent {
		return msgRef{}, false
	}
	ev := u.lines[r].event
	var ref msgRef
	ok := false
	u.withSelected(func(s *session.Session) {
		if ev < 0 || ev >= len(s.Timeline) {
			return
		}
		e := &s.Timeline[ev]
		switch {
		case e.Kind == session.KindMessage && e.Ref >= 0 && e.Ref < len(s.Messages):
			ref, ok = msgRef{sess: u.sel, stream: s.Stream, idx: e.Ref}, true
		case e.Kind == session.KindCommand && e.Ref >= 0 && e.Ref < len(s.Commands) &&
			(s.Commands[e.Ref].Verb == "DATA" || s.Commands[e.Ref].Verb == "BDAT"):
			for i := ev + 1; i < len(s.Timeline); i++ {
				if t := &s.Timeline[i]; t.Kind == session.KindMessage && t.Ref >= 0 && t.Ref < len(s.Messages) {
					ref, ok = msgRef{sess: u.sel, stream: s.Stream, idx: t.Ref}, true
					return
				}
			}
		}
	})
	return ref, ok
}
