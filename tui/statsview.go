package tui

import (
	"strings"

	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/stats"
)

// maxStatsWidth is the widest the statistics overlay gets.
const maxStatsWidth = 100

// newStatsView makes the statistics overlay's text view (S).
func (u *UI) newStatsView() *tview.TextView {
	v := tview.NewTextView().SetDynamicColors(true).SetRegions(false).SetWrap(false).SetScrollable(true)
	v.SetTextStyle(u.theme.style(roleText))
	u.pane(v.Box, " Statistics ")
	return v
}

// openStats shows the statistics of the sessions the filter selects as
// bar charts (the numbers of `report --stats`).
func (u *UI) openStats() {
	if u.statsView == nil {
		u.statsView = u.newStatsView()
	}
	var acc stats.Acc
	u.store.View(func(ss []*session.Session, _ *session.Progress) {
		for _, idx := range u.view {
			if idx < len(ss) {
				acc.Add(ss[idx])
			}
		}
	})
	st := acc.Stats(stats.Options{})
	w := maxStatsWidth
	if u.screenW > 0 {
		w = min(w, u.screenW)
	}
	lines := statsText(u.theme, &st, w-2)
	title := " Statistics — " + plural(st.Sessions, "session", "sessions")
	if !u.filter.empty() {
		title += " (filtered)"
	}
	u.statsView.SetTitle(title + " · j k PgDn scroll · esc closes ")
	u.statsView.SetText(strings.Join(lines, "\n")).ScrollToBeginning()
	u.openOverlay(overlayStats, u.statsView, w, len(lines)+2)
}

// statsText colours the statistics: headings in the accent colour, reply
// codes by class (4xx warning, 5xx error), severities in theirs.
func statsText(t theme, st *stats.Stats, w int) []string {
	paint := func(r role, s string) string { return t.tag(r) + sanitize.Tag(s) + t.reset(r) }
	all := st.Lines(w)
	out := []string{paint(roleAccent, all[0]), ""}
	for _, tb := range st.Tables() {
		ls := tb.Lines(w)
		out = append(out, paint(roleAccent, ls[0]))
		for i, l := range ls[1:] {
			r := roleServer
			if i < len(tb.Bars) && len(tb.Bars) > 0 {
				key := tb.Bars[i].Key
				switch tb {
				case &st.ReplyCodes:
					r = codeRole(key)
				case &st.Severities:
					r = severityRole(session.Severity(key))
				case &st.Verbs, &st.Clients, &st.Senders, &st.Recipients:
					r = roleClient
				}
			} else {
				r = roleDim
			}
			out = append(out, paint(r, l))
		}
		out = append(out, "")
	}
	ot := st.OverTime.Lines(w)
	out = append(out, paint(roleAccent, ot[0]))
	for _, l := range ot[1:] {
		out = append(out, paint(roleClient, l))
	}
	return out
}

// codeRole colours a reply code by its class (RFC 5321, Section 4.2.1):
// 4yz transient, 5yz permanent failures.
func codeRole(code string) role {
	switch {
	case strings.HasPrefix(code, "5"):
		return roleError
	case strings.HasPrefix(code, "4"):
		return roleWarn
	}
	return roleServer
}
