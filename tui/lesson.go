package tui

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// lessonPage is one page of a session's lesson as the detail pane shows
// it: the page of package lesson (the one source of lesson text, shared
// with `smtpscope lessons`), its lines styled, and the ladder line of the
// band it explains.
type lessonPage struct {
	title string
	kind  lesson.PageKind
	band  int // the ladder line of the band the page explains; -1 for none
	lines []detailLine
}

// lessonPages builds the lesson of s over its ladder lines (lesson.Pages):
// the ladder's bands are lesson.Bands, so page k's band is the k-th band
// line.
func lessonPages(s *session.Session, lines []line) []lessonPage {
	return stylePages(lesson.Pages(s), lines)
}

// stylePages numbers and styles the pages src over the ladder lines.
func stylePages(src []lesson.Page, lines []line) []lessonPage {
	var bandLine []int
	for i := range lines {
		if lines[i].kind == lineBand {
			bandLine = append(bandLine, i)
		}
	}
	n := strconv.Itoa(len(src))
	out := make([]lessonPage, len(src))
	for i, p := range src {
		band := -1
		if p.Band >= 0 && p.Band < len(bandLine) {
			band = bandLine[p.Band]
		}
		ls := []detailLine{{roleAccent, "Lesson " + strconv.Itoa(i+1) + "/" + n + " — " + p.Title}}
		ls = append(ls, lessonLines(p.Lines)...)
		if p.Kind == lesson.Intro {
			ls = append(ls, detailLine{roleDim, "] n space: next page   [: previous page   t: leave the lesson"})
		}
		if p.Kind == lesson.Summary {
			ls = append(ls, detailLine{roleDim, "f lists the findings; enter on one jumps to its evidence."})
		}
		out[i] = lessonPage{title: p.Title, kind: p.Kind, band: band, lines: ls}
	}
	return out
}

// lessonLines styles the lines of a lesson page.
func lessonLines(ls []lesson.Line) []detailLine {
	out := make([]detailLine, 0, len(ls))
	for _, l := range ls {
		switch l.Kind {
		case lesson.Heading:
			out = append(out, detailLine{roleAccent, l.Text})
		case lesson.Note:
			out = append(out, detailLine{roleDim, l.Text})
		case lesson.Client:
			out = append(out, detailLine{roleClient, l.Text})
		case lesson.Server:
			out = append(out, detailLine{roleServer, l.Text})
		case lesson.Divider:
			out = append(out, detailLine{roleDivider, l.Text})
		case lesson.Finding:
			out = append(out, detailLine{severityRole(l.Sev), l.Text})
		case lesson.Evidence:
			out = append(out, detailLine{roleWarn, "  │ " + l.Text})
		case lesson.Refs:
			out = append(out, detailLine{roleDim, "References: " + strings.Join(l.Refs, "; ")})
		default:
			out = append(out, detailLine{roleText, l.Text})
		}
	}
	return out
}
