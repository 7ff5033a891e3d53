package htmlreport

import (
	"sort"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// summary writes the capture summary: per file its sessions, frames, time
// span, TLS use, messages and findings by severity, and the limits hit.
func (p *page) summary(caps []Capture) {
	p.raw(`<section id="summary"><h2>Capture summary</h2>`, "\n")
	for _, c := range caps {
		var (
			frames           int64
			start, end       time.Time
			tls, dec, msgs   int
			bySev            = map[session.Severity]int{}
			commands, record int
		)
		for _, s := range c.Sessions {
			if s.LastFrame > frames {
				frames = s.LastFrame
			}
			if !s.Start.IsZero() && (start.IsZero() || s.Start.Before(start)) {
				start = s.Start
			}
			if s.End.After(end) {
				end = s.End
			}
			if s.TLS.Mode != session.TLSNone {
				tls++
			}
			if s.TLS.Decrypted {
				dec++
			}
			msgs += len(s.Messages)
			commands += len(s.Commands)
			record += len(s.TLSRecords)
			for _, f := range s.Findings {
				bySev[f.Severity]++
			}
		}
		p.raw(`<h3 class="mono">`, esc(c.Name), `</h3><dl class="kv">`)
		kv := func(k, v string) { p.raw(`<dt>`, k, `</dt><dd>`, v, `</dd>`) }
		kv("SMTP sessions", itoa(len(c.Sessions)))
		if !start.IsZero() {
			kv("time", esc(start.UTC().Format("2006-01-02 15:04:05.000"))+" – "+esc(end.UTC().Format("15:04:05.000"))+" UTC ("+esc(end.Sub(start).Round(time.Millisecond).String())+")")
		}
		kv("last SMTP frame", i64(frames))
		kv("TLS", itoa(tls)+" of "+itoa(len(c.Sessions))+" sessions, "+itoa(dec)+" decrypted with a key log")
		kv("commands, TLS records", itoa(commands)+", "+itoa(record))
		kv("messages", itoa(msgs))
		var fs []string
		for _, sv := range []session.Severity{session.SevCrit, session.SevHigh, session.SevMedium, session.SevLow, session.SevInfo} {
			if n := bySev[sv]; n > 0 {
				fs = append(fs, `<span class="sev sev-`+string(sv)+`">`+string(sv)+`</span> `+itoa(n))
			}
		}
		if len(fs) == 0 {
			fs = append(fs, "none")
		}
		kv("findings", strings.Join(fs, " &nbsp; "))
		if len(c.Limits) > 0 {
			names := make([]string, 0, len(c.Limits))
			for k, v := range c.Limits {
				if v > 0 {
					names = append(names, esc(k)+"="+i64(v))
				}
			}
			sort.Strings(names)
			if len(names) > 0 {
				kv("limits hit", strings.Join(names, ", "))
			}
		}
		if c.Err != "" {
			kv("read error", esc(c.Err))
		}
		p.raw("</dl>\n")
	}
	p.raw("</section>\n")
}

// table writes the sessions table, sortable by any column.
func (p *page) table(caps []Capture) {
	p.raw(`<section id="sessions"><h2>Sessions</h2><p class="muted">Click a column to sort.</p>`)
	p.raw(`<table class="sessions"><thead><tr>`)
	if len(caps) > 1 {
		p.raw(`<th>file</th>`)
	}
	for _, h := range []string{"#", "client", "server", "role", "TLS", "cmds", "msgs", "findings", "worst", "frames", "duration"} {
		p.raw(`<th>`, h, `</th>`)
	}
	p.raw("</tr></thead><tbody>\n")
	for ci, c := range caps {
		for _, s := range c.Sessions {
			p.raw(`<tr>`)
			if len(caps) > 1 {
				p.raw(`<td class="mono">`, esc(c.Name), `</td>`)
			}
			p.raw(`<td class="n"><a href="#`, anchor(ci, s, len(caps)), `">`, i64(s.Stream), `</a></td>`)
			p.raw(`<td class="mono">`, esc(s.Client.String()), `</td><td class="mono">`, esc(s.Server.String()), `</td>`)
			p.raw(`<td>`, esc(string(s.PortRole)), `</td><td>`, esc(tlsText(s)), `</td>`)
			p.raw(`<td class="n">`, itoa(len(s.Commands)), `</td><td class="n">`, itoa(len(s.Messages)), `</td><td class="n">`, itoa(len(s.Findings)), `</td>`)
			if w := s.WorstFinding(); w != nil {
				p.raw(`<td data-v="`, itoa(4-w.Severity.Rank()), `"><span class="sev sev-`, sevClass(w.Severity), `">`, esc(string(w.Severity)), `</span> `, esc(w.Code), `</td>`)
			} else {
				p.raw(`<td data-v="9">—</td>`)
			}
			p.raw(`<td class="n" data-v="`, i64(s.FirstFrame), `">`, i64(s.FirstFrame), `–`, i64(s.LastFrame), `</td>`)
			p.raw(`<td class="n" data-v="`, i64(int64(s.Duration())), `">`, esc(s.Duration().Round(time.Microsecond).String()), `</td>`)
			p.raw("</tr>\n")
		}
	}
	p.raw("</tbody></table></section>\n")
}

// tlsText is "STARTTLS TLS 1.3", "implicit TLS 1.3" or "none".
func tlsText(s *session.Session) string {
	t := string(s.TLS.Mode)
	if s.TLS.Version != "" {
		t += " " + s.TLS.Version
	}
	if s.TLS.Decrypted {
		t += " (decrypted)"
	}
	return t
}

// sevClass is the CSS class suffix of a severity: one of the five known
// names, whatever the model holds.
func sevClass(s session.Severity) string {
	switch s {
	case session.SevCrit, session.SevHigh, session.SevMedium, session.SevLow:
		return string(s)
	}
	return "info"
}
