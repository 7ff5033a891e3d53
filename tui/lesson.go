package tui

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// lessonPage is one page of a session's lesson: the introduction, one page
// per phase band of the ladder, and a summary.
type lessonPage struct {
	title string
	band  int // the ladder line of the band the page explains; -1 for none
	lines []detailLine
}

// maxLessonEvents is how many events a phase page lists.
const maxLessonEvents = 12

// lessonPages builds the lesson of s over its ladder lines: an introduction
// (port roles, MSA and MTA, STARTTLS and implicit TLS, this session), then
// for each phase band what happened (its events), why, what an attacker
// could do, what good looks like and the references, with the lesson of
// every finding whose first evidence is in that phase; then a summary.
func lessonPages(s *session.Session, lines []line) []lessonPage {
	pages := []lessonPage{introPage(s)}
	at := findingBands(s, lines)
	placed := make([]bool, len(s.Findings))
	for i := range lines {
		if lines[i].kind != lineBand {
			continue
		}
		var here []*session.Finding
		for k := range s.Findings {
			if at[k] == i {
				placed[k] = true
				here = append(here, &s.Findings[k])
			}
		}
		pages = append(pages, phasePage(s, lines, i, here))
	}
	pages = append(pages, summaryPage(s, placed))
	n := strconv.Itoa(len(pages))
	for i := range pages {
		head := detailLine{roleAccent, "Lesson " + strconv.Itoa(i+1) + "/" + n + " — " + pages[i].title}
		pages[i].lines = append([]detailLine{head}, pages[i].lines...)
	}
	return pages
}

// introPage teaches the port roles (FINDINGS.md, "Port roles") and how
// this session fits them.
func introPage(s *session.Session) lessonPage {
	p := lessonPage{title: "Ports, roles and TLS", band: -1}
	d := detailDoc{}
	d.text(roleAccent, "Three ports, three jobs")
	d.text(roleText, "Port 25, relay: one mail server (MTA, mail transfer agent) hands mail to the next (RFC 5321). "+
		"TLS is opportunistic: the server offers STARTTLS and the sender uses it if it can (RFC 3207). Many ISPs "+
		"block 25 for end users. Expect a plaintext greeting, STARTTLS, rarely AUTH.")
	d.text(roleText, "Port 587, submission: a mail program (MUA) hands a new message to its provider's MSA, the "+
		"mail submission agent (RFC 6409). The user must authenticate (RFC 6409, Section 4.3), and a password must "+
		"not cross in clear: STARTTLS comes before AUTH PLAIN or LOGIN (RFC 4954, Section 4).")
	d.text(roleText, "Port 465, submissions: the same job with implicit TLS (RFC 8314, preferred for submission): "+
		"TLS from the first byte, so the client's first bytes are a TLS ClientHello.")
	d.text(roleAccent, "STARTTLS or implicit TLS")
	d.text(roleText, "STARTTLS upgrades a connection that began in clear: the offer, the command and its 220 "+
		"travel unprotected, so anything on the path can remove the offer or inject bytes around it. Implicit "+
		"TLS leaves nothing in clear to tamper with.")
	d.text(roleAccent, "This session")
	d.field("Client → server", s.Client.String()+" → "+s.Server.String())
	role := s.PortRole
	if role == "" {
		role = session.RoleOfPort(s.Server.Port)
	}
	d.field("Role", string(role)+" — "+roleMeaning(role))
	d.field("TLS", tlsMeaning(s))
	d.text(roleDim, "Passwords are shown as ******** unless smtpscope runs with --reveal.")
	d.text(roleDim, "] n space: next page   [: previous page   t: leave the lesson")
	d.text(roleDim, "RFC 5321, Section 2.3.10; RFC 6409, Section 3.1; RFC 6409, Section 4.3; RFC 4954, Section 4; RFC 8314, Section 3.3; RFC 3207, Section 4")
	p.lines = d.lines
	return p
}

// roleMeaning says what a port role is for.
func roleMeaning(r session.PortRole) string {
	switch r {
	case session.RoleRelay:
		return "MTA to MTA, opportunistic STARTTLS (RFC 5321, RFC 3207)"
	case session.RoleSubmission:
		return "a client submits mail to its MSA; authentication expected (RFC 6409), inside TLS (RFC 4954)"
	case session.RoleSubmissions:
		return "submission over implicit TLS (RFC 8314)"
	}
	return "not a standard SMTP port; recognised by its SMTP banner or EHLO, judged as port 25"
}

// tlsMeaning describes how the session used TLS.
func tlsMeaning(s *session.Session) string {
	switch s.TLS.Mode {
	case session.TLSStartTLS:
		t := "upgraded with STARTTLS"
		if s.TLS.Version != "" {
			t += " to " + s.TLS.Version
		}
		if s.TLS.EncryptedRecords > 0 && !s.TLS.Decrypted {
			t += "; without its keys the SMTP inside is not assessable (K loads a key log)"
		}
		return t
	case session.TLSImplicit:
		return "implicit TLS from the first byte"
	}
	return "none: everything was sent in clear"
}

// phasePage explains the band at lines[band]: its events, the lessons of
// the findings here, then the phase's teaching text.
func phasePage(s *session.Session, lines []line, band int, here []*session.Finding) lessonPage {
	ph := lines[band].phase
	x := findings.PhaseText(ph)
	p := lessonPage{title: x.Title, band: band}
	d := detailDoc{}
	d.text(roleAccent, "What happened")
	n := 0
	for i := band + 1; i < len(lines) && lines[i].kind != lineBand; i++ {
		l := &lines[i]
		if l.kind == lineDivider {
			d.text(roleDivider, "  "+l.label)
			continue
		}
		if n == maxLessonEvents {
			d.text(roleDim, "  … more on the timeline")
			break
		}
		n++
		side, r := "  C → S  ", roleClient
		if l.dir == wire.ServerToClient {
			side, r = "  C ← S  ", roleServer
		}
		if l.mark != "" {
			side = "! " + side[2:]
		}
		d.text(r, side+l.label)
	}
	for _, t := range phaseContext(s, lines, band) {
		d.text(roleText, t)
	}
	for _, f := range here {
		findingLines(&d.lines, f)
	}
	if len(here) > 0 {
		d.text(roleText, "")
		d.text(roleAccent, "About the phase")
	}
	d.text(roleAccent, "Why")
	d.text(roleText, x.Why)
	if x.Attack != "" {
		d.text(roleAccent, "What an attacker could do here")
		d.text(roleText, x.Attack)
	}
	if x.Fix != "" {
		d.text(roleAccent, "What good looks like")
		d.text(roleText, x.Fix)
	}
	if len(x.References) > 0 {
		d.text(roleDim, "References: "+strings.Join(x.References, "; "))
	}
	p.lines = d.lines
	return p
}

// findingLines adds the lesson of one finding: the verdict, then why,
// the attack, the fix and the references (findings.Explain).
func findingLines(out *[]detailLine, f *session.Finding) {
	d := detailDoc{lines: *out}
	d.text(roleText, "")
	d.text(severityRole(f.Severity), "! Finding here: "+string(f.Severity)+" "+f.Code)
	d.text(roleText, f.Summary)
	if x, ok := findings.Explain(f.Code); ok {
		d.text(roleAccent, x.Title)
		d.text(roleText, "Why: "+x.Why)
		d.text(roleText, "Attack: "+x.Attack)
		d.text(roleText, "Fix: "+x.Fix)
		d.text(roleDim, "References: "+strings.Join(x.References, "; "))
	}
	*out = d.lines
}

// findingBands returns, per finding of s, the ladder line of the band that
// holds its first evidence event (-1 when none of its frames is on the
// timeline).
func findingBands(s *session.Session, lines []line) []int {
	bandOf := make([]int, len(s.Timeline)) // event → band line
	for i := range bandOf {
		bandOf[i] = -1
	}
	band := -1
	for i := range lines {
		l := &lines[i]
		switch {
		case l.kind == lineBand:
			band = i
		case l.event >= 0 && l.event < len(bandOf):
			last := l.event + 1
			if l.kind == lineRun && s.Timeline[l.event].Kind != session.KindTLSBulk {
				last = min(l.event+l.count, len(bandOf))
			}
			for k := l.event; k < last; k++ {
				bandOf[k] = band
			}
		}
	}
	out := make([]int, len(s.Findings))
	for k := range s.Findings {
		out[k] = -1
		for i := range s.Timeline {
			if bandOf[i] >= 0 && sharesFrame(s.Findings[k].Frames, &s.Timeline[i]) {
				out[k] = bandOf[i]
				break
			}
		}
	}
	return out
}

// summaryPage lists the session's findings, with the full lesson of those
// no phase page showed.
func summaryPage(s *session.Session, placed []bool) lessonPage {
	p := lessonPage{title: "Summary", band: -1}
	d := detailDoc{}
	if len(s.Findings) == 0 {
		d.text(roleText, "No findings in what could be seen.")
	}
	for _, f := range s.Findings {
		d.text(severityRole(f.Severity), "! "+string(f.Severity)+" "+f.Code+": "+f.Summary)
	}
	if s.TLS.EncryptedRecords > 0 && !s.TLS.Decrypted {
		x := findings.PhaseText(session.PhaseEncrypted)
		d.text(roleText, "")
		n, b := encryptedTotals(s)
		d.text(roleAccent, "Not assessable: "+plural(n, "encrypted record")+", "+plural(int(b), "byte"))
		d.text(roleText, x.Why)
		d.text(roleText, x.Fix)
	}
	for k := range s.Findings {
		if !placed[k] {
			findingLines(&d.lines, &s.Findings[k])
		}
	}
	d.text(roleDim, "f lists the findings; enter on one jumps to its evidence.")
	p.lines = d.lines
	return p
}

// phaseContext says what is particular to this session in the band at
// lines[band]: whether an EHLO list was protected, and how much an
// encrypted phase hid.
func phaseContext(s *session.Session, lines []line, band int) []string {
	var records, bytes, inTLS, clear int
	for i := band + 1; i < len(lines) && lines[i].kind != lineBand; i++ {
		l := &lines[i]
		switch {
		case l.kind == lineRun:
			records += l.count
			bytes += int(l.bytes)
		case l.event >= 0 && l.event < len(s.Timeline) && smtpKind(s.Timeline[l.event].Kind):
			if s.Timeline[l.event].InTLS {
				inTLS++
			} else {
				clear++
			}
		}
	}
	var out []string
	switch lines[band].phase {
	case session.PhaseEHLO:
		// RFC 3207, Section 4.2: after TLS the client discards the list
		// learned in clear and asks again.
		switch {
		case inTLS > 0 && clear == 0:
			out = append(out, "In this session the EHLO and its list went inside TLS (read here with the key log): "+
				"protected on the path, and the list the client must use.")
		case clear > 0:
			out = append(out, "In this session the EHLO and its list went in clear: anything on the path could "+
				"read or change them.")
		}
	case session.PhaseEncrypted:
		if records > 0 {
			out = append(out, "In this session: "+plural(records, "encrypted record")+", "+plural(bytes, "byte")+
				" that cannot be read without the keys.")
		}
	}
	return out
}

// encryptedTotals counts the records of s that stayed encrypted, and their
// bytes.
func encryptedTotals(s *session.Session) (n int, bytes int64) {
	for i := range s.TLSRecords {
		if r := &s.TLSRecords[i]; r.Encrypted && !r.Decrypted {
			n++
			bytes += int64(r.Length)
		}
	}
	return n, bytes
}

// plural writes n with its noun, in the singular for one.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
