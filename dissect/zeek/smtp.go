package zeek

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// txn is one smtp.log record: a mail transaction as Zeek's SMTP script
// delimits them (base/protocols/smtp/main.zeek): a record starts at the
// first SMTP event of the connection and after each message; a MAIL
// command writes the record before it when that saw client activity
// (MAIL, RCPT or STARTTLS); the reply that ends a message (to the body
// after DATA's 354, or to BDAT ... LAST) writes it and counts a message
// (trans_depth); the end of the connection writes what is left.
type txn struct {
	ts        time.Time
	depth     int
	helo      string
	mailfrom  string
	rcptto    []string
	lastReply string
	replyCode int
	latency   time.Duration
	tls       bool
	activity  bool
	inTLS     bool
	msg       *session.Message
	msgIndex  int
	auth      []string
}

// Transactions splits a session into smtp.log records.
func transactions(s *session.Session) []txn {
	type ev struct {
		frame int64
		cmd   int // index into Commands, or -1
		rep   int // index into Replies, or -1
	}
	evs := make([]ev, 0, len(s.Commands)+len(s.Replies))
	for i, c := range s.Commands {
		evs = append(evs, ev{c.Frame, i, -1})
	}
	for i, r := range s.Replies {
		evs = append(evs, ev{r.Frame, -1, i})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].frame < evs[j].frame })
	var out []txn
	transferred := 0
	helo := ""
	var cur *txn
	newTxn := func(t time.Time) *txn {
		return &txn{ts: t, depth: transferred + 1, helo: helo}
	}
	msgs := s.Messages
	nextMsg := 0
	flush := func(uptoFrame int64) {
		// The message whose body went by belongs to this record.
		for nextMsg < len(msgs) && msgs[nextMsg].FirstFrame <= uptoFrame {
			if cur.msg == nil {
				cur.msg, cur.msgIndex = &msgs[nextMsg], nextMsg
			}
			nextMsg++
		}
		if cur.activity {
			out = append(out, *cur)
		}
	}
	saw354 := map[int]bool{}
	for _, e := range evs {
		if e.cmd >= 0 {
			c := s.Commands[e.cmd]
			if cur == nil {
				cur = newTxn(c.Time)
			}
			arg := c.Arg
			switch c.Verb {
			case "HELO", "EHLO":
				helo = arg
				cur.helo = arg
			case "MAIL":
				if !hasPrefixFold(arg, "FROM:") {
					break
				}
				if cur.activity {
					flush(c.Frame - 1)
					cur = newTxn(c.Time)
				}
				if a := emailAddrs(arg); len(a) > 0 {
					cur.mailfrom = a[0]
				}
				cur.activity = true
				cur.inTLS = c.InTLS
			case "RCPT":
				if !hasPrefixFold(arg, "TO:") {
					break
				}
				for _, a := range emailAddrs(arg) {
					a = strings.Replace(a, "ORCPT=rfc822;", "", 1)
					a = strings.Replace(a, "ORCPT=rfc822", "", 1)
					cur.rcptto = addUnique(cur.rcptto, a)
				}
				cur.activity = true
			}
			continue
		}
		r := s.Replies[e.rep]
		if cur == nil {
			cur = newTxn(r.Time)
		}
		cur.lastReply = lastReply(r)
		if r.Command < 0 || r.Command >= len(s.Commands) {
			continue
		}
		c := s.Commands[r.Command]
		end := false
		switch c.Verb {
		case "STARTTLS":
			if r.Code == 220 {
				cur.tls, cur.activity = true, true
			}
		case "DATA":
			if saw354[r.Command] {
				end = true
			} else if r.Code == 354 {
				saw354[r.Command] = true
			}
		case "BDAT":
			end = hasSuffixFold(c.Arg, " LAST")
		case "AUTH":
			if r.Code != 334 {
				mech, _, _ := strings.Cut(c.Arg, " ")
				cur.auth = addUnique(cur.auth, strings.ToUpper(mech)+"="+strconv.Itoa(r.Code))
			}
		}
		if end {
			cur.replyCode = r.Code
			if c.Reply != nil {
				cur.latency = r.Time.Sub(previousTime(s, r, c))
			}
			transferred++
			flush(r.Frame)
			cur = newTxn(r.Time)
		}
	}
	if cur != nil {
		flush(1<<62 - 1)
	}
	return out
}

// previousTime is when the client finished what r answers: the last
// command or message frame before r (for the paired latency).
func previousTime(s *session.Session, r session.Reply, c session.Command) time.Time {
	t := c.Time
	for _, m := range s.Messages {
		if m.Frame <= r.Frame && m.Time.After(t) && !m.Time.After(r.Time) {
			t = m.Time
		}
	}
	return t
}

// lastReply is Zeek's last_reply: the code and the text of the reply's
// last line (the smtp_reply event of the final line wins).
func lastReply(r session.Reply) string {
	text := ""
	if n := len(r.Lines); n > 0 {
		text = r.Lines[n-1]
	}
	return strconv.Itoa(r.Code) + " " + text
}

// emailAddrs finds the addresses in a MAIL or RCPT argument as Zeek's
// extract_email_addrs_vec does (base/utils/email.zeek): a run without
// "<", ",", ":" or blanks before an "@", and without ">", ",", ";" or
// blanks after it.
func emailAddrs(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		a := i
		for a > 0 && !strings.ContainsRune("<,: \t@", rune(s[a-1])) {
			a--
		}
		z := i + 1
		for z < len(s) && !strings.ContainsRune(">,; \t@", rune(s[z])) {
			z++
		}
		if a == i || z == i+1 {
			continue
		}
		out = append(out, s[a:z])
		i = z - 1
	}
	return out
}

// splitAddresses splits a To or Cc header value at the commas outside
// quotes and angle brackets (Zeek's split_mime_email_addresses), each
// part trimmed.
func splitAddresses(v string) []string {
	var out []string
	quote, angle := false, 0
	start := 0
	add := func(p string) {
		if p = strings.TrimSpace(p); p != "" {
			out = addUnique(out, p)
		}
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			quote = !quote
		case quote:
		case c == '<':
			angle++
		case c == '>' && angle > 0:
			angle--
		case c == ',' && angle == 0:
			add(v[start:i])
			start = i + 1
		}
	}
	add(v[start:])
	return out
}

func addUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

func hasSuffixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[len(s)-len(p):], p)
}

// smtpRows are the smtp.log records of s.
func smtpRows(s *session.Session, uid string, ids fileIDs) []Row {
	var rows []Row
	codes := findingCodes(s)
	for _, t := range transactions(s) {
		r := newRow(SMTPSchema)
		r.set("ts", Time(t.ts))
		r.set("uid", Str(uid))
		r.connID(s)
		r.set("trans_depth", Count(int64(t.depth)))
		r.set("helo", StrOpt(t.helo))
		r.set("mailfrom", StrOpt(t.mailfrom))
		r.set("rcptto", ListOpt(t.rcptto))
		r.set("last_reply", StrOpt(t.lastReply))
		r.set("path", List([]string{s.Server.IP, s.Client.IP}))
		r.set("tls", Bool(t.tls))
		r.set("fuids", List(nil))
		r.set("smtpscope_stream", Count(s.Stream))
		if t.replyCode != 0 {
			r.set("smtpscope_reply_code", Count(int64(t.replyCode)))
			r.set("smtpscope_reply_latency", Interval(t.latency))
		}
		if m := t.msg; m != nil {
			h := readHeaders(m, s.Server.IP, s.Client.IP)
			r.set("date", StrOpt(h.date))
			r.set("from", StrOpt(h.from))
			if h.to != nil {
				r.set("to", List(h.to))
			}
			if h.cc != nil {
				r.set("cc", List(h.cc))
			}
			r.set("reply_to", StrOpt(h.replyTo))
			r.set("msg_id", StrOpt(h.msgID))
			r.set("in_reply_to", StrOpt(h.inReplyTo))
			r.set("subject", StrOpt(h.subject))
			r.set("x_originating_ip", Addr(h.xOrigIP))
			r.set("first_received", StrOpt(h.firstReceived))
			r.set("second_received", StrOpt(h.secondReceived))
			r.set("path", List(h.path))
			r.set("user_agent", StrOpt(h.userAgent))
			r.set("fuids", List(ids.leafFuids(t.msgIndex)))
			r.set("smtpscope_accepted", Bool(m.Accepted))
			r.set("smtpscope_size", Count(m.Size))
			r.set("smtpscope_via", StrOpt(m.Via))
			r.set("smtpscope_in_tls", Bool(m.InTLS))
			smug := m.Smuggling
			if m.SmugglingOutcome != "" {
				smug += " (" + m.SmugglingOutcome + ")"
			}
			r.set("smtpscope_smuggling", StrOpt(smug))
		}
		r.set("smtpscope_tls_mode", Str(string(s.TLS.Mode)))
		r.set("smtpscope_auth", ListOpt(t.auth))
		r.set("smtpscope_findings", ListOpt(codes))
		rows = append(rows, r.row)
	}
	return rows
}

func findingCodes(s *session.Session) []string {
	var out []string
	for _, f := range s.Findings {
		out = addUnique(out, f.Code)
	}
	return out
}

// rowBuilder fills a row by column name.
type rowBuilder struct {
	schema Schema
	row    Row
}

func newRow(s Schema) *rowBuilder {
	return &rowBuilder{schema: s, row: make(Row, len(s.Fields))}
}

// set assigns a column. A name the schema lacks is a programming error
// (every path runs in the golden tests): it panics.
func (b *rowBuilder) set(name string, v Value) {
	for i, f := range b.schema.Fields {
		if f.Name == name {
			b.row[i] = v
			return
		}
	}
	panic("zeek: " + b.schema.Path + ".log has no column " + name)
}

func (b *rowBuilder) connID(s *session.Session) {
	b.set("id.orig_h", Addr(s.Client.IP))
	b.set("id.orig_p", Port(s.Client.Port))
	b.set("id.resp_h", Addr(s.Server.IP))
	b.set("id.resp_p", Port(s.Server.Port))
}
