package build

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/message"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/smtp"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// maxInFlight bounds the messages of one connection parsed at once: with
// PIPELINING or CHUNKING the next message may start before the reply to
// the previous one (which emits it) arrives. More are counted
// (mime-in-flight) and get no content.
const maxInFlight = 4

// inflight is a message whose bytes are streaming through the message
// layer (smtp.Options.StreamBody).
type inflight struct {
	seq int
	p   *message.Parser
}

// onBody feeds message bytes to the message layer.
func (c *conn) onBody(e *smtp.Event) {
	if t := c.b.opts.Tap; t != nil {
		t.Body(c.s.Stream, e.Body.Seq, e.Body.Data, e.Body.Gap)
	}
	if c.b.opts.NoContent {
		return
	}
	p := c.inflight(e.Body.Seq, true)
	if p == nil {
		return
	}
	if e.Body.Gap > 0 {
		p.Gap(e.Body.Gap)
		return
	}
	p.Write(e.Body.Data)
}

// inflight returns the parser of message seq, making it when make is set.
func (c *conn) inflight(seq int, make bool) *message.Parser {
	for _, f := range c.msgs {
		if f.seq == seq {
			return f.p
		}
	}
	if !make {
		return nil
	}
	if len(c.msgs) >= maxInFlight {
		c.b.limits[wire.LimitMIMEInFlight]++
		return nil
	}
	p := message.New(c.b.opts.Message)
	c.msgs = append(c.msgs, inflight{seq: seq, p: p})
	return p
}

// content closes the parser of message seq and copies its result into msg.
func (c *conn) content(seq int, msg *session.Message, smuggled bool) {
	if c.b.opts.NoContent || smuggled {
		return // a smuggled message is rebuilt from held bytes: no stream
	}
	p := c.inflight(seq, false)
	if p == nil {
		p = message.New(c.b.opts.Message) // an empty message
	} else {
		for i, f := range c.msgs {
			if f.seq == seq {
				c.msgs = append(c.msgs[:i], c.msgs[i+1:]...)
				break
			}
		}
	}
	r := p.Close()
	fill(msg, r, c.s, len(c.s.Messages))
	if r.Size > msg.Size && msg.SmugglingOutcome == "ran" {
		// The server ended the message at an end-of-data look-alike; the
		// message layer read on to the real end (RFC 5321, 4.1.1.4).
		msg.Problems = append(msg.Problems, "the server ended this message after "+strconv.FormatInt(msg.Size, 10)+
			" bytes (SMTP smuggling); its parts were read to the client's end of data, "+strconv.FormatInt(r.Size, 10)+" bytes")
	}
	for l, n := range r.Limits {
		c.b.limits[l] += n
	}
}

// fill copies the message layer's result r into the model's message, the
// idx-th of session s.
func fill(msg *session.Message, r *message.Message, s *session.Session, idx int) {
	if r.From != "" {
		msg.From = r.From
	}
	if r.Subject != "" {
		msg.Subject = r.Subject
	}
	if r.Date != "" {
		msg.Date = r.Date
	}
	if r.MessageID != "" {
		msg.MessageID = r.MessageID
	}
	msg.Cc, msg.Bcc, msg.ReplyTo = r.Cc, r.Bcc, r.ReplyTo
	msg.InReplyTo, msg.References = r.InReplyTo, r.References
	msg.Received, msg.UserAgent, msg.XOriginatingIP = r.Received, r.UserAgent, r.XOriginatingIP
	msg.AuthResults, msg.ReceivedSPF = r.AuthResults, r.ReceivedSPF
	// Zeek's path: the server, the client, then each Received's address.
	msg.Path = append([]string{s.Server.IP, s.Client.IP}, r.ReceivedIPs...)
	for _, d := range r.DKIM {
		msg.DKIM = append(msg.DKIM, session.DKIM{Domain: d.Domain, Selector: d.Selector})
	}
	for _, a := range r.ARC {
		msg.ARC = append(msg.ARC, session.ARC{Instance: a.Instance, Domain: a.Domain, Selector: a.Selector, CV: a.CV})
	}
	msg.Headers = make([]session.Header, len(r.Headers))
	for i, h := range r.Headers {
		msg.Headers[i] = session.Header{Name: h.Name, Value: h.Value}
	}
	msg.Parts = make([]session.Part, len(r.Parts))
	prefix := "F" + strconv.FormatInt(s.Stream, 10) + "." + strconv.Itoa(idx) + "."
	for i := range r.Parts {
		p := &r.Parts[i]
		q := session.Part{ID: prefix + strconv.Itoa(i), Section: p.Section, Parent: p.Parent, Depth: p.Depth,
			MimeType: p.ContentType, Charset: p.Charset, Encoding: p.Encoding, Disposition: p.Disposition,
			Filename: p.Filename, ContentID: p.ContentID, Description: p.Description, Multipart: p.Multipart,
			Attachment: p.Attachment(), Size: p.Size, EncodedSize: p.EncodedSize, MD5: p.MD5, SHA1: p.SHA1,
			SHA256: p.SHA256, Preview: p.Preview, PreviewCut: p.PreviewCut, BadBytes: p.BadBytes, Incomplete: p.Incomplete}
		msg.Parts[i] = q
		if !p.Multipart {
			msg.Fuids = append(msg.Fuids, q.ID)
		}
	}
	msg.Problems = r.Problems
	if len(r.Limits) > 0 {
		msg.Limits = map[string]int64{}
		for l, n := range r.Limits {
			msg.Limits[l.String()] = n
		}
	}
}

// envParams copies the parameters of MAIL or RCPT; nil when there were none.
func envParams(p smtp.Params) *session.EnvParams {
	if !p.HasSize && p.Body == "" && !p.SMTPUTF8 && !p.RequireTLS && p.Auth == "" && p.Ret == "" && p.EnvID == "" &&
		len(p.Notify) == 0 && p.ORcpt == "" && len(p.Other) == 0 && len(p.Problems) == 0 {
		return nil
	}
	q := &session.EnvParams{Size: p.Size, Body: p.Body, SMTPUTF8: p.SMTPUTF8, RequireTLS: p.RequireTLS, Auth: p.Auth,
		Ret: p.Ret, EnvID: p.EnvID, Notify: append([]string(nil), p.Notify...), ORcpt: p.ORcpt, ORcptType: p.ORcptType,
		Problems: append([]string(nil), p.Problems...)}
	for _, o := range p.Other {
		s := o.Keyword
		if o.Value != "" {
			s += "=" + o.Value
		}
		q.Other = append(q.Other, s)
	}
	return q
}

// attachmentSummary names a message's attachments for its timeline line:
// "2 attachments: a.pdf (12.0 KiB), b.png (3.1 KiB)".
func attachmentSummary(m *session.Message) string {
	atts := m.Attachments()
	if len(atts) == 0 {
		return ""
	}
	var b strings.Builder
	if len(atts) == 1 {
		b.WriteString("attachment: ")
	} else {
		b.WriteString(strconv.Itoa(len(atts)) + " attachments: ")
	}
	for i, p := range atts {
		if i == 8 {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		name := p.Filename
		if name == "" {
			name = "(" + p.MimeType + ")"
		}
		b.WriteString(name + " (" + sizeText(p.Size) + ")")
	}
	return b.String()
}

// sizeText is a byte count for people: "512 B", "12.0 KiB", "2.0 MiB".
func sizeText(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KiB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}
