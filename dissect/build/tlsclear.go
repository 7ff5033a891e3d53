package build

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/smtp"
	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// onTLSInClear shows a TLS record the client sent on the SMTP channel of a
// server that did not agree to TLS (RFC 3207, Section 4: TLS starts only
// after a 220 to STARTTLS) as a TLS record, read with the TLS record parser
// (SNI, offered versions), not as SMTP lines. The server's replies to its
// lines are paired with it (onReply, Reply.Record). The session stays
// plaintext: nothing was encrypted.
func (c *conn) onTLSInClear(e *smtp.Event) {
	s := c.s
	r := e.TLSInClear
	var got *tlsrec.Record
	p := tlsrec.NewParser(wire.ClientToServer, tlsrec.Options{SkipAppData: true}, recordFunc(func(rec *tlsrec.Record) {
		if got == nil && rec.Type != 0 {
			got = rec
		}
	}))
	p.Feed(r.Record, e.Pos)
	p.Close(e.Pos)
	rec := session.TLSRecord{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: wire.ClientToServer, Type: 22,
		Handshake: []uint8{}, InClear: true}
	if len(r.Record) >= 5 {
		rec.Version, rec.Length = uint16(r.Record[1])<<8|uint16(r.Record[2]), int(r.Record[3])<<8|int(r.Record[4])
	}
	what := "TLS handshake record"
	if got != nil {
		for _, h := range got.Handshake {
			rec.Handshake = append(rec.Handshake, h.Type)
			if h.ClientHello != nil {
				what = "ClientHello" + helloDetail(h.ClientHello)
			}
		}
	}
	rec.Summary = what + " sent in clear: the server did not agree to TLS"
	if r.Partial {
		rec.Summary += " (cut short)"
	}
	idx := len(s.TLSRecords)
	s.TLSRecords = append(s.TLSRecords, rec)
	sum := rec.Summary + ", " + bytesText(len(r.Record))
	if r.Lines > 0 {
		sum += "; the server reads it as " + strconv.Itoa(r.Lines) + " SMTP lines"
	}
	ph := c.phase
	if ph == session.PhaseTCPHandshake {
		ph = session.PhaseGreeting // before the greeting: the client spoke first
	}
	c.add(session.Event{Frame: e.Pos.Frame, Time: e.Pos.Time, Dir: wire.ClientToServer, Phase: ph, Kind: session.KindTLS,
		Summary: sum, Ref: idx, Raw: c.keep(r.Record, maxRawEvent)})
}

// helloDetail is " (SNI x; offers TLS 1.3, TLS 1.2)" for a ClientHello.
func helloDetail(ch *tlsrec.ClientHello) string {
	var parts []string
	if ch.SNI != "" {
		parts = append(parts, "SNI "+sanitize.String(ch.SNI))
	}
	versions := ch.SupportedVersions
	if len(versions) == 0 {
		versions = []uint16{ch.LegacyVersion}
	}
	var vs []string
	for _, v := range versions {
		if !tlsname.IsGREASE(v) {
			vs = append(vs, tlsname.VersionName(v))
		}
	}
	if len(vs) > 0 {
		parts = append(parts, "offers "+strings.Join(vs, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// clearRecord returns the index into Session.TLSRecords of the in-clear
// record numbered seq (smtp.TLSInClear.Seq), -1 if it was not kept.
func (c *conn) clearRecord(seq int) int {
	n := 0
	for i := range c.s.TLSRecords {
		if c.s.TLSRecords[i].InClear {
			if n++; n == seq {
				return i
			}
		}
	}
	return -1
}

// recordFunc adapts a function to tlsrec.Sink.
type recordFunc func(r *tlsrec.Record)

func (f recordFunc) Record(r *tlsrec.Record) { f(r) }
