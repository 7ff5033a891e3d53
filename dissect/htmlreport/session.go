package htmlreport

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/report"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// session writes one session's section: headline, diagram, ladder,
// credentials, findings and messages.
func (p *page) session(ci, n int, s *session.Session) {
	p.raw(`<section class="session" id="`, anchor(ci, s, n), `">`)
	p.raw(`<h2>Session #`, i64(s.Stream), ` <span class="mono">`, esc(s.Client.String()), ` → `, esc(s.Server.String()), `</span></h2>`)
	p.raw(`<p class="muted">`, esc(diagram.RoleText(s)), ` · `, esc(tlsText(s)))
	if s.TLS.Cipher != "" {
		p.raw(` · `, esc(s.TLS.Cipher))
	}
	if s.TLS.SNI != "" {
		p.raw(` · SNI <span class="mono">`, esc(s.TLS.SNI), `</span>`)
	}
	if s.TLS.DecryptProblem != "" {
		p.raw(` · not decrypted: `, esc(s.TLS.DecryptProblem))
	}
	p.raw("</p>\n")
	var svg strings.Builder
	diagram.SVG(&svg, s, diagram.Options{Reveal: p.o.Reveal, Theme: p.o.Theme})
	p.raw(`<div class="diagram">`, svg.String(), "</div>\n")
	var ladder strings.Builder
	report.NewText(&ladder).Write(s)
	p.raw(`<details><summary>Ladder (text)</summary><pre>`, esc(maskLadder(ladder.String(), s, p.o.Reveal)), "</pre></details>\n")
	p.findings(s)
	p.messages(s)
	p.raw("</section>\n")
}

// maskLadder masks passwords a model built with Reveal carries, unless the
// page reveals them (the diagram does the same).
func maskLadder(text string, s *session.Session, reveal bool) string {
	if reveal {
		return text
	}
	for _, a := range s.Auth {
		if a.Password != "" && a.Password != "********" {
			text = strings.ReplaceAll(text, a.Password, "********")
		}
	}
	return text
}

// findings writes each finding with its catalogue explanation.
func (p *page) findings(s *session.Session) {
	if len(s.Findings) == 0 {
		p.raw(`<h3>Findings</h3><p class="muted">None.</p>`, "\n")
		return
	}
	p.raw(`<h3>Findings</h3>`, "\n")
	for i, f := range s.Findings {
		p.raw(`<div class="finding"><p><b>`, itoa(i+1), `.</b> <span class="sev sev-`, sevClass(f.Severity), `">`, esc(string(f.Severity)),
			`</span> <code>`, esc(f.Code), `</code>`)
		x, ok := findings.Explain(f.Code)
		if ok {
			p.raw(` — <b>`, esc(x.Title), `</b>`)
		}
		p.raw(`</p><p>`, esc(maskLadder(f.Summary, s, p.o.Reveal)), ` <span class="muted">(frames `, esc(report.JoinFrames(f.Frames, ", ")), `)</span></p>`)
		if ok {
			p.raw(`<details><summary>Why it matters, attack, fix, references</summary>`)
			p.raw(`<p><b>Why.</b> `, esc(x.Why), `</p><p><b>Attack.</b> `, esc(x.Attack), `</p><p><b>Fix.</b> `, esc(x.Fix), `</p>`)
			if x.Severity != "" {
				p.raw(`<p><b>Severity.</b> `, esc(x.Severity), `</p>`)
			}
			p.raw(`<p><b>References.</b> `, esc(strings.Join(x.References, "; ")), `</p></details>`)
		}
		p.raw("</div>\n")
	}
}
