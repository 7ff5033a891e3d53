package lesson

import (
	"slices"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// CompareRow is one step of a side-by-side lesson: the same phase in two
// sessions (a good one and its bad counterpart), what differs, and each
// side's page (nil where that session has no such phase).
type CompareRow struct {
	Title       string
	Phase       session.Phase // "" for the introduction and the summary
	Diff        []string
	Left, Right *Page
}

// Compare aligns the lessons of left and right phase by phase (the longest
// common sequence of their bands, so a phase one session lacks, such as
// STARTTLS, gets a row of its own) between an introduction row and a
// summary row, and says in each row what differs.
func Compare(left, right *session.Session) []CompareRow {
	lb, rb := Bands(left), Bands(right)
	lp, rp := phasePages(left, lb), phasePages(right, rb)
	li, ri := SessionIntro(left), SessionIntro(right)
	rows := []CompareRow{{Title: "Ports, roles and TLS", Left: &li, Right: &ri, Diff: introDiff(left, right)}}
	for _, pr := range alignBands(lb, rb) {
		row := CompareRow{}
		if pr[0] >= 0 {
			row.Left = &lp[pr[0]]
			row.Phase = lb[pr[0]].Phase
		}
		if pr[1] >= 0 {
			row.Right = &rp[pr[1]]
			row.Phase = rb[pr[1]].Phase
		}
		row.Title = findings.PhaseText(row.Phase).Title
		row.Diff = bandDiff(left, right, lb, rb, pr)
		rows = append(rows, row)
	}
	ls, rs := summaryOf(left), summaryOf(right)
	rows = append(rows, CompareRow{Title: "Summary", Left: &ls, Right: &rs, Diff: findingDiff(left.Findings, right.Findings)})
	return rows
}

// SessionIntro is the "This session" part of the introduction, for where
// the general text was already shown (the other side of a comparison, the
// later sessions of a tour).
func SessionIntro(s *session.Session) Page {
	p := introPage(s)
	for i, l := range p.Lines {
		if l.Kind == Heading && l.Text == "This session" {
			p.Lines = p.Lines[i:]
			break
		}
	}
	return p
}

// phasePages returns the phase page of every band of s, findings placed as
// in Pages.
func phasePages(s *session.Session, bands []Band) []Page {
	at := findingBands(s, bands)
	divided := false
	out := make([]Page, len(bands))
	for b := range bands {
		var here []*session.Finding
		for k := range s.Findings {
			if at[k] == b {
				here = append(here, &s.Findings[k])
			}
		}
		out[b] = phasePage(s, bands, b, here, &divided)
	}
	return out
}

// summaryOf is the summary page of s with every finding taught on a phase
// page already.
func summaryOf(s *session.Session) Page {
	at := findingBands(s, Bands(s))
	taught := make([]bool, len(s.Findings))
	for k := range at {
		taught[k] = at[k] >= 0
	}
	return summaryPage(s, taught)
}

// alignBands pairs the bands of two sessions by phase: the longest common
// subsequence of their phases, the others on rows of their own (-1 on the
// side that lacks them).
func alignBands(a, b []Band) [][2]int {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i].Phase == b[j].Phase {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out [][2]int
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i].Phase == b[j].Phase:
			out = append(out, [2]int{i, j})
			i, j = i+1, j+1
		case j == m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, [2]int{i, -1})
			i++
		default:
			out = append(out, [2]int{-1, j})
			j++
		}
	}
	return out
}

// introDiff says how the two sessions differ in role and TLS.
func introDiff(l, r *session.Session) []string {
	var out []string
	if l.PortRole != r.PortRole {
		out = append(out, "Roles: left "+string(l.PortRole)+", right "+string(r.PortRole)+".")
	} else {
		out = append(out, "Both: "+string(l.PortRole)+" on port "+strconv.Itoa(int(l.Server.Port))+".")
	}
	if lt, rt := tlsMeaning(l), tlsMeaning(r); lt != rt {
		out = append(out, "TLS: left "+lt+"; right "+rt+".")
	}
	return out
}

// bandDiff says what differs in one aligned row.
func bandDiff(l, r *session.Session, lb, rb []Band, pr [2]int) []string {
	switch {
	case pr[0] < 0:
		return []string{"Only the right session has this " + string(rb[pr[1]].Phase) + " phase here."}
	case pr[1] < 0:
		return []string{"Only the left session has this " + string(lb[pr[0]].Phase) + " phase here; the right one " +
			missingMeaning(lb[pr[0]].Phase)}
	}
	lband, rband := lb[pr[0]], rb[pr[1]]
	var out []string
	if lc, rc := clearOrTLS(l, lband), clearOrTLS(r, rband); lc != rc && lc != "" && rc != "" {
		out = append(out, "Left "+lc+", right "+rc+".")
	}
	lk, rk := keywords(l, lband), keywords(r, rband)
	if only := minus(lk, rk); len(only) > 0 {
		out = append(out, "Only the left EHLO reply lists "+strings.Join(only, ", ")+".")
	}
	if only := minus(rk, lk); len(only) > 0 {
		out = append(out, "Only the right EHLO reply lists "+strings.Join(only, ", ")+".")
	}
	out = append(out, findingDiff(bandFindings(l, lb, pr[0]), bandFindings(r, rb, pr[1]))...)
	if len(out) == 0 {
		out = append(out, "The same on both sides.")
	}
	return out
}

// missingMeaning says what lacking a phase means.
func missingMeaning(p session.Phase) string {
	switch p {
	case session.PhaseStartTLS:
		return "never asked for encryption: what follows crosses in clear."
	case session.PhaseTLSHandshake:
		return "never started TLS."
	case session.PhaseEncrypted:
		return "has nothing hidden there: it was read (with keys, or in clear)."
	case session.PhaseAuth:
		return "did not authenticate."
	}
	return "has none."
}

// clearOrTLS says whether a band's SMTP went in clear or inside TLS ("" if
// it carries none).
func clearOrTLS(s *session.Session, b Band) string {
	var in, out int
	for i := b.First; i < b.End; i++ {
		if e := &s.Timeline[i]; SMTPKind(e.Kind) {
			if e.InTLS {
				in++
			} else {
				out++
			}
		}
	}
	switch {
	case in > 0 && out == 0:
		return "inside TLS"
	case out > 0 && in == 0:
		return "in clear"
	case in > 0:
		return "partly in clear"
	}
	return ""
}

// keywords lists the EHLO keywords of the replies in band b (their first
// word, the greeting line left out).
func keywords(s *session.Session, b Band) []string {
	var out []string
	for i := b.First; i < b.End; i++ {
		e := &s.Timeline[i]
		if e.Kind != session.KindReply || e.Ref < 0 || e.Ref >= len(s.Replies) {
			continue
		}
		r := &s.Replies[e.Ref]
		if r.Command < 0 || r.Command >= len(s.Commands) || s.Commands[r.Command].Verb != "EHLO" {
			continue
		}
		for _, l := range wireLines(r)[1:] {
			if f := strings.Fields(l[min(4, len(l)):]); len(f) > 0 {
				out = append(out, strings.ToUpper(f[0]))
			}
		}
	}
	return out
}

// minus returns the items of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// bandFindings returns the findings of s placed in band b.
func bandFindings(s *session.Session, bands []Band, b int) []session.Finding {
	var out []session.Finding
	for k, at := range findingBands(s, bands) {
		if at == b {
			out = append(out, s.Findings[k])
		}
	}
	return out
}

// findingDiff names the findings only one side has.
func findingDiff(l, r []session.Finding) []string {
	codes := func(fs []session.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, string(f.Severity)+" "+f.Code)
		}
		return out
	}
	lc, rc := codes(l), codes(r)
	var out []string
	if only := minus(lc, rc); len(only) > 0 {
		out = append(out, "Findings only on the left: "+strings.Join(only, ", ")+".")
	}
	if only := minus(rc, lc); len(only) > 0 {
		out = append(out, "Findings only on the right: "+strings.Join(only, ", ")+".")
	}
	return out
}

// Counterpart returns the session of ss to compare s with: the same port
// role and server port, the opposite verdict (s clean and the other with
// the worst findings, or the reverse), or nil when there is none.
func Counterpart(ss []*session.Session, s *session.Session) *session.Session {
	rank := func(x *session.Session) int {
		if w := worst(x); w != nil {
			return w.Severity.Rank() + 1
		}
		return 0
	}
	var best *session.Session
	bestGap := 0
	for _, o := range ss {
		if o == s || o.PortRole != s.PortRole {
			continue
		}
		gap := rank(o) - rank(s)
		if gap < 0 {
			gap = -gap
		}
		if o.Server.Port == s.Server.Port {
			gap *= 2 // prefer the same port
		}
		if gap > bestGap {
			best, bestGap = o, gap
		}
	}
	return best
}
