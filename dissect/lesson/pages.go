package lesson

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// Pages builds the lesson of s: an introduction (port roles, MSA and MTA,
// STARTTLS and implicit TLS, this session), then for each phase band what
// happened (its events), the lesson of every finding whose first evidence
// is in that band with its evidence bytes, why, what an attacker could do,
// what good looks like and the references; concept pages after the band
// they belong to; then a summary.
func Pages(s *session.Session) []Page {
	pages := []Page{introPage(s)}
	bands := Bands(s)
	at := findingBands(s, bands)
	concepts := conceptPlaces(s, bands)
	addConcepts := func(after int) {
		for _, c := range concepts {
			if c.after == after {
				pages = append(pages, conceptPage(s, c.code))
			}
		}
	}
	addConcepts(-1)
	taught := make([]bool, len(s.Findings))
	divided := false
	for b := range bands {
		var here []*session.Finding
		for k := range s.Findings {
			if at[k] == b {
				taught[k] = true
				here = append(here, &s.Findings[k])
			}
		}
		pages = append(pages, phasePage(s, bands, b, here, &divided))
		addConcepts(b)
	}
	addConcepts(len(bands))
	pages = append(pages, summaryPage(s, taught))
	return pages
}

// introPage teaches the port roles (FINDINGS.md, "Port roles") and how
// this session fits them.
func introPage(s *session.Session) Page {
	d := doc{}
	d.head("Three ports, three jobs")
	d.text("Port 25, relay: one mail server (MTA, mail transfer agent) hands mail to the next (RFC 5321). " +
		"TLS is opportunistic: the server offers STARTTLS and the sender uses it if it can (RFC 3207). Many ISPs " +
		"block 25 for end users. Expect a plaintext greeting, STARTTLS, rarely AUTH.")
	d.text("Port 587, submission: a mail program (MUA) hands a new message to its provider's MSA, the " +
		"mail submission agent (RFC 6409). The user must authenticate (RFC 6409, Section 4.3), and a password must " +
		"not cross in clear: STARTTLS comes before AUTH PLAIN or LOGIN (RFC 4954, Section 4).")
	d.text("Port 465, submissions: the same job with implicit TLS (RFC 8314, preferred for submission): " +
		"TLS from the first byte, so the client's first bytes are a TLS ClientHello.")
	d.head("STARTTLS or implicit TLS")
	d.text("STARTTLS upgrades a connection that began in clear: the offer, the command and its 220 " +
		"travel unprotected, so anything on the path can remove the offer or inject bytes around it. Implicit " +
		"TLS leaves nothing in clear to tamper with.")
	d.head("This session")
	d.field("Client → server", s.Client.String()+" → "+s.Server.String())
	role := s.PortRole
	if role == "" {
		role = session.RoleOfPort(s.Server.Port)
	}
	d.field("Role", string(role)+" — "+roleMeaning(role))
	d.field("TLS", tlsMeaning(s))
	d.note("Passwords are shown as ******** unless smtpscope runs with --reveal.")
	d.refs([]string{"RFC 5321, Section 2.3.10", "RFC 6409, Section 3.1", "RFC 6409, Section 4.3", "RFC 4954, Section 4",
		"RFC 8314, Section 3.3", "RFC 3207, Section 4"})
	return Page{Title: "Ports, roles and TLS", Kind: Intro, Band: -1, Lines: d.lines}
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
			t += "; without its keys the SMTP inside is not assessable (a key log reads it)"
		}
		return t
	case session.TLSImplicit:
		return "implicit TLS from the first byte"
	}
	return "none: everything was sent in clear"
}

// phasePage explains bands[b]: its events, the lessons of the findings
// here, then the phase's teaching text.
func phasePage(s *session.Session, bands []Band, b int, here []*session.Finding, divided *bool) Page {
	ph := bands[b].Phase
	x := findings.PhaseText(ph)
	d := doc{}
	d.head("What happened")
	happened(&d, s, bands[b], divided)
	for _, t := range phaseContext(s, bands[b]) {
		d.text(t)
	}
	for _, f := range here {
		findingLines(&d, s, f)
	}
	if len(here) > 0 {
		d.blank()
		d.head("About the phase")
	}
	d.head("Why")
	d.text(x.Why)
	if x.Attack != "" {
		d.head("What an attacker could do here")
		d.text(x.Attack)
	}
	if x.Fix != "" {
		d.head("What good looks like")
		d.text(x.Fix)
	}
	d.refs(x.References)
	return Page{Title: x.Title, Kind: Phase, Phase: ph, Band: b, Lines: d.lines}
}

// findingLines adds the lesson of one finding: the verdict, its evidence
// bytes, then why, the attack, the fix and the references
// (findings.Explain). s may be nil (no evidence).
func findingLines(d *doc, s *session.Session, f *session.Finding) {
	d.blank()
	d.lines = append(d.lines, Line{Kind: Finding, Sev: f.Severity, Text: "! Finding here: " + string(f.Severity) + " " + f.Code})
	d.text(f.Summary)
	if s != nil {
		evidence(d, s, f)
	}
	if x, ok := findings.Explain(f.Code); ok {
		d.head(x.Title)
		d.text("Why: " + x.Why)
		d.text("Attack: " + x.Attack)
		d.text("Fix: " + x.Fix)
		d.refs(x.References)
	}
}

// summaryPage lists the session's findings, with the full lesson of those
// no phase page showed.
func summaryPage(s *session.Session, placed []bool) Page {
	d := doc{}
	if len(s.Findings) == 0 {
		d.text("No findings in what could be seen.")
	}
	for _, f := range s.Findings {
		d.lines = append(d.lines, Line{Kind: Finding, Sev: f.Severity, Text: "! " + string(f.Severity) + " " + f.Code + ": " + f.Summary})
	}
	if n, b := EncryptedTotals(s); n > 0 && !s.TLS.Decrypted {
		x := findings.PhaseText(session.PhaseEncrypted)
		d.blank()
		d.head("Not assessable: " + plural(n, "encrypted record") + ", " + plural(int(b), "byte"))
		d.text(x.Why)
		d.text(x.Fix)
	}
	for k := range s.Findings {
		if !placed[k] {
			findingLines(&d, s, &s.Findings[k])
		}
	}
	return Page{Title: "Summary", Kind: Summary, Band: -1, Lines: d.lines}
}

// phaseContext says what is particular to this session in band b: whether
// an EHLO list was protected, how much an encrypted phase hid, and which
// commands rode in the STARTTLS segment.
func phaseContext(s *session.Session, b Band) []string {
	var inTLS, clear int
	var injectedCmds []string
	for i := b.First; i < b.End; i++ {
		e := &s.Timeline[i]
		if !SMTPKind(e.Kind) {
			continue
		}
		if e.InTLS {
			inTLS++
		} else {
			clear++
		}
		if e.Kind == session.KindCommand && e.Ref >= 0 && e.Ref < len(s.Commands) && s.Commands[e.Ref].AfterStartTLS {
			injectedCmds = append(injectedCmds, s.Commands[e.Ref].Verb)
		}
	}
	var out []string
	switch b.Phase {
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
	case session.PhaseStartTLS:
		if len(injectedCmds) > 0 {
			out = append(out, "In this session "+strings.Join(injectedCmds, ", ")+" travelled after STARTTLS before the "+
				"server's 220, in clear: a vulnerable server buffers it and runs it as if it came inside TLS. It "+
				"is part of the STARTTLS attack, not a transaction of its own.")
		}
	case session.PhaseEncrypted:
		if n, bytes := runTotals(s, b.First, b.End); n > 0 {
			out = append(out, "In this session: "+plural(n, "encrypted record")+", "+plural(int(bytes), "byte")+
				" that cannot be read without the keys.")
		}
	}
	return out
}

// EncryptedTotals counts the records of s that stayed encrypted, and their
// bytes.
func EncryptedTotals(s *session.Session) (n int, bytes int64) {
	for i := range s.TLSRecords {
		if r := &s.TLSRecords[i]; r.Encrypted && !r.Decrypted {
			n++
			bytes += int64(r.Length)
		}
	}
	return n, bytes
}
