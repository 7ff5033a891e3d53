package htmlreport

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// messages writes each message's envelope and headers as the model holds
// them; a message's content is never written.
func (p *page) messages(s *session.Session) {
	if len(s.Messages) == 0 {
		return
	}
	p.raw(`<h3>Messages</h3>`, "\n")
	for i, m := range s.Messages {
		p.raw(`<dl class="kv">`)
		kv := func(k, v string) {
			if v != "" {
				p.raw(`<dt>`, k, `</dt><dd>`, v, `</dd>`)
			}
		}
		where := "in clear"
		if m.InTLS {
			where = "inside TLS"
		}
		status := "rejected (" + itoa(m.Reply) + ")"
		switch {
		case m.Accepted:
			status = "accepted (" + itoa(m.Reply) + ")"
		case m.Reply == 0:
			status = "no reply seen"
		}
		kv("message", itoa(i+1)+" · "+esc(m.Via)+" · "+strconv.FormatInt(m.Size, 10)+" bytes · "+status+" · "+where+
			" · frames "+i64(m.FirstFrame)+"–"+i64(m.Frame))
		kv("MAIL FROM", `<span class="mono">`+esc(m.MailFrom)+`</span>`+paramsText(m.MailParams))
		switch {
		case len(m.Rcpts) > 0:
			rc := make([]string, len(m.Rcpts))
			for k, r := range m.Rcpts {
				rc[k] = `<span class="mono">` + esc(r.Addr) + `</span>` + paramsText(r.Params)
				if r.Reply != 0 {
					rc[k] += " (" + itoa(r.Reply) + ")"
				}
			}
			kv("RCPT TO", strings.Join(rc, "<br>"))
		case len(m.RcptTo) > 0:
			rc := make([]string, len(m.RcptTo))
			for k, r := range m.RcptTo {
				rc[k] = esc(r)
			}
			kv("RCPT TO", `<span class="mono">`+strings.Join(rc, ", ")+`</span>`)
		}
		kv("From", esc(m.From))
		kv("To", esc(m.To))
		kv("Cc", esc(strings.Join(m.Cc, ", ")))
		kv("Reply-To", esc(m.ReplyTo))
		kv("Subject", esc(m.Subject))
		kv("Date", esc(m.Date))
		if m.MessageID != "" {
			kv("Message-ID", `<span class="mono">`+esc(m.MessageID)+`</span>`)
		}
		kv("User-Agent", esc(m.UserAgent))
		kv("X-Originating-IP", esc(m.XOriginatingIP))
		if len(m.Path) > 0 {
			kv("path", `<span class="mono">`+esc(strings.Join(m.Path, " ← "))+`</span>`)
		}
		for _, d := range m.DKIM {
			kv("DKIM", "d="+esc(d.Domain)+" s="+esc(d.Selector))
		}
		if m.Smuggling != "" {
			kv("line endings", esc(m.Smuggling))
		}
		if m.Truncated {
			kv("kept", "body truncated at the limit")
		}
		p.raw("</dl>\n")
		p.parts(&m)
	}
}

// parts writes a message's MIME tree as a table: type, name, decoded
// size and hashes (as Zeek's files.log), never the content.
func (p *page) parts(m *session.Message) {
	if len(m.Parts) == 0 {
		return
	}
	p.raw(`<table class="parts"><thead><tr><th>part</th><th>type</th><th>name</th><th>encoding</th>`,
		`<th>size</th><th>hashes</th></tr></thead><tbody>`, "\n")
	for _, pt := range m.Parts {
		section := pt.Section
		if section == "" {
			section = "message"
		}
		typ := esc(pt.MimeType)
		if pt.Charset != "" {
			typ += "; " + esc(pt.Charset)
		}
		name := esc(pt.Filename)
		if pt.Attachment {
			name = "📎 " + name
		}
		var hashes []string
		for _, h := range [][2]string{{"MD5", pt.MD5}, {"SHA-1", pt.SHA1}, {"SHA-256", pt.SHA256}} {
			if h[1] != "" {
				hashes = append(hashes, h[0]+` <span class="mono">`+esc(h[1])+`</span>`)
			}
		}
		size := ""
		if !pt.Multipart {
			size = i64(pt.Size) + " B"
		}
		p.raw(`<tr><td class="mono" style="padding-left:`, itoa(8+12*pt.Depth), `px">`, esc(section), `</td><td>`, typ,
			`</td><td>`, name, `</td><td>`, esc(pt.Encoding), `</td><td data-v="`, i64(pt.Size), `">`, size,
			`</td><td class="hash">`, strings.Join(hashes, "<br>"), "</td></tr>\n")
	}
	p.raw("</tbody></table>\n")
}

// paramsText spells MAIL's or RCPT's decoded ESMTP parameters.
func paramsText(ep *session.EnvParams) string {
	if ep == nil {
		return ""
	}
	var f []string
	if ep.Size > 0 {
		f = append(f, "SIZE="+i64(ep.Size))
	}
	if ep.Body != "" {
		f = append(f, "BODY="+ep.Body)
	}
	if ep.SMTPUTF8 {
		f = append(f, "SMTPUTF8")
	}
	if ep.RequireTLS {
		f = append(f, "REQUIRETLS")
	}
	if ep.Auth != "" {
		f = append(f, "AUTH="+ep.Auth)
	}
	if ep.Ret != "" {
		f = append(f, "RET="+ep.Ret)
	}
	if ep.EnvID != "" {
		f = append(f, "ENVID="+ep.EnvID)
	}
	if len(ep.Notify) > 0 {
		f = append(f, "NOTIFY="+strings.Join(ep.Notify, ","))
	}
	if ep.ORcpt != "" {
		f = append(f, "ORCPT="+ep.ORcptType+";"+ep.ORcpt)
	}
	f = append(f, ep.Other...)
	if len(f) == 0 {
		return ""
	}
	return ` <span class="muted">` + esc(strings.Join(f, " ")) + `</span>`
}
