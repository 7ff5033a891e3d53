package diagram

import (
	"sort"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// palette maps a colour role to a CSS colour.
type palette map[string]string

// lightPalette and darkPalette are the two themes. Roles: page and text
// colours, lifelines, arrows by direction, one band colour per phase, reply
// classes (RFC 5321, Section 4.2.1: 2yz, 3yz, 4yz, 5yz), severities.
func lightPalette() palette {
	return palette{
		"bg": "#ffffff", "fg": "#1b1f24", "muted": "#59636e", "rule": "#c8d1da", "life": "#8c959f",
		"c2s": "#0b5cad", "s2c": "#1a7f37", "enc": "#8250df", "lock": "#8250df", "anom": "#cf222e",
		"box": "#f6f8fa", "divider": "#8250df",
		"code2": "#1a7f37", "code3": "#0b5cad", "code4": "#9a6700", "code5": "#cf222e",
		"crit": "#a40e26", "high": "#cf222e", "medium": "#bc4c00", "low": "#9a6700", "info": "#0b5cad",
		"band-tcp-handshake": "#eef1f4", "band-greeting": "#e6f4ea", "band-ehlo": "#e7f0fb",
		"band-starttls": "#fff4d6", "band-tls-handshake": "#f1eafd", "band-encrypted": "#ebe3fb",
		"band-auth": "#fde8e8", "band-envelope": "#e3f5f5", "band-data": "#fdf0e3",
		"band-quit": "#eef1f4", "band-teardown": "#f3f4f6",
	}
}

func darkPalette() palette {
	return palette{
		"bg": "#0d1117", "fg": "#e6edf3", "muted": "#9198a1", "rule": "#3d444d", "life": "#656c76",
		"c2s": "#58a6ff", "s2c": "#3fb950", "enc": "#bc8cff", "lock": "#d2a8ff", "anom": "#ff7b72",
		"box": "#161b22", "divider": "#bc8cff",
		"code2": "#3fb950", "code3": "#58a6ff", "code4": "#d29922", "code5": "#ff7b72",
		"crit": "#ff6a69", "high": "#ff7b72", "medium": "#ffa657", "low": "#d29922", "info": "#58a6ff",
		"band-tcp-handshake": "#161b22", "band-greeting": "#12261e", "band-ehlo": "#121d2f",
		"band-starttls": "#2b2111", "band-tls-handshake": "#1f1a33", "band-encrypted": "#251c3d",
		"band-auth": "#2d1517", "band-envelope": "#0f2526", "band-data": "#2a1c10",
		"band-quit": "#161b22", "band-teardown": "#14171c",
	}
}

// bandRole is the colour role of a phase band; unknown phases get the
// teardown grey.
func bandRole(p session.Phase) string {
	for _, q := range session.Phases() {
		if q == p {
			return "band-" + string(p)
		}
	}
	return "band-teardown"
}

// paint holds the theme a drawing uses: the palette written into
// presentation attributes (what renderers without CSS show) and, for
// ThemeAuto, the dark palette as CSS under prefers-color-scheme.
type paint struct {
	base palette
	dark palette // nil unless ThemeAuto
}

func newPaint(t Theme) paint {
	switch t {
	case ThemeDark:
		return paint{base: darkPalette()}
	case ThemeLight:
		return paint{base: lightPalette()}
	}
	return paint{base: lightPalette(), dark: darkPalette()}
}

// fill returns the attributes painting an element's fill with role.
func (p paint) fill(role string) string {
	return `class="f-` + role + `" fill="` + p.base[role] + `"`
}

// stroke returns the attributes painting an element's stroke with role.
func (p paint) stroke(role string) string {
	return `class="s-` + role + `" stroke="` + p.base[role] + `"`
}

// fillStroke paints both; the class names both roles.
func (p paint) fillStroke(fill, stroke string) string {
	return `class="f-` + fill + ` s-` + stroke + `" fill="` + p.base[fill] + `" stroke="` + p.base[stroke] + `"`
}

// Font stacks: system fonts only, nothing fetched.
const (
	fontSans = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif`
	fontMono = `ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace`
)

// style returns the inline <style> of an SVG: the dark palette under
// prefers-color-scheme for ThemeAuto, nothing else (colours are attributes).
// Selectors are scoped to .smtpscope-diagram so that several diagrams
// inlined in one HTML page do not disturb the page.
func (p paint) style() string {
	if p.dark == nil {
		return ""
	}
	roles := make([]string, 0, len(p.dark))
	for r := range p.dark {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	var b strings.Builder
	b.WriteString("@media (prefers-color-scheme: dark){")
	for _, r := range roles {
		c := p.dark[r]
		b.WriteString(".smtpscope-diagram .f-" + r + "{fill:" + c + "}")
		b.WriteString(".smtpscope-diagram .s-" + r + "{stroke:" + c + "}")
	}
	b.WriteString("}")
	return b.String()
}
