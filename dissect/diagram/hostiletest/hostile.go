// Package hostiletest holds the hostile-text corpus that the diagram and
// HTML report tests push through every output: markup, script, CDATA ends,
// javascript: URLs, quotes that would close attributes, bidi overrides,
// control bytes and invalid UTF-8. Every entry carries the marker "EVIL" so
// that a test can find any of it that escaped into markup.
package hostiletest

import (
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// Marker is in every corpus entry.
const Marker = "EVIL"

// Corpus returns the hostile strings (raw, as a capture could carry them).
func Corpus() []string {
	return []string{
		`<script>alert("EVIL")</script>`,
		`</svg><script>EVIL()</script><svg>`,
		`]]><EVIL/><![CDATA[`,
		`<a href="javascript:EVIL()">x</a>`,
		`javascript:EVIL//`,
		`" onload="EVIL()" x="`,
		`' onmouseover='EVIL()' '`,
		`<img src=x onerror=EVIL>`,
		"<!--EVIL--><style>*{display:none}</style>",
		"EVIL\u202egnp.exe\u202c \u2066bidi\u2069 \u200bzero",
		"EVIL\x00\x01\x07\x1b[31mred\x1b[0m\x7f",
		"EVIL\xff\xfe\xc3 invalid utf-8 \xed\xa0\x80 surrogate",
		"EVIL \uFFFE\uFFFF noncharacters \uFDD0",
		"EVIL &amp; &lt;b&gt; &#60;script&#62; #60;script#62; %%{init}%% ; # : { } [ ]",
		"EVIL\r\nsequenceDiagram\nC->>S: injected",
	}
}

// Session returns a session whose every captured string is hostile:
// commands, replies, EHLO capabilities, TLS summaries, messages, findings,
// anomalies and auth. It is built as the model, the way the builder would
// fill it, so that every renderer sees it.
// PreviewMarker is the text preview of the hostile attachment: a report
// must never show it (attachment content stays out of reports).
const PreviewMarker = "ATTACHMENT-CONTENT-MUST-NOT-APPEAR"

func Session() *session.Session {
	c := Corpus()
	t0 := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	s := &session.Session{
		Stream: 7, Client: session.Endpoint{IP: "192.0.2.1", Port: 4000}, Server: session.Endpoint{IP: "198.51.100.2", Port: 25},
		PortRole: session.RoleRelay, FirstFrame: 1, Start: t0, End: t0.Add(time.Second),
		TLS: session.TLSInfo{Mode: session.TLSStartTLS, Version: c[0], Cipher: c[5], SNI: c[3], DecryptProblem: c[9]},
	}
	frame := int64(1)
	at := func() time.Time { frame++; return t0.Add(time.Duration(frame) * time.Millisecond) }
	for i, h := range c {
		tm := at()
		s.Commands = append(s.Commands, session.Command{Frame: frame, Time: tm, Verb: "EHLO", Arg: h, Reply: &session.ReplyRef{Frame: frame + 1, Code: 250, Index: i}})
		s.AddEvent(session.Event{Frame: frame, Time: tm, Dir: wire.ClientToServer, Phase: session.PhaseEHLO, Kind: session.KindCommand, Summary: "EHLO " + h, Ref: i})
		tm = at()
		s.Replies = append(s.Replies, session.Reply{Frame: frame, Time: tm, Code: 250, Lines: []string{"250-" + h, "250-" + h, "250 STARTTLS"}, Command: i})
		s.AddEvent(session.Event{Frame: frame, Time: tm, Dir: wire.ServerToClient, Phase: session.PhaseEHLO, Kind: session.KindReply, Summary: "250 " + h, Ref: i})
		tm = at()
		s.TLSRecords = append(s.TLSRecords, session.TLSRecord{Frame: frame, Time: tm, Dir: wire.ServerToClient, Type: 22, Length: 40, Summary: h})
		s.AddEvent(session.Event{Frame: frame, Time: tm, Dir: wire.ServerToClient, Phase: session.PhaseTLSHandshake, Kind: session.KindTLS, Summary: "Handshake: " + h, Ref: len(s.TLSRecords) - 1})
		s.Anomalies = append(s.Anomalies, session.Anomaly{Frame: frame, Code: h, Summary: h})
		s.AddEvent(session.Event{Frame: frame, Time: tm, Phase: session.PhaseData, Kind: session.KindAnomaly, Summary: h, Ref: len(s.Anomalies) - 1})
		s.Messages = append(s.Messages, session.Message{Frame: frame, FirstFrame: frame, MailFrom: h, RcptTo: []string{h, h}, From: h, To: h, Subject: h, Date: h, MessageID: h, Via: h, Smuggling: h,
			Cc: []string{h}, ReplyTo: h, UserAgent: h, XOriginatingIP: h, Path: []string{h, h}, DKIM: []session.DKIM{{Domain: h, Selector: h}},
			MailParams: &session.EnvParams{Body: h, Auth: h, EnvID: h, Other: []string{h}},
			Rcpts:      []session.Rcpt{{Addr: h, Frame: frame, Reply: 250, Params: &session.EnvParams{Notify: []string{h}, ORcpt: h, ORcptType: h}}},
			Parts: []session.Part{
				{ID: h, Parent: -1, MimeType: h, Charset: h, Encoding: h, Multipart: true},
				{ID: h, Section: h, Depth: 1, MimeType: h, Encoding: h, Filename: h, Disposition: h, Attachment: true, Size: 3, MD5: h, SHA1: h, SHA256: h, Preview: PreviewMarker},
			}})
		s.Findings = append(s.Findings, session.Finding{Code: h, Severity: session.Severity(h), Frames: []int64{frame}, Summary: h})
		s.Capabilities = append(s.Capabilities, session.Capability{Keyword: h, Params: []string{h}})
		s.Auth = append(s.Auth, session.AuthAttempt{Frame: frame, Mechanism: h, User: h, Password: "********"})
	}
	s.LastFrame = frame
	return s
}
