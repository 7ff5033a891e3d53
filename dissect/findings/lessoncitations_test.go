package findings_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// conceptCitations is, per concept page of package lesson (and its
// introduction), the references it carries, reviewed by hand against the
// RFC text (issue 17, deliver 2): RFC 5321, Section 2.2.1 says servers
// must support EHLO and clients should prefer it over HELO; RFC 3207,
// Section 6 that deleting "250 STARTTLS" is a man-in-the-middle attack and
// that both sides must be configurable to require TLS; RFC 8461, Section
// 3.2 the _mta-sts policy and its enforce/testing/none modes, Section 5
// what enforce means; RFC 8460, Section 3 the _smtp._tls TXT record;
// RFC 8314, Section 7.3 the smtps registration that was revoked and 465's
// assignment to submissions; RFC 5321, Section 3.6.2 the 550 to refused
// relaying and Section 7.9 relaying limited to known sources; RFC 8446,
// Section 5.2 the outer type of every protected record is application_data.
var conceptCitations = []struct {
	code string
	refs []string
}{
	{"intro", []string{"RFC 5321, Section 2.3.10", "RFC 6409, Section 3.1", "RFC 6409, Section 4.3", "RFC 4954, Section 4",
		"RFC 8314, Section 3.3", "RFC 3207, Section 4"}},
	{lesson.ConceptESMTP, []string{"RFC 5321, Section 2.2.1", "RFC 5321, Section 4.1.1.1", "RFC 3207, Section 4.2"}},
	{lesson.ConceptOpportunistic, []string{"RFC 3207, Section 6", "RFC 7435", "RFC 8314, Section 3"}},
	{lesson.ConceptDowngrade, []string{"RFC 8461, Section 3.2", "RFC 8461, Section 5", "RFC 7672", "RFC 7672, Section 2.2",
		"RFC 8460, Section 3", "RFC 8460, Section 4.3.1"}},
	{lesson.Concept465, []string{"RFC 8314, Section 7.3", "RFC 8314, Section 3.3", "RFC 6409, Section 3.1"}},
	{lesson.ConceptOpenRelay, []string{"RFC 5321, Section 3.6.2", "RFC 5321, Section 7.9", "RFC 5068", "RFC 6409, Section 3.1"}},
	{lesson.ConceptWireshark, []string{"RFC 8446, Section 5.2", "RFC 5246, Section 6.2"}},
}

// TestLessonCitations checks the references of the lesson's own pages
// (introduction and concept pages) against the reviewed table, and that
// every section they cite, in a reference or in the text, is one whose
// title was checked (findings.CitedSections).
func TestLessonCitations(t *testing.T) {
	type cited struct {
		code string
		refs []string
	}
	var got []cited
	var texts []string
	intro := lesson.Pages(&session.Session{})[0]
	for _, l := range intro.Lines {
		if l.Kind == lesson.Refs {
			got = append(got, cited{"intro", l.Refs})
		}
		texts = append(texts, l.Text)
	}
	for _, c := range lesson.Concepts() {
		got = append(got, cited{c.Code, c.Refs})
		texts = append(texts, c.Text...)
	}
	if len(got) != len(conceptCitations) {
		t.Errorf("%d pages carry references, the reviewed table has %d", len(got), len(conceptCitations))
	}
	for i := range min(len(got), len(conceptCitations)) {
		g, w := got[i], conceptCitations[i]
		if g.code != w.code || !slices.Equal(g.refs, w.refs) {
			t.Errorf("references of %s = %q, reviewed table has %s %q", g.code, g.refs, w.code, w.refs)
		}
		for _, r := range g.refs {
			if _, ok := findings.CitedSections[r]; !ok {
				t.Errorf("%s cites %q, whose section title was never checked", g.code, r)
			}
		}
	}
	inline := regexp.MustCompile(`RFC \d{3,4}, Section [\d.]*\d`)
	for _, s := range texts {
		for _, r := range inline.FindAllString(s, -1) {
			if _, ok := findings.CitedSections[r]; !ok {
				t.Errorf("text cites %q, whose section title was never checked: %q", r, s)
			}
		}
	}
}

// TestAboutCitations: the detail pane's short lessons (verbs, reply
// classes, event kinds) cite only sections whose titles were checked:
// RFC 5321, Sections 4.1.1.5 RESET, 4.1.1.9 NOOP, 4.1.1.10 QUIT, 3.5 and
// 7.3 for VRFY and EXPN, 4.2.1 for the reply classes were read in the RFC.
func TestAboutCitations(t *testing.T) {
	var all []lesson.About
	for _, v := range []string{"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "QUIT", "NOOP", "VRFY", "EXPN"} {
		a, ok := lesson.VerbAbout(v)
		if !ok {
			t.Errorf("no lesson for %s", v)
		}
		all = append(all, a)
	}
	for c := 200; c < 600; c += 100 {
		a, _ := lesson.ReplyClassAbout(c)
		all = append(all, a)
	}
	for _, k := range []session.Kind{session.KindGap, session.KindRetrans, session.KindMidStream, session.KindTLSBulk,
		session.KindAnomaly, session.KindAuth} {
		a, _ := lesson.KindAbout(k)
		all = append(all, a)
	}
	for _, a := range all {
		if len(a.Refs) == 0 {
			t.Errorf("%q cites nothing", a.Title)
		}
		for _, r := range a.Refs {
			if _, ok := findings.CitedSections[r]; !ok {
				t.Errorf("%q cites %q, whose section title was never checked", a.Title, r)
			}
		}
	}
}
