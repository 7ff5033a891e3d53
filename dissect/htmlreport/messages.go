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
		status := "rejected"
		if m.Accepted {
			status = "accepted"
		}
		kv("message", itoa(i+1)+" · "+esc(m.Via)+" · "+strconv.FormatInt(m.Size, 10)+" bytes · "+status+" ("+itoa(m.Reply)+") · "+where+
			" · frames "+i64(m.FirstFrame)+"–"+i64(m.Frame))
		kv("MAIL FROM", `<span class="mono">`+esc(m.MailFrom)+`</span>`)
		if len(m.RcptTo) > 0 {
			rc := make([]string, len(m.RcptTo))
			for k, r := range m.RcptTo {
				rc[k] = esc(r)
			}
			kv("RCPT TO", `<span class="mono">`+strings.Join(rc, ", ")+`</span>`)
		}
		kv("From", esc(m.From))
		kv("To", esc(m.To))
		kv("Subject", esc(m.Subject))
		kv("Date", esc(m.Date))
		if m.MessageID != "" {
			kv("Message-ID", `<span class="mono">`+esc(m.MessageID)+`</span>`)
		}
		if m.Smuggling != "" {
			kv("line endings", esc(m.Smuggling))
		}
		if m.Truncated {
			kv("kept", "body truncated at the limit")
		}
		p.raw("</dl>\n")
	}
}
