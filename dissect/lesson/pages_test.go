package lesson

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/pcaps"
)

// TestPhaseAndFindingTexts: every phase's page carries its teaching text
// and references, every finding code's lesson its why, fix and references.
func TestPhaseAndFindingTexts(t *testing.T) {
	for _, p := range session.Phases() {
		s := &session.Session{Timeline: []session.Event{{Frame: 1, Phase: p, Kind: session.KindSYN, Ref: -1}}}
		var phase []Page
		for _, pg := range Pages(s) {
			if pg.Kind == Phase {
				phase = append(phase, pg)
			}
		}
		if len(phase) != 1 || phase[0].Phase != p || phase[0].Band != 0 {
			t.Fatalf("phase %q: phase pages %+v", p, phase)
		}
		txt := pageText(phase[0])
		x := findings.PhaseText(p)
		if x.Why == "" || !strings.Contains(txt, x.Why) || !strings.Contains(txt, "RFC ") {
			t.Errorf("phase %q page lacks its text or a reference:\n%s", p, txt)
		}
	}
	for _, x := range findings.Catalogue() {
		var d doc
		findingLines(&d, nil, &session.Finding{Code: x.Code, Severity: session.SevHigh, Frames: []int64{1}, Summary: "s"})
		txt := pageText(Page{Lines: d.lines})
		if x.Why == "" || !strings.Contains(txt, "Why: "+x.Why) || !strings.Contains(txt, "Fix: ") ||
			!(strings.Contains(txt, "RFC ") || strings.Contains(txt, "CVE-")) {
			t.Errorf("finding %q lesson lacks text or a reference:\n%s", x.Code, txt)
		}
	}
}

// TestEveryFindingTaught: on every session of every sample, with and
// without keys, each finding is taught on some page, every page has a
// title and text, and the phase pages follow Bands in order.
func TestEveryFindingTaught(t *testing.T) {
	for _, name := range pcaps.Names() {
		for _, keys := range []bool{false, true} {
			for _, s := range sample(t, name, keys, false) {
				pages := Pages(s)
				all, next := "", 0
				for i, p := range pages {
					if p.Title == "" || len(p.Lines) < 1 {
						t.Errorf("%s #%d page %d is empty", name, s.Stream, i)
					}
					if p.Kind == Phase {
						if p.Band != next {
							t.Errorf("%s #%d page %d explains band %d, want %d", name, s.Stream, i, p.Band, next)
						}
						next++
					}
					all += pageText(p)
				}
				if next != len(Bands(s)) {
					t.Errorf("%s #%d: %d phase pages for %d bands", name, s.Stream, next, len(Bands(s)))
				}
				for _, f := range s.Findings {
					if !strings.Contains(all, f.Code) {
						t.Errorf("%s #%d: finding %s is not taught", name, s.Stream, f.Code)
					}
				}
			}
		}
	}
}

// TestStrippedEHLOListOnThePage: the stripping lesson shows every line of
// the EHLO reply as it arrived, 250-XXXXXXXA among them, and the raw bytes
// as evidence (issue 17, defect 2).
func TestStrippedEHLOListOnThePage(t *testing.T) {
	s := sample(t, "attack-stripped587.pcap", false, false)[0]
	ehlo := titled(s, "EHLO and capabilities")
	if len(ehlo) != 1 {
		t.Fatalf("%d EHLO pages", len(ehlo))
	}
	txt := pageText(ehlo[0])
	for _, want := range []string{"C ← S  250-mail.example.net Hello", "         250-XXXXXXXA\n", "250 AUTH PLAIN LOGIN\n",
		"! Finding here: crit starttls.stripped", "Evidence: frame 6, server → client, 157 bytes", "250-XXXXXXXA\\r\\n"} {
		if !strings.Contains(txt, want) {
			t.Errorf("EHLO page lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "lines)") {
		t.Errorf("EHLO page folds the reply:\n%s", txt)
	}
}

// TestChallengesDecoded: the 334 prompts of AUTH LOGIN are decoded.
func TestChallengesDecoded(t *testing.T) {
	s := sample(t, pcaps.Demo(), true, false)[1]
	auth := titled(s, "Authentication")
	if len(auth) != 1 {
		t.Fatalf("%d auth pages", len(auth))
	}
	txt := pageText(auth[0])
	for _, want := range []string{`334 VXNlcm5hbWU6   (base64 of "Username:")`, `334 UGFzc3dvcmQ6   (base64 of "Password:")`} {
		if !strings.Contains(txt, want) {
			t.Errorf("auth page lacks %q:\n%s", want, txt)
		}
	}
	if got := challenge(&session.Reply{Code: 334, Lines: []string{"AAEC"}}); got != "" {
		t.Errorf("binary challenge decoded as %q", got)
	}
}

// TestInjectionOnOnePage: STARTTLS\r\nRSET\r\n in one segment is taught on
// one STARTTLS page with its raw segment; no page teaches the injected
// RSET as an envelope (MAIL FROM, SPF).
func TestInjectionOnOnePage(t *testing.T) {
	s := sample(t, "attack-cmdinject25.pcap", false, false)[0]
	var titles []string
	for _, p := range Pages(s) {
		titles = append(titles, p.Title)
		if strings.Contains(pageText(p), "SPF") || p.Phase == session.PhaseEnvelope {
			t.Errorf("page %q teaches the envelope:\n%s", p.Title, pageText(p))
		}
	}
	st := titled(s, "STARTTLS")
	if len(st) != 1 {
		t.Fatalf("%d STARTTLS pages: %q", len(st), titles)
	}
	txt := pageText(st[0])
	for _, want := range []string{"C → S  STARTTLS\n", "C → S  RSET   (sent after STARTTLS, before its 220: injected)",
		"Evidence: frame 7, client → server, 16 bytes, 2 items in one segment\nSTARTTLS\\r\\n\nRSET\\r\\n\n",
		"! Finding here: high starttls.command_injection", "RSET travelled after STARTTLS"} {
		if !strings.Contains(txt, want) {
			t.Errorf("STARTTLS page lacks %q:\n%s", want, txt)
		}
	}
}

// TestCredentialsMasked: the password of the demo's clear AUTH LOGIN is
// on no page, though the read with --reveal shows it exists.
func TestCredentialsMasked(t *testing.T) {
	revealed := sample(t, pcaps.Demo(), true, true)
	var secrets []string
	for _, s := range revealed {
		for _, a := range s.Auth {
			if a.Password != "" && a.Password != "********" {
				secrets = append(secrets, a.Password)
			}
		}
	}
	if len(secrets) == 0 {
		t.Fatal("the demo reveals no password")
	}
	for _, s := range sample(t, pcaps.Demo(), true, false) {
		for _, p := range Pages(s) {
			for _, sec := range secrets {
				if strings.Contains(pageText(p), sec) {
					t.Errorf("#%d page %q shows a password", s.Stream, p.Title)
				}
			}
		}
	}
}

// TestEscapeLines spells line ends and escapes controls.
func TestEscapeLines(t *testing.T) {
	got := escapeLines([]byte("DATA\r\nx\n.\nQ\x1b[31m"))
	want := []string{`DATA\r\n`, `x\n`, `.\n`, `Q\x1b[31m`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("escapeLines = %q, want %q", got, want)
	}
}
