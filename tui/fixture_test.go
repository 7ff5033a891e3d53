package tui

import (
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// fx builds a session event by event, as the builder would.
type fx struct {
	s     *session.Session
	t     time.Time
	frame int64
}

func newFx(stream int64, client, server string, cport, sport uint16) *fx {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	return &fx{t: t0, s: &session.Session{
		Stream:   stream,
		Client:   session.Endpoint{IP: client, Port: cport},
		Server:   session.Endpoint{IP: server, Port: sport},
		PortRole: session.RoleOfPort(sport),
		Start:    t0,
		TLS:      session.TLSInfo{Mode: session.TLSNone},
	}}
}

// next advances time and frame and appends an event.
func (f *fx) ev(dir wire.Dir, p session.Phase, k session.Kind, ref int, summary string) *session.Event {
	f.frame++
	f.t = f.t.Add(3 * time.Millisecond)
	inTLS := false
	if n := len(f.s.Timeline); n > 0 {
		inTLS = f.s.Timeline[n-1].InTLS
	}
	f.s.Timeline = append(f.s.Timeline, session.Event{Frame: f.frame, Time: f.t, Dir: dir, Phase: p, Kind: k,
		Summary: summary, Ref: ref, InTLS: inTLS})
	if f.s.FirstFrame == 0 {
		f.s.FirstFrame = f.frame
	}
	f.s.LastFrame, f.s.End = f.frame, f.t
	return &f.s.Timeline[len(f.s.Timeline)-1]
}

func (f *fx) tcp(dir wire.Dir, p session.Phase, k session.Kind) {
	f.ev(dir, p, k, -1, string(k))
}

func (f *fx) cmd(p session.Phase, verb, arg string) int {
	i := len(f.s.Commands)
	e := f.ev(wire.ClientToServer, p, session.KindCommand, i, verb+" "+arg)
	f.s.Commands = append(f.s.Commands, session.Command{Frame: e.Frame, Time: e.Time, Verb: verb, Arg: arg, InTLS: e.InTLS})
	return i
}

func (f *fx) reply(p session.Phase, cmd, code int, lines ...string) {
	i := len(f.s.Replies)
	e := f.ev(wire.ServerToClient, p, session.KindReply, i, lines[0])
	f.s.Replies = append(f.s.Replies, session.Reply{Frame: e.Frame, Time: e.Time, Code: code, Lines: lines, InTLS: e.InTLS, Command: cmd})
	if cmd >= 0 {
		f.s.Commands[cmd].Reply = &session.ReplyRef{Frame: e.Frame, Code: code, Index: i, Latency: 3 * time.Millisecond}
	}
}

func (f *fx) rec(dir wire.Dir, p session.Phase, typ uint8, hs []uint8, length int, enc bool, summary string) {
	i := len(f.s.TLSRecords)
	e := f.ev(dir, p, session.KindTLS, i, "")
	f.s.TLSRecords = append(f.s.TLSRecords, session.TLSRecord{Frame: e.Frame, Time: e.Time, Dir: dir, Type: typ,
		Version: 0x0303, Length: length, Handshake: hs, Encrypted: enc, Summary: summary})
}

// startTLSSession is a relay session: TCP handshake, banner, EHLO, STARTTLS,
// TLS 1.3 handshake, four encrypted records, a decrypted QUIT and FIN.
func startTLSSession() *session.Session {
	c2s, s2c := wire.ClientToServer, wire.ServerToClient
	f := newFx(0, "192.0.2.10", "198.51.100.25", 40000, 25)
	f.tcp(c2s, session.PhaseTCPHandshake, session.KindSYN)
	f.tcp(s2c, session.PhaseTCPHandshake, session.KindSYNACK)
	f.tcp(c2s, session.PhaseTCPHandshake, session.KindACK)
	f.s.RTT = 6 * time.Millisecond
	f.reply(session.PhaseGreeting, -1, 220, "220 mx.example ESMTP")
	ehlo := f.cmd(session.PhaseEHLO, "EHLO", "client.example")
	f.reply(session.PhaseEHLO, ehlo, 250, "250-mx.example", "250-PIPELINING", "250-STARTTLS", "250 SIZE 10240000")
	f.s.Capabilities = []session.Capability{{Keyword: "PIPELINING"}, {Keyword: "STARTTLS"}, {Keyword: "SIZE", Params: []string{"10240000"}}}
	st := f.cmd(session.PhaseStartTLS, "STARTTLS", "")
	f.reply(session.PhaseStartTLS, st, 220, "220 2.0.0 Ready to start TLS")
	f.rec(c2s, session.PhaseTLSHandshake, 22, []uint8{1}, 512, false, "SNI mx.example")
	f.s.Timeline[len(f.s.Timeline)-1].InTLS = true
	f.rec(s2c, session.PhaseTLSHandshake, 22, []uint8{2}, 122, false, "TLS_AES_128_GCM_SHA256")
	f.rec(s2c, session.PhaseTLSHandshake, 20, nil, 1, false, "")
	f.rec(s2c, session.PhaseTLSHandshake, 23, nil, 2000, true, "")
	f.rec(s2c, session.PhaseTLSHandshake, 23, nil, 300, true, "")
	f.rec(c2s, session.PhaseTLSHandshake, 23, nil, 64, true, "")
	f.rec(c2s, session.PhaseTLSHandshake, 23, nil, 100, true, "")
	q := f.cmd(session.PhaseQuit, "QUIT", "")
	f.reply(session.PhaseQuit, q, 221, "221 2.0.0 Bye")
	f.tcp(c2s, session.PhaseTeardown, session.KindFIN)
	f.tcp(s2c, session.PhaseTeardown, session.KindFIN)
	f.s.TLS = session.TLSInfo{Mode: session.TLSStartTLS, Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256",
		SNI: "mx.example", ALPN: "smtp", JA4: "t13d1516h2_8daaf6152771_e5627efa2ab1", EncryptedRecords: 4, EncryptedBytes: 2464}
	f.s.Findings = []session.Finding{{Code: "auth.advertised_before_tls", Severity: session.SevLow, Frames: []int64{6}, Summary: "AUTH offered in clear"}}
	f.s.Complete = true
	return f.s
}

// plainSubmission is a port-587 session that authenticates and sends mail in
// clear.
func plainSubmission(stream int64, client string) *session.Session {
	c2s, s2c := wire.ClientToServer, wire.ServerToClient
	f := newFx(stream, client, "203.0.113.87", 50000, 587)
	f.tcp(c2s, session.PhaseTCPHandshake, session.KindSYN)
	f.tcp(s2c, session.PhaseTCPHandshake, session.KindSYNACK)
	f.tcp(c2s, session.PhaseTCPHandshake, session.KindACK)
	f.reply(session.PhaseGreeting, -1, 220, "220 submit.example ESMTP")
	e := f.cmd(session.PhaseEHLO, "EHLO", "laptop")
	f.reply(session.PhaseEHLO, e, 250, "250-submit.example", "250 AUTH PLAIN LOGIN")
	a := f.cmd(session.PhaseAuth, "AUTH", "PLAIN ********")
	f.reply(session.PhaseAuth, a, 235, "235 2.7.0 Authentication successful")
	m := f.cmd(session.PhaseEnvelope, "MAIL", "FROM:<bob@example.org>")
	f.reply(session.PhaseEnvelope, m, 250, "250 OK")
	r := f.cmd(session.PhaseEnvelope, "RCPT", "TO:<alice@example.com>")
	f.reply(session.PhaseEnvelope, r, 250, "250 OK")
	d := f.cmd(session.PhaseData, "DATA", "")
	f.reply(session.PhaseData, d, 354, "354 go ahead")
	f.ev(c2s, session.PhaseData, session.KindData, -1, "812 bytes")
	f.s.Messages = []session.Message{{Frame: f.frame, MailFrom: "bob@example.org", RcptTo: []string{"alice@example.com"},
		Subject: "quarterly report", Size: 812, Accepted: true, Reply: 250, Via: "DATA"}}
	f.reply(session.PhaseData, d, 250, "250 queued")
	q := f.cmd(session.PhaseQuit, "QUIT", "")
	f.reply(session.PhaseQuit, q, 221, "221 bye")
	f.tcp(c2s, session.PhaseTeardown, session.KindFIN)
	f.s.Auth = []session.AuthAttempt{{Frame: f.s.Commands[a].Frame, Mechanism: "PLAIN", User: "bob", Password: "********", Result: 235}}
	f.s.Findings = []session.Finding{
		{Code: "auth.plaintext", Severity: session.SevCrit, Frames: []int64{f.s.Commands[a].Frame}, Summary: "AUTH PLAIN outside TLS"},
		{Code: "mail.plaintext", Severity: session.SevHigh, Frames: []int64{f.s.Commands[m].Frame}, Summary: "envelope in clear"},
	}
	f.s.Complete = true
	return f.s
}

// implicitSession is a port-465 session with only a builder-collapsed bulk
// event after the handshake.
func implicitSession(stream int64) *session.Session {
	c2s, s2c := wire.ClientToServer, wire.ServerToClient
	f := newFx(stream, "192.0.2.99", "203.0.113.65", 51000, 465)
	f.tcp(c2s, session.PhaseTCPHandshake, session.KindSYN)
	f.tcp(s2c, session.PhaseTCPHandshake, session.KindSYNACK)
	f.tcp(c2s, session.PhaseTCPHandshake, session.KindACK)
	f.rec(c2s, session.PhaseTLSHandshake, 22, []uint8{1}, 300, false, "SNI smtp.example")
	f.rec(s2c, session.PhaseTLSHandshake, 22, []uint8{2}, 90, false, "")
	b := f.ev(s2c, session.PhaseTLSHandshake, session.KindTLSBulk, -1, "")
	b.Count, b.Bytes, b.InTLS = 12, 9000, true
	f.tcp(c2s, session.PhaseTeardown, session.KindFIN)
	f.s.TLS = session.TLSInfo{Mode: session.TLSImplicit, Version: "TLS 1.3", SNI: "smtp.example"}
	f.s.Complete = true
	return f.s
}

// hostileSession carries tview tags, escaped ESC sequences and bidi
// characters in every string the UI shows, as the sanitized model holds them.
func hostileSession(stream int64) *session.Session {
	c2s := wire.ClientToServer
	f := newFx(stream, "192.0.2.66", "198.51.100.66", 40666, 25)
	f.reply(session.PhaseGreeting, -1, 220, `220 [red]evil [:::https://x]link\x1b[31m \u{202e}txt`)
	c := f.cmd(session.PhaseEHLO, "EHLO", `[red]RED[:::https://x]LINK`)
	f.reply(session.PhaseEHLO, c, 250, `250 [::b]bold`)
	f.s.Capabilities = []session.Capability{{Keyword: "X[red]CAP"}}
	f.ev(c2s, session.PhaseData, session.KindData, -1, `[yellow]body\x1b[31m`)
	f.s.Findings = []session.Finding{{Code: "x[red]", Severity: session.SevHigh, Frames: []int64{2}, Summary: "[:::https://x]click"}}
	f.s.Complete = true
	return f.s
}

// storeOf returns a finished store holding ss.
func storeOf(ss ...*session.Session) *session.Store {
	st := session.NewStore()
	st.Update(func(add func(*session.Session), p *session.Progress) {
		for _, s := range ss {
			add(s)
		}
		p.Source, p.Done, p.Packets, p.Bytes = "test.pcap", true, 100, 10000
	})
	return st
}
