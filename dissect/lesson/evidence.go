package lesson

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Bounds of the evidence a finding shows on its page.
const (
	maxSegments     = 4
	maxSegmentLines = 10
	hexBytes        = 16
)

// segment is the bytes one side sent in one frame, as the events of that
// frame carry them.
type segment struct {
	frame  int64
	dir    wire.Dir
	events []int // timeline indices
}

// evidence adds the captured bytes of f's evidence, one block per segment
// (frame and direction): SMTP lines escaped by sanitize.Bytes with their
// line ends spelled \r\n or a bare \n, TLS records as their first bytes in
// hex, AUTH credentials masked as the model holds them (never taken from
// the raw bytes). Nothing is added when the builder kept no bytes and no
// event explains the frame.
func evidence(d *doc, s *session.Session, f *session.Finding) {
	var segs []segment
	for i := range s.Timeline {
		e := &s.Timeline[i]
		if !e.SharesFrame(f.Frames) {
			continue
		}
		if n := len(segs); n > 0 && segs[n-1].frame == e.Frame && segs[n-1].dir == e.Dir {
			segs[n-1].events = append(segs[n-1].events, i)
			continue
		}
		segs = append(segs, segment{frame: e.Frame, dir: e.Dir, events: []int{i}})
	}
	shown := 0
	for _, g := range segs {
		lines, size, raw := segmentLines(s, g)
		if len(lines) == 0 {
			continue
		}
		if shown == maxSegments {
			d.note("  … evidence in " + plural(len(segs)-shown, "more segment") + " (f lists the frames)")
			break
		}
		shown++
		who := "client → server"
		if g.dir == wire.ServerToClient {
			who = "server → client"
		}
		what := plural(size, "byte")
		if !raw {
			what = "as parsed"
		}
		caption := "Evidence: frame " + strconv.FormatInt(g.frame, 10) + ", " + who + ", " + what
		if len(g.events) > 1 {
			caption += ", " + strconv.Itoa(len(g.events)) + " items in one segment"
		}
		d.note(caption)
		if len(lines) > maxSegmentLines {
			lines = append(lines[:maxSegmentLines], "… "+plural(len(lines)-maxSegmentLines, "more line"))
		}
		for _, l := range lines {
			d.add(Evidence, l)
		}
	}
}

// segmentLines renders the events of g. raw says whether the lines come
// from the captured bytes (Event.Raw) rather than from the parsed model;
// size counts the captured bytes shown.
func segmentLines(s *session.Session, g segment) (lines []string, size int, raw bool) {
	raw = true
	for _, i := range g.events {
		e := &s.Timeline[i]
		switch {
		case e.Kind == session.KindCommand && e.Ref >= 0 && e.Ref < len(s.Commands) && s.Commands[e.Ref].Verb == "AUTH",
			e.Kind == session.KindAuth:
			// Credentials: the model's masked text, never the raw bytes.
			t, _ := eventText(s, e)
			lines = append(lines, strings.TrimSuffix(t, "   (sent after STARTTLS, before its 220: injected)")+"   (credentials masked)")
			raw = raw && len(e.Raw) > 0
		case e.Kind == session.KindTLS || e.Kind == session.KindTLSBulk:
			if len(e.Raw) == 0 {
				continue
			}
			n := min(len(e.Raw), hexBytes)
			l := hexLine(e.Raw[:n])
			if len(e.Raw) > n {
				l += " …"
			}
			t, _ := eventText(s, e)
			lines = append(lines, l+"   "+t)
			size += len(e.Raw)
		case len(e.Raw) > 0:
			lines = append(lines, escapeLines(e.Raw)...)
			size += len(e.Raw)
		case e.Kind == session.KindCommand || e.Kind == session.KindReply:
			first, more := eventText(s, e)
			lines = append(lines, first)
			lines = append(lines, more...)
			raw = false
		}
	}
	return lines, size, raw
}

// escapeLines splits b at its line ends and escapes each line; the line
// end is spelled out (\r\n, or \n for a bare LF, which is how SMTP
// smuggling hides a second message: RFC 5321, Section 2.3.8).
func escapeLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, sanitize.Bytes(b))
			break
		}
		line, end := b[:i], `\n`
		if i > 0 && b[i-1] == '\r' {
			line, end = b[:i-1], `\r\n`
		}
		out = append(out, sanitize.Bytes(line)+end)
		b = b[i+1:]
	}
	return out
}

// hexLine writes b as hex bytes separated by spaces.
func hexLine(b []byte) string {
	const digits = "0123456789abcdef"
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteByte(digits[c>>4])
		sb.WriteByte(digits[c&15])
	}
	return sb.String()
}
