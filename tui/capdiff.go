package tui

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// capColumn bounds the "before TLS" column of the side-by-side list.
const capColumn = 26

// capabilityDiff shows the EHLO capabilities before and after TLS side by
// side, marking what changed: "+" offered only inside TLS (AUTH there is
// good practice, RFC 3207, Section 4.2 and RFC 4954, Section 4), "−"
// only in clear (STARTTLS must not be offered again, RFC 3207, Section
// 4.2), "≠" other parameters (SIZE, AUTH mechanisms).
// It reports false when there is nothing to compare.
func (d *detailDoc) capabilityDiff(s *session.Session) bool {
	diff := session.DiffCapabilities(s)
	if diff == nil {
		return false
	}
	params := func(inTLS bool) map[string]string {
		m := map[string]string{}
		for _, c := range s.Capabilities {
			if c.InTLS == inTLS {
				if _, seen := m[strings.ToUpper(c.Keyword)]; !seen {
					m[strings.ToUpper(c.Keyword)] = strings.TrimSpace(c.Keyword + " " + strings.Join(c.Params, " "))
				}
			}
		}
		return m
	}
	before, after := params(false), params(true)
	rows := append([]string(nil), diff.Before...)
	rows = append(rows, diff.Added...)
	w := len("before TLS")
	for _, k := range rows {
		w = max(w, width(before[strings.ToUpper(k)]))
	}
	w = min(w, capColumn)
	title := "Capabilities: EHLO before and after TLS"
	if diff.Same() {
		title += ": the same"
	}
	d.head(title)
	d.text(roleDim, "  "+pad("before TLS", w)+"  after TLS")
	for _, k := range rows {
		b, a := before[strings.ToUpper(k)], after[strings.ToUpper(k)]
		mark, r := " ", roleText
		switch {
		case b == "":
			mark, r, b = "+", roleAccent, "—"
		case a == "":
			mark, r, a = "−", roleWarn, "—"
		case !strings.EqualFold(a, b):
			mark, r = "≠", roleWarn
		}
		d.text(r, mark+" "+pad(truncate(b, w), w)+"  "+a)
	}
	if len(diff.Added) > 0 {
		d.text(roleDim, "+ only inside TLS: "+strings.Join(diff.Added, ", "))
	}
	if len(diff.Removed) > 0 {
		d.text(roleDim, "− only in clear: "+strings.Join(diff.Removed, ", "))
	}
	for _, c := range diff.Changed {
		d.text(roleDim, "≠ "+c.Keyword+": "+strings.Join(c.Before, " ")+" → "+strings.Join(c.After, " "))
	}
	return true
}
