package tui

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/lesson"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// The detail pane's short lessons come from package lesson (the one source
// of lesson text); about is how the pane shows one.

// about is a short teaching text: what a step is, why it matters, and
// where the rule is written.
type about struct {
	Title string
	Text  string
	Ref   string // RFC sections, joined
}

func aboutOf(a lesson.About, ok bool) (about, bool) {
	return about{Title: a.Title, Text: a.Text, Ref: strings.Join(a.Refs, "; ")}, ok
}

func phaseLesson(p session.Phase) (about, bool) { return aboutOf(lesson.PhaseAbout(p)) }
func verbLesson(verb string) (about, bool)      { return aboutOf(lesson.VerbAbout(verb)) }
func replyClassLesson(code int) (about, bool)   { return aboutOf(lesson.ReplyClassAbout(code)) }
func kindLesson(k session.Kind) (about, bool)   { return aboutOf(lesson.KindAbout(k)) }
func capabilityMeaning(keyword string) string   { return lesson.CapabilityMeaning(keyword) }
