package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Text writes sessions for people: a headline per session and a compact
// ladder of its timeline, client on the left and server on the right.
type Text struct {
	w io.Writer
	// Totals accumulate over every session written.
	totals Totals
}

// Totals counts what a report covered.
type Totals struct {
	Sessions, Commands, Replies, TLSRecords, Messages, Findings, Anomalies int
}

// NewText returns a text writer to w.
func NewText(w io.Writer) *Text { return &Text{w: w} }

// Totals returns the counts of the sessions written so far.
func (t *Text) Totals() Totals { return t.totals }

// Write writes one session.
func (t *Text) Write(s *session.Session) error {
	t.totals.add(s)
	var b strings.Builder
	b.WriteString(Headline(s))
	b.WriteByte('\n')
	for _, e := range s.Timeline {
		writeEvent(&b, s, e)
	}
	for _, a := range s.Auth {
		where := "in clear"
		if a.InTLS {
			where = "inside TLS"
		}
		fmt.Fprintf(&b, "    credentials: AUTH %s user \"%s\" password %s → %d (%s, frame %d)\n",
			a.Mechanism, a.User, orNone(a.Password), a.Result, where, a.Frame)
	}
	if s.TLS.DecryptProblem != "" {
		fmt.Fprintf(&b, "    not decrypted: %s\n", s.TLS.DecryptProblem)
	}
	for _, f := range s.Findings {
		fmt.Fprintf(&b, "    ! %-6s %s  %s (%s)\n", f.Severity, f.Code, f.Summary, frames(f.Frames))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (tt *Totals) add(s *session.Session) {
	tt.Sessions++
	tt.Commands += len(s.Commands)
	tt.Replies += len(s.Replies)
	tt.TLSRecords += len(s.TLSRecords)
	tt.Messages += len(s.Messages)
	tt.Findings += len(s.Findings)
	tt.Anomalies += len(s.Anomalies)
}

// Headline is the one-line description of a session, e.g.
// "#3 10.0.0.5:51514 → 10.0.0.9:587 submission  STARTTLS TLS 1.3 …".
func Headline(s *session.Session) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s → %s %s ", s.Stream, s.Client, s.Server, s.PortRole)
	switch s.TLS.Mode {
	case session.TLSStartTLS:
		b.WriteString(" STARTTLS")
	case session.TLSImplicit:
		b.WriteString(" implicit-TLS")
	default:
		b.WriteString(" plaintext")
	}
	if s.TLS.Version != "" {
		b.WriteString(" " + s.TLS.Version)
	}
	if s.TLS.Cipher != "" {
		b.WriteString(" " + s.TLS.Cipher)
	}
	if s.TLS.SNI != "" {
		b.WriteString(" sni=" + s.TLS.SNI)
	}
	fmt.Fprintf(&b, "  %d cmds, %d replies, %d msgs", len(s.Commands), len(s.Replies), len(s.Messages))
	if n := len(s.TLSRecords); n > 0 {
		fmt.Fprintf(&b, ", %d TLS records", n)
	}
	fmt.Fprintf(&b, "  frames %d–%d  %s", s.FirstFrame, s.LastFrame, s.Duration().Round(time.Microsecond))
	if w := s.WorstFinding(); w != nil {
		fmt.Fprintf(&b, "  worst: %s %s", w.Severity, w.Code)
	}
	return b.String()
}

// writeEvent writes one ladder line: frame, time since the session start,
// phase, the arrow between C and S, and the summary.
func writeEvent(b *strings.Builder, s *session.Session, e session.Event) {
	arrow := "C ──▶ S"
	if e.Dir == wire.ServerToClient {
		arrow = "C ◀── S"
	}
	lock := " "
	if e.InTLS || e.Phase == session.PhaseEncrypted || e.Kind == session.KindTLSBulk {
		lock = "*"
	}
	fmt.Fprintf(b, "  %7d %10.6f  %-13s %s %s %s\n", e.Frame, e.Time.Sub(s.Start).Seconds(), e.Phase, arrow, lock, e.Summary)
}

// frames lists evidence frames: "frame 7" or "frames 7, 8".
func frames(fs []int64) string {
	if len(fs) == 0 {
		return "no frame"
	}
	if len(fs) == 1 {
		return fmt.Sprintf("frame %d", fs[0])
	}
	if len(fs) > 8 {
		return "frames " + JoinFrames(fs[:8], ", ") + fmt.Sprintf(", … %d more", len(fs)-8)
	}
	return "frames " + JoinFrames(fs, ", ")
}

// JoinFrames writes frame numbers joined by sep ("7, 8" or "7,8"), the one
// spelling of frame lists for every report and finding line.
func JoinFrames(fs []int64, sep string) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = strconv.FormatInt(f, 10)
	}
	return strings.Join(parts, sep)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
