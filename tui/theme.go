package tui

import (
	"github.com/gdamore/tcell/v2"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// role is a semantic colour: render code says what a thing is, the theme
// says how it looks.
type role uint8

const (
	roleText role = iota
	roleDim
	roleAccent
	roleClient
	roleServer
	roleDivider
	rolePlain    // session without TLS
	roleStartTLS // session upgraded with STARTTLS
	roleImplicit // session with implicit TLS
	roleFailed   // TLS attempted and failed
	roleCrit
	roleHigh
	roleMedium
	roleLow
	roleInfo
	roleError
	roleWarn
)

// theme maps roles and phases to styles. The zero-valued NoColor theme uses
// attributes only (https://no-color.org).
type theme struct {
	noColor bool
	light   bool
	bg      tcell.Color
}

// newTheme returns the theme named by name ("dark" or "light"; anything else
// is dark).
func newTheme(name string, noColor bool) theme {
	t := theme{noColor: noColor, light: name == "light"}
	switch {
	case noColor:
		t.bg = tcell.ColorDefault
	case t.light:
		t.bg = tcell.NewRGBColor(0xfa, 0xfa, 0xf5)
	default:
		t.bg = tcell.NewRGBColor(0x1c, 0x1c, 0x1c)
	}
	return t
}

// color returns the foreground colour of a role.
func (t theme) color(r role) tcell.Color {
	if t.noColor {
		return tcell.ColorDefault
	}
	if t.light {
		return lightColor(r)
	}
	return darkColor(r)
}

func darkColor(r role) tcell.Color {
	switch r {
	case roleDim:
		return tcell.NewRGBColor(0x8a, 0x8a, 0x8a)
	case roleAccent:
		return tcell.NewRGBColor(0x5f, 0xd7, 0xff)
	case roleClient:
		return tcell.NewRGBColor(0x87, 0xd7, 0x87)
	case roleServer:
		return tcell.NewRGBColor(0x87, 0xaf, 0xff)
	case roleDivider:
		return tcell.NewRGBColor(0xff, 0xd7, 0x5f)
	case rolePlain, roleHigh:
		return tcell.NewRGBColor(0xff, 0x87, 0x5f)
	case roleStartTLS:
		return tcell.NewRGBColor(0x87, 0xd7, 0x87)
	case roleImplicit:
		return tcell.NewRGBColor(0x5f, 0xd7, 0xd7)
	case roleFailed, roleCrit, roleError:
		return tcell.NewRGBColor(0xff, 0x5f, 0x87)
	case roleMedium, roleWarn:
		return tcell.NewRGBColor(0xff, 0xd7, 0x5f)
	case roleLow:
		return tcell.NewRGBColor(0xd7, 0xd7, 0xaf)
	case roleInfo:
		return tcell.NewRGBColor(0xaf, 0xaf, 0xd7)
	}
	return tcell.NewRGBColor(0xe4, 0xe4, 0xe4)
}

func lightColor(r role) tcell.Color {
	switch r {
	case roleDim:
		return tcell.NewRGBColor(0x6c, 0x6c, 0x6c)
	case roleAccent:
		return tcell.NewRGBColor(0x00, 0x5f, 0xaf)
	case roleClient:
		return tcell.NewRGBColor(0x00, 0x73, 0x00)
	case roleServer:
		return tcell.NewRGBColor(0x00, 0x3f, 0xaf)
	case roleDivider:
		return tcell.NewRGBColor(0x87, 0x5f, 0x00)
	case rolePlain, roleHigh:
		return tcell.NewRGBColor(0xaf, 0x3f, 0x00)
	case roleStartTLS:
		return tcell.NewRGBColor(0x00, 0x73, 0x00)
	case roleImplicit:
		return tcell.NewRGBColor(0x00, 0x6f, 0x6f)
	case roleFailed, roleCrit, roleError:
		return tcell.NewRGBColor(0xc0, 0x00, 0x30)
	case roleMedium, roleWarn:
		return tcell.NewRGBColor(0x87, 0x5f, 0x00)
	case roleLow:
		return tcell.NewRGBColor(0x5f, 0x5f, 0x00)
	case roleInfo:
		return tcell.NewRGBColor(0x5f, 0x00, 0x87)
	}
	return tcell.NewRGBColor(0x1c, 0x1c, 0x1c)
}

// style returns the cell style of a role.
func (t theme) style(r role) tcell.Style {
	st := tcell.StyleDefault.Background(t.bg).Foreground(t.color(r))
	if t.noColor {
		switch r {
		case roleDim:
			st = st.Dim(true)
		case roleAccent, roleCrit, roleHigh, roleError, roleFailed, rolePlain:
			st = st.Bold(true)
		case roleDivider:
			st = st.Underline(true)
		}
	}
	return st
}

// phaseColor returns the colour of a timeline phase band; each is readable
// on both the dark and the light background.
func (t theme) phaseColor(p session.Phase) tcell.Color {
	if t.noColor {
		return tcell.ColorDefault
	}
	dark, light := phaseRGB(p)
	if t.light {
		return tcell.NewHexColor(light)
	}
	return tcell.NewHexColor(dark)
}

// phaseRGB returns a phase's colour for the dark and the light theme.
func phaseRGB(p session.Phase) (dark, light int32) {
	switch p {
	case session.PhaseTCPHandshake, session.PhaseTeardown:
		return 0x9e9e9e, 0x585858
	case session.PhaseGreeting:
		return 0x87afd7, 0x005f87
	case session.PhaseEHLO:
		return 0x87d7af, 0x00875f
	case session.PhaseStartTLS:
		return 0xffd75f, 0x875f00
	case session.PhaseTLSHandshake:
		return 0x5fd7d7, 0x006f6f
	case session.PhaseEncrypted:
		return 0x5fafaf, 0x005f5f
	case session.PhaseAuth:
		return 0xff875f, 0xaf3f00
	case session.PhaseEnvelope:
		return 0xd7afff, 0x6f00af
	case session.PhaseData:
		return 0xafd75f, 0x4f7f00
	case session.PhaseQuit:
		return 0xd7af87, 0x7f4f1f
	}
	return 0xbcbcbc, 0x444444
}

// phaseStyle returns the style of a phase band.
func (t theme) phaseStyle(p session.Phase) tcell.Style {
	st := tcell.StyleDefault.Background(t.bg).Foreground(t.phaseColor(p))
	if t.noColor {
		st = st.Bold(true)
	}
	return st
}

// tag returns the tview colour tag that starts text of role r in a
// dynamic-colour text view ("" for roleText).
func (t theme) tag(r role) string {
	if t.noColor {
		switch r {
		case roleAccent, roleCrit, roleHigh, roleError, roleFailed:
			return "[::b]"
		case roleDim:
			return "[::d]"
		}
		return ""
	}
	fg := t.color(r)
	return "[" + fg.CSS() + "]"
}

// reset returns the tag that ends a tag() span.
func (t theme) reset(r role) string {
	if t.tag(r) == "" {
		return ""
	}
	return "[-:-:-]"
}

// severityRole maps a finding severity to its colour role.
func severityRole(s session.Severity) role {
	switch s {
	case session.SevCrit:
		return roleCrit
	case session.SevHigh:
		return roleHigh
	case session.SevMedium:
		return roleMedium
	case session.SevLow:
		return roleLow
	case session.SevInfo:
		return roleInfo
	}
	return roleText
}
