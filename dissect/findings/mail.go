package findings

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// ruleMailPlaintext: MAIL, RCPT, DATA or BDAT in clear: the envelope and the
// body can be read and changed on the path (RFC 3207, Section 1).
func ruleMailPlaintext(f *facts) []session.Finding {
	if f.clearMail < 0 && f.clearData < 0 {
		return nil
	}
	s := f.s
	ev := []int64{f.cmdFrame(f.clearMail), f.cmdFrame(f.clearData)}
	sum := "mail envelope sent in clear"
	n := 0
	for i := range s.Messages {
		if !s.Messages[i].InTLS {
			n++
			ev = append(ev, s.Messages[i].Frame)
		}
	}
	if n > 0 {
		sum = "mail envelope and " + itoa(n) + " message(s) sent in clear"
	}
	sev := byRole(s.PortRole, session.SevMedium, session.SevHigh)
	return one(finding(CodeMailPlaintext, sev, sum, ev...))
}

// ruleDataRejected: DATA (or BDAT) answered 4xx/5xx instead of 354: the
// lines that follow are commands, not a message (RFC 5321, Section 3.3 and
// Section 4.1.1.4).
func ruleDataRejected(f *facts) []session.Finding {
	s := f.s
	var out []session.Finding
	for i := range s.Commands {
		c := &s.Commands[i]
		if c.Verb != "DATA" || c.Reply == nil || c.Reply.Code < 400 {
			continue
		}
		out = append(out, finding(CodeDataRejected, session.SevInfo,
			"DATA refused with "+itoa(c.Reply.Code)+": the lines after it are commands, not a message", c.Frame, c.Reply.Frame))
	}
	return out
}

// ruleSmuggling: line-ending oddities inside a DATA body (RFC 5321,
// Section 2.3.8 allows only CRLF; CVE-2023-51764/51765/51766), judged by
// what the server's replies show it did (FINDINGS.md): crit when it ended
// the message at the look-alike, ran the rest and accepted a second
// message; high when it ran them but the hidden message was not accepted,
// or when no reply shows the outcome; medium when one reply answered the
// whole message (kept inside it); low when it refused the message, or for
// bare CR/LF alone.
func ruleSmuggling(f *facts) []session.Finding {
	s := f.s
	var out []session.Finding
	for i := range s.Messages {
		m := &s.Messages[i]
		if m.Smuggled {
			continue // judged with the message that hid it
		}
		ev := messageSmuggling(s, i)
		if ev == "" {
			continue
		}
		sev, sum := smugglingVerdict(ev)
		if sev == "" {
			continue
		}
		frames := []int64{m.FirstFrame, m.Frame}
		if sev == session.SevHigh {
			sev, sum = smugglingOutcome(s, i, &frames)
		}
		out = append(out, finding(CodeSmuggling, sev, sum, frames...))
	}
	return out
}

// smugglingOutcome words the verdict on message i, which holds an
// end-of-data look-alike, from the outcome its replies showed.
func smugglingOutcome(s *session.Session, i int, frames *[]int64) (session.Severity, string) {
	m := &s.Messages[i]
	dots := dotKinds(m.Smuggling)
	switch m.SmugglingOutcome {
	case "ran":
		cmds := 0
		for j := range s.Commands {
			if s.Commands[j].Smuggled {
				cmds++
				*frames = append(*frames, s.Commands[j].Frame)
			}
		}
		hidden, accepted := 0, 0
		for j := i + 1; j < len(s.Messages) && s.Messages[j].Smuggled; j++ {
			hidden++
			if s.Messages[j].Accepted {
				accepted++
				*frames = append(*frames, s.Messages[j].Frame)
			}
		}
		sum := "the server ended the message at " + dots + " and ran the rest as " + itoa(cmds) + " smuggled command(s)"
		if accepted > 0 {
			return session.SevCrit, sum + ": a second message was accepted (SMTP smuggling)"
		}
		return session.SevHigh, sum + "; the hidden message (" + itoa(hidden) + ") was not accepted"
	case "kept":
		return session.SevMedium, "end-of-data look-alike inside the message (" + dots + "): one reply answered the whole " +
			"message, so the server kept it inside (normalised); a lenient server would have run the rest as commands"
	case "refused":
		return session.SevLow, "end-of-data look-alike inside the message (" + dots + "): the server refused the message (" +
			itoa(m.Reply) + ")"
	}
	return session.SevHigh, "end-of-data look-alike inside the message (" + dots + "), and no reply shows what the " +
		"server did: a server that accepts it ends the message early and runs the rest as commands (SMTP smuggling)"
}

// dotKinds returns the end-of-data look-alikes of a smuggling evidence
// string, comma-separated.
func dotKinds(ev string) string {
	var dots []string
	for _, k := range strings.Split(ev, ",") {
		switch k = strings.TrimSpace(k); k {
		case `\n.\n`, `\n.\r\n`, `\r.\r`:
			dots = append(dots, k)
		}
	}
	return strings.Join(dots, ", ")
}

// smugglingVerdict rates the smuggling evidence string of a message (the
// kinds smtp.Smuggling.String spells: `\n.\n`, `\n.\r\n`, `\r.\r`,
// bare-lf, bare-cr, comma-separated).
func smugglingVerdict(ev string) (session.Severity, string) {
	var dots, bare []string
	for _, k := range strings.Split(ev, ",") {
		switch k = strings.TrimSpace(k); k {
		case `\n.\n`, `\n.\r\n`, `\r.\r`:
			dots = append(dots, k)
		case "bare-lf", "bare-cr":
			bare = append(bare, k)
		}
	}
	switch {
	case len(dots) > 0:
		return session.SevHigh, "end-of-data look-alike inside the message (" + strings.Join(dots, ", ") +
			"): a server that accepts it ends the message early and runs the rest as commands (SMTP smuggling)"
	case len(bare) > 0:
		return session.SevLow, "bare line endings inside the message (" + strings.Join(bare, ", ") + "); no end-of-data look-alike"
	}
	return "", ""
}

// messageSmuggling returns the smuggling evidence of message i. The model
// has no Message.Smuggling field yet (proposed): until it does, the
// evidence comes from an anomaly with code smtp.smuggling in the message's
// frame range whose summary ends with the kinds after a colon.
func messageSmuggling(s *session.Session, i int) string {
	return s.Messages[i].Smuggling
}

// ruleOverlong: lines over RFC 5321's limits (Section 4.5.3.1.4: 512
// octets per command line, 4.5.3.1.6: 1000 per text line; RFC 4954,
// Section 4: 12288 for AUTH), NUL, or 8-bit commands without SMTPUTF8 (RFC
// 6531, Section 3.3). Low; medium when a line is huge (16 KiB or more, or
// the parser's buffer limit was hit).
func ruleOverlong(f *facts) []session.Finding {
	s := f.s
	utf8 := false
	for _, c := range s.Capabilities {
		utf8 = utf8 || strings.EqualFold(c.Keyword, "SMTPUTF8")
	}
	sev := session.SevLow
	var ev []int64
	var what []string
	for _, a := range s.Anomalies {
		switch a.Code {
		case "smtp.overlong_line":
			if lineBytes(a.Summary) >= hugeLine {
				sev = session.SevMedium
			}
			what = addKind(what, "overlong line")
		case "smtp.buffer_limit":
			sev = session.SevMedium
			what = addKind(what, "line over the buffer limit")
		case "smtp.nul":
			what = addKind(what, "NUL byte")
		case "smtp.8bit_command":
			if utf8 {
				continue
			}
			what = addKind(what, "8-bit command without SMTPUTF8")
		default:
			continue
		}
		ev = append(ev, a.Frame)
	}
	if len(ev) == 0 {
		return nil
	}
	return one(finding(CodeOverlong, sev, strings.Join(what, ", ")+" ("+itoa(len(ev))+"×): often evasion or fuzzing", ev...))
}

// hugeLine is the line length from which an overlong line is medium.
const hugeLine = 16 << 10

// lineBytes reads N from the smtp parser's "line of N bytes exceeds …".
func lineBytes(sum string) int {
	const p = "line of "
	i := strings.Index(sum, p)
	if i < 0 {
		return 0
	}
	rest := sum[i+len(p):]
	j := strings.IndexByte(rest, ' ')
	if j < 0 {
		return 0
	}
	n, err := strconv.Atoi(rest[:j])
	if err != nil {
		return 0
	}
	return n
}

// addKind appends k unless present.
func addKind(list []string, k string) []string {
	if contains(list, k) {
		return list
	}
	return append(list, k)
}
