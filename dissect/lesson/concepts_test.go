package lesson

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/pcaps"
)

// sequence returns the titles of a session's pages, concept pages marked
// with "*".
func sequence(pages []Page) []string {
	var out []string
	for _, p := range pages {
		t := p.Title
		if p.Kind == Concept {
			t = "*" + t
		}
		out = append(out, t)
	}
	return out
}

// TestConceptsWhereTheyBelong: the concept pages follow the phase they
// explain, on clean sessions too (not only when a finding fires), each
// with what this session shows of it (issue 17, deliver 2).
func TestConceptsWhereTheyBelong(t *testing.T) {
	for _, c := range []struct {
		file   string
		stream int
		keys   bool
		want   string // the page sequence
		ctx    []string
	}{
		{pcaps.Demo(), 0, true, "Ports, roles and TLS|TCP handshake|Greeting|EHLO and capabilities|*SMTP and ESMTP|STARTTLS|" +
			"*Opportunistic or required TLS|*Port 465: registered, revoked, re-standardised|TLS handshake|" +
			"*What Wireshark shows without the keys|EHLO and capabilities|Authentication|Envelope|Message data|Quit|TCP teardown|Summary",
			[]string{"The client sent EHLO client.example.org; the server listed 5 extensions: SIZE, PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES, STARTTLS.",
				"reaching TLS 1.3: encrypted, but only because nobody on the path removed the offer",
				"This session used port 587: 10 SMTP lines (245 bytes) crossed in clear",
				"Without it, Wireshark would show 21 protected records (1818 bytes)"}},
		{pcaps.Demo(), 2, true, "Ports, roles and TLS|TCP handshake|Greeting|EHLO and capabilities|*SMTP and ESMTP|STARTTLS|" +
			"*Opportunistic or required TLS|*Answers to downgrade: MTA-STS, DANE, TLS-RPT|TLS handshake|" +
			"*What Wireshark shows without the keys|EHLO and capabilities|Envelope|*Open relays and why ISPs block port 25|" +
			"Message data|Quit|TCP teardown|Summary",
			[]string{"TXT _mta-sts.example.net (MTA-STS), TXT _smtp._tls.example.net (TLS-RPT) and TLSA _25._tcp.mx.example.net (DANE)",
				"Recipients TO:<alice@example.net> → 250, without AUTH"}},
		{"smtps465-tls13-ipv6.pcap", 0, false, "Ports, roles and TLS|TCP handshake|TLS handshake|" +
			"*Port 465: registered, revoked, re-standardised|Encrypted (no keys)|*What Wireshark shows without the keys|TCP teardown|Summary",
			[]string{"The client's first bytes were a TLS ClientHello (frame 4): not one SMTP byte crossed in clear.",
				"Without the keys, as here: "}},
		{"attack-stripped587.pcap", 0, false, "", []string{"The offer of STARTTLS was removed on the path",
			"*Answers to downgrade: MTA-STS, DANE, TLS-RPT"}},
	} {
		s := sample(t, c.file, c.keys, false)[c.stream]
		pages := Pages(s)
		seq := strings.Join(sequence(pages), "|")
		if c.want != "" && seq != c.want {
			t.Errorf("%s #%d pages:\n got %s\nwant %s", c.file, c.stream, seq, c.want)
		}
		all := seq + "\n"
		for _, p := range pages {
			all += pageText(p)
		}
		for _, w := range c.ctx {
			if !strings.Contains(all, w) {
				t.Errorf("%s #%d lacks %q", c.file, c.stream, w)
			}
		}
	}
}

// TestConceptsOnEverySample: every concept page of every session of every
// sample, with and without keys, has its text and references, and says
// what the session shows of it when it has anything to say.
func TestConceptsOnEverySample(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range pcaps.Names() {
		for _, keys := range []bool{false, true} {
			for _, s := range sample(t, name, keys, false) {
				for _, p := range Pages(s) {
					if p.Kind != Concept {
						continue
					}
					seen[p.Concept] = true
					txt := pageText(p)
					c := conceptText(p.Concept)
					if !strings.Contains(txt, c.Text[0]) || !strings.Contains(txt, c.Refs[0]) {
						t.Errorf("%s #%d: concept %s lacks its text", name, s.Stream, p.Concept)
					}
					if p.Concept != ConceptWireshark && p.Concept != Concept465 && !strings.Contains(txt, "In this session") {
						t.Errorf("%s #%d: concept %s says nothing of this session:\n%s", name, s.Stream, p.Concept, txt)
					}
				}
			}
		}
	}
	for _, c := range Concepts() {
		if !seen[c.Code] {
			t.Errorf("concept %s appears in no sample's lesson", c.Code)
		}
	}
}
