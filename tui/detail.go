package tui

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/smtpcode"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// detailLine is one line of the detail pane. Text is plain (it is made
// inert for tview when drawn); Role colours it.
type detailLine struct {
	Role role
	Text string
}

// detail builds the detail pane for one ladder line of s: decoded fields,
// the frames the event came from, related findings and the teaching text.
func detail(s *session.Session, l *line) []detailLine {
	var d detailDoc
	switch l.kind {
	case lineBand:
		d.head("Phase " + string(l.phase))
		d.lessonPhase(l.phase)
		return d.lines
	case lineDivider:
		d.head("Encryption boundary")
		d.field("TLS mode", string(s.TLS.Mode))
		d.lessonPhase(session.PhaseStartTLS)
		d.lessonPhase(session.PhaseTLSHandshake)
		return d.lines
	}
	if l.event < 0 || l.event >= len(s.Timeline) {
		return d.lines
	}
	e := &s.Timeline[l.event]
	if l.kind == lineRun {
		d.head(strconv.Itoa(l.count) + " encrypted TLS records")
		d.field("Bytes", strconv.FormatInt(l.bytes, 10))
		d.field("From frame", strconv.FormatInt(e.Frame, 10))
		if e.Kind != session.KindTLSBulk {
			d.text(roleDim, "Enter expands or collapses the run.")
		}
		d.lesson(kindLesson(session.KindTLSBulk))
		return d.lines
	}
	d.head(eventTitle(e))
	d.field("Direction", dirText(e.Dir))
	d.field("Phase", string(e.Phase))
	d.field("Time", e.Time.Format("2006-01-02 15:04:05.000000"))
	d.field("Frames", framesText(e))
	if e.InTLS {
		d.field("Inside TLS", "yes")
	}
	if e.Summary != "" {
		d.field("Summary", e.Summary)
	}
	switch e.Kind {
	case session.KindCommand:
		d.command(s, e)
	case session.KindReply:
		d.reply(s, e)
	case session.KindTLS:
		d.record(s, e)
	case session.KindMessage:
		d.message(s, e)
	case session.KindAnomaly:
		if e.Ref >= 0 && e.Ref < len(s.Anomalies) {
			d.field("Anomaly", s.Anomalies[e.Ref].Code)
			d.field("What", s.Anomalies[e.Ref].Summary)
		}
	case session.KindSYN, session.KindSYNACK, session.KindACK:
		if s.RTT > 0 {
			d.field("RTT", shortDuration(s.RTT))
		}
	}
	d.findings(s, e)
	d.lessonPhase(e.Phase)
	d.lesson(kindLesson(e.Kind))
	d.bytes(e.Raw)
	return d.lines
}

// detailDoc accumulates detail lines.
type detailDoc struct{ lines []detailLine }

func (d *detailDoc) head(s string) { d.lines = append(d.lines, detailLine{roleAccent, s}) }

func (d *detailDoc) text(r role, s string) { d.lines = append(d.lines, detailLine{r, s}) }

func (d *detailDoc) field(name, value string) {
	d.lines = append(d.lines, detailLine{roleText, name + ": " + value})
}

func (d *detailDoc) lesson(l about, ok bool) {
	if !ok {
		return
	}
	d.lines = append(d.lines, detailLine{roleText, ""}, detailLine{roleAccent, "About: " + l.Title},
		detailLine{roleText, l.Text}, detailLine{roleDim, l.Ref})
}

func (d *detailDoc) lessonPhase(p session.Phase) { d.lesson(phaseLesson(p)) }

// command adds a command's fields, its reply and, for EHLO, the capability
// list the server answered with (RFC 5321, Section 4.1.1.1).
func (d *detailDoc) command(s *session.Session, e *session.Event) {
	if e.Ref < 0 || e.Ref >= len(s.Commands) {
		return
	}
	c := &s.Commands[e.Ref]
	d.field("Verb", c.Verb)
	if c.Arg != "" {
		d.field("Argument", c.Arg)
	}
	if c.Pipelined {
		d.field("Pipelined", "yes (RFC 2920)")
	}
	if c.Reply != nil {
		d.field("Reply", strconv.Itoa(c.Reply.Code)+" "+smtpcode.Meaning(c.Reply.Code)+
			" (frame "+strconv.FormatInt(c.Reply.Frame, 10)+", after "+shortDuration(c.Reply.Latency)+")")
	} else {
		d.field("Reply", "none seen")
	}
	switch c.Verb {
	case "EHLO", "HELO":
		d.capabilities(s, c.InTLS)
	case "AUTH":
		for _, a := range s.Auth {
			if a.Frame == c.Frame {
				d.field("Mechanism", a.Mechanism)
				if a.User != "" {
					d.field("User", a.User)
				}
				if a.Password != "" {
					d.field("Password", a.Password)
				}
				if a.Result != 0 {
					d.field("Result", strconv.Itoa(a.Result)+" "+smtpcode.Meaning(a.Result))
				}
			}
		}
	}
	d.lesson(verbLesson(c.Verb))
}

// reply adds a reply's code meaning and lines.
func (d *detailDoc) reply(s *session.Session, e *session.Event) {
	if e.Ref < 0 || e.Ref >= len(s.Replies) {
		return
	}
	r := &s.Replies[e.Ref]
	d.field("Code", strconv.Itoa(r.Code)+" "+smtpcode.Meaning(r.Code))
	if r.Enhanced != "" {
		d.field("Enhanced", r.Enhanced+" (RFC 3463)")
	}
	if r.Command >= 0 && r.Command < len(s.Commands) {
		c := &s.Commands[r.Command]
		d.field("Answers", commandLabel(c))
		if c.Verb == "EHLO" {
			d.capabilities(s, r.InTLS)
		}
	} else {
		d.field("Answers", "nothing (greeting or unsolicited)")
	}
	for _, ln := range r.Lines {
		d.text(roleServer, "  "+ln)
	}
	d.lesson(replyClassLesson(r.Code))
}

// capabilities lists the EHLO keywords seen in or out of TLS.
func (d *detailDoc) capabilities(s *session.Session, inTLS bool) {
	if inTLS && d.capabilityDiff(s) {
		return // both lists, side by side
	}
	first := true
	for _, c := range s.Capabilities {
		if c.InTLS != inTLS {
			continue
		}
		if first {
			d.text(roleAccent, "Capabilities")
			first = false
		}
		t := "  " + c.Keyword
		if len(c.Params) > 0 {
			t += " " + strings.Join(c.Params, " ")
		}
		if m := capabilityMeaning(c.Keyword); m != "" {
			t += " — " + m
		}
		d.text(roleText, t)
	}
}

// record adds a TLS record's fields and, for hellos, the session's TLS
// parameters (RFC 8446, Section 4.1.2 and 4.1.3).
func (d *detailDoc) record(s *session.Session, e *session.Event) {
	if e.Ref < 0 || e.Ref >= len(s.TLSRecords) {
		return
	}
	r := &s.TLSRecords[e.Ref]
	d.field("Content type", strconv.Itoa(int(r.Type))+" "+tlsname.ContentTypeName(r.Type))
	d.field("Record version", tlsname.VersionName(r.Version))
	d.field("Length", strconv.Itoa(r.Length))
	for _, h := range r.Handshake {
		d.field("Handshake", strconv.Itoa(int(h))+" "+tlsname.HandshakeName(h))
		switch h {
		case 1: // ClientHello
			d.opt("SNI", s.TLS.SNI)
			d.opt("ALPN", s.TLS.ALPN)
			d.opt("JA3", s.TLS.JA3)
			d.opt("JA4", s.TLS.JA4)
			d.opt("Versions offered", strings.Join(s.TLS.OfferedVersions, ", "))
			if n := len(s.TLS.OfferedSuites); n > 0 {
				d.field("Suites offered", strconv.Itoa(n))
				for _, cs := range s.TLS.OfferedSuites {
					d.text(roleDim, "  "+cs)
				}
			}
		case 2: // ServerHello
			d.opt("Version", s.TLS.Version)
			d.opt("Cipher", s.TLS.Cipher)
			d.opt("JA3S", s.TLS.JA3S)
			d.opt("JA4S", s.TLS.JA4S)
		case 11: // Certificate
			d.certificates(s)
		}
	}
	if r.Encrypted {
		d.field("Content", "encrypted — not assessable without keys")
	}
}

// certificates lists the server's chain: subject, issuer, validity,
// SHA-256 fingerprint and serial (what pivots in Zeek's x509.log), and
// whether the SNI names the leaf.
func (d *detailDoc) certificates(s *session.Session) {
	if m := s.TLS.SNIMatchesCert; m != nil {
		d.field("SNI matches cert", strconv.FormatBool(*m))
	}
	for i, c := range s.TLS.Certificates {
		d.field("Certificate "+strconv.Itoa(i), c.Subject)
		d.opt("  Issuer", c.Issuer)
		if !c.NotAfter.IsZero() {
			d.field("  Valid", c.NotBefore.UTC().Format("2006-01-02")+" to "+c.NotAfter.UTC().Format("2006-01-02"))
		}
		d.opt("  SHA-256", c.SHA256)
		d.opt("  Serial", c.Serial)
		d.opt("  Error", c.Err)
	}
}

func (d *detailDoc) opt(name, value string) {
	if value != "" {
		d.field(name, value)
	}
}

// message adds a mail message's envelope and headers.
func (d *detailDoc) message(s *session.Session, e *session.Event) {
	if e.Ref < 0 || e.Ref >= len(s.Messages) {
		return
	}
	m := &s.Messages[e.Ref]
	d.field("MAIL FROM", m.MailFrom)
	d.field("RCPT TO", strings.Join(m.RcptTo, ", "))
	d.opt("From", m.From)
	d.opt("To", m.To)
	d.opt("Subject", m.Subject)
	d.opt("Date", m.Date)
	d.opt("Message-ID", m.MessageID)
	d.field("Size", strconv.FormatInt(m.Size, 10)+" bytes via "+m.Via)
	d.field("Accepted", strconv.FormatBool(m.Accepted)+" ("+strconv.Itoa(m.Reply)+")")
	if m.Truncated {
		d.field("Kept", "truncated at the body limit")
	}
}

// findings adds the findings whose evidence includes the event's frames,
// each with its explanation (findings.Explain): why it matters, what an
// attacker does with it, the fix and the references.
func (d *detailDoc) findings(s *session.Session, e *session.Event) {
	for _, f := range s.Findings {
		if !e.SharesFrame(f.Frames) {
			continue
		}
		d.text(severityRole(f.Severity), "! Finding "+string(f.Severity)+" "+f.Code+": "+f.Summary)
		d.explain(f.Code)
	}
}

// explain adds the explanation of a finding code.
func (d *detailDoc) explain(code string) {
	x, ok := findings.Explain(code)
	if !ok {
		return
	}
	d.text(roleAccent, "  "+x.Title)
	d.text(roleText, "  Why: "+x.Why)
	d.text(roleText, "  Attack: "+x.Attack)
	d.text(roleText, "  Fix: "+x.Fix)
	d.text(roleDim, "  "+strings.Join(x.References, "; "))
}

// eventTitle is the heading of an event's detail.
func eventTitle(e *session.Event) string {
	switch e.Kind {
	case session.KindCommand:
		return "SMTP command"
	case session.KindReply:
		return "SMTP reply"
	case session.KindTLS:
		return "TLS record"
	}
	return "Event " + string(e.Kind)
}

func dirText(d wire.Dir) string {
	if d == wire.ServerToClient {
		return "server → client (s2c)"
	}
	return "client → server (c2s)"
}

// framesText lists the frames an event came from.
func framesText(e *session.Event) string {
	if len(e.Frames) == 0 {
		return strconv.FormatInt(e.Frame, 10)
	}
	var b strings.Builder
	for i, f := range e.Frames {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == 32 {
			b.WriteString("… (" + strconv.Itoa(len(e.Frames)) + " frames)")
			break
		}
		b.WriteString(strconv.FormatInt(f, 10))
	}
	return b.String()
}
