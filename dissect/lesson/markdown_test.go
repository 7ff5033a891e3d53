package lesson

import (
	"bytes"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/diagram/hostiletest"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

// TestMarkdownDeck: one heading per page, events and evidence in fenced
// blocks, references as links.
func TestMarkdownDeck(t *testing.T) {
	ss := sample(t, "attack-cmdinject25.pcap", false, false)
	pages := Pages(ss[0])
	var b bytes.Buffer
	if err := WriteMarkdown(&b, "deck", []Deck{{Title: "Session #0", Diagram: "session-0.svg", Pages: pages}}); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if n := strings.Count(md, "\n## "); n != len(pages) {
		t.Errorf("%d page headings for %d pages", n, len(pages))
	}
	for _, want := range []string{"# Session \\#0\n", "![Sequence diagram of Session \\#0](session-0.svg)",
		". STARTTLS\n", "```text\nSTARTTLS\\r\\n\nRSET\\r\\n\n```\n",
		"[RFC 3207, Section 4](https://www.rfc-editor.org/rfc/rfc3207#section-4)",
		"[CVE-2011-0411](https://www.cve.org/CVERecord?id=CVE-2011-0411)"} {
		if !strings.Contains(md, want) {
			t.Errorf("deck lacks %q", want)
		}
	}
	if strings.Count(md, "```")%2 != 0 {
		t.Error("unbalanced code fences")
	}
}

// TestMarkdownHostile: captured text becomes no markup: links, HTML and
// headings are escaped in text, and a code block's fence outgrows any run
// of backticks inside it.
func TestMarkdownHostile(t *testing.T) {
	p := Page{Title: "# x", Lines: []Line{
		{Kind: Text, Text: `[click](javascript:alert(1)) <script>x</script> **b**`},
		{Kind: Evidence, Text: "````` end"},
		{Kind: Refs, Refs: []string{"RFC 1(x)", "CVE-1)[x"}},
	}}
	var b bytes.Buffer
	WriteMarkdown(&b, "<img src=x>", []Deck{{Title: "t", Pages: []Page{p}}})
	md := b.String()
	for _, bad := range []string{"](javascript", "<script>", "<img", "**b**", "](https://www.rfc-editor.org/rfc/rfc1("} {
		if i := strings.Index(md, bad); i >= 0 && (i == 0 || md[i-1] != '\\') {
			t.Errorf("deck carries %q:\n%s", bad, md)
		}
	}
	if !strings.Contains(md, "``````text\n````` end\n``````\n") {
		t.Errorf("fence not longer than the backticks inside:\n%s", md)
	}
}

// TestMarkdownWholeDemo renders every session of the demo.
func TestMarkdownWholeDemo(t *testing.T) {
	var decks []Deck
	for _, s := range sample(t, pcaps.Demo(), true, false) {
		decks = append(decks, Deck{Title: s.Client.String(), Pages: Pages(s)})
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, "demo", decks); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `334 VXNlcm5hbWU6   (base64 of "Username:")`) {
		t.Error("the demo deck lacks the decoded 334 prompt")
	}
	_ = session.PhaseAuth
}

// TestMarkdownHostileCorpus pushes the hostile-text corpus (markup,
// javascript: URLs, bidi overrides, control bytes, invalid UTF-8) through
// every page, the self-check and the comparison: nothing of it becomes
// markup or reaches the output raw.
func TestMarkdownHostileCorpus(t *testing.T) {
	s := hostiletest.Session()
	q, a := SelfCheck([]*session.Session{s})
	decks := []Deck{{Title: hostiletest.Corpus()[0], Pages: Pages(s)}, {Title: "check", Pages: []Page{TourPage([]*session.Session{s}), q, a}}}
	for _, r := range Compare(s, s) {
		decks = append(decks, Deck{Title: r.Title, Pages: []Page{*r.Left, *r.Right}})
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, "hostile", decks); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if !strings.Contains(md, hostiletest.Marker) {
		t.Fatal("the corpus is not in the deck at all")
	}
	inCode := false
	for i, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		for _, c := range line {
			if c < ' ' || c == 0x7f || c == '\u202e' || c == '\u2066' || c == '\ufffd' {
				t.Errorf("line %d carries %U raw: %q", i+1, c, line)
			}
		}
		if inCode {
			continue
		}
		for _, bad := range []string{"<", "](javascript", "[click]"} {
			if j := strings.Index(line, bad); j >= 0 && (j == 0 || line[j-1] != '\\') {
				t.Errorf("line %d has unescaped %q: %q", i+1, bad, line)
			}
		}
	}
}
