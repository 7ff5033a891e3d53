package zeek

import (
	"strconv"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

func itoa(n int) string { return strconv.Itoa(n) }

// frameTime is the time of the first timeline event of frame f (the
// session's start when none).
func frameTime(s *session.Session, f int64) time.Time {
	for _, e := range s.Timeline {
		if e.Frame == f {
			return e.Time
		}
		if e.Frame > f {
			break
		}
	}
	return s.Start
}

// certTime is when the server's Certificate arrived.
func certTime(s *session.Session) time.Time {
	for _, r := range s.TLSRecords {
		if r.Frame == s.TLS.CertFrame {
			return r.Time
		}
	}
	return frameTime(s, s.TLS.CertFrame)
}

// history is Zeek's conn.log history (base/protocols/conn/main.zeek,
// Conn::Info$history) from the timeline: S SYN, H SYN-ACK, A the
// handshake's ACK, D data, F FIN, R RST, T retransmission, G gap; the
// originator's upper case, the responder's lower case, each letter once
// per direction, in order of first appearance. A SYN-ACK is the
// responder's "h"; "^" (direction flipped) is never needed since the
// client is known.
func history(s *session.Session) string {
	var b []byte
	seen := map[byte]bool{}
	add := func(c byte, client bool) {
		if !client {
			c += 'a' - 'A'
		}
		if !seen[c] {
			seen[c] = true
			b = append(b, c)
		}
	}
	for _, e := range s.Timeline {
		client := e.Dir == wire.ClientToServer
		switch e.Kind {
		case session.KindSYN:
			add('S', true)
		case session.KindSYNACK:
			add('H', false)
		case session.KindACK:
			add('A', true)
		case session.KindCommand, session.KindAuth, session.KindData, session.KindMessage, session.KindReply,
			session.KindTLS, session.KindTLSBulk:
			add('D', client)
		case session.KindFIN:
			add('F', client)
		case session.KindRST:
			add('R', client)
		case session.KindRetrans:
			add('T', client)
		case session.KindGap:
			add('G', client)
		}
	}
	return string(b)
}

// connState is Zeek's conn_state, as far as the session shows it: SF a
// normal close, RSTO/RSTR reset by the originator/responder, S1
// established and not closed, OTH no handshake seen (joined mid-stream).
func connState(s *session.Session, hist string) string {
	has := func(c byte) bool {
		for i := 0; i < len(hist); i++ {
			if hist[i] == c {
				return true
			}
		}
		return false
	}
	switch {
	case s.TCP.MidStream || !has('S'):
		return "OTH"
	case has('R'):
		return "RSTO"
	case has('r'):
		return "RSTR"
	case has('F') && has('f'):
		return "SF"
	case has('F'):
		return "S2"
	case has('f'):
		return "S3"
	case has('h'):
		return "S1"
	}
	return "S0"
}

// service is conn.log's service: the analyzers that confirmed the
// protocol (smtp, and ssl after STARTTLS or for implicit TLS).
func service(s *session.Session) string {
	switch {
	case s.TLS.Mode == session.TLSImplicit && len(s.Commands) == 0:
		return "ssl"
	case s.TLS.Mode == session.TLSImplicit:
		return "smtp,ssl"
	case s.TLS.Mode == session.TLSStartTLS && len(s.TLSRecords) > 0:
		return "smtp,ssl"
	case len(s.Commands) > 0 || len(s.Replies) > 0:
		return "smtp"
	}
	return ""
}

// connRow is the conn.log record of s.
func connRow(s *session.Session, uid string) Row {
	r := newRow(ConnSchema)
	r.set("ts", Time(s.Start))
	r.set("uid", Str(uid))
	r.connID(s)
	r.set("proto", Enum("tcp"))
	r.set("service", StrOpt(service(s)))
	if !s.End.IsZero() && !s.Start.IsZero() {
		r.set("duration", Interval(s.End.Sub(s.Start)))
	}
	r.set("orig_bytes", Count(s.TCP.BytesC2S))
	r.set("resp_bytes", Count(s.TCP.BytesS2C))
	h := history(s)
	r.set("conn_state", Str(connState(s, h)))
	r.set("missed_bytes", Count(s.TCP.GapBytes))
	r.set("history", StrOpt(h))
	if s.TCP.PacketsC2S+s.TCP.PacketsS2C > 0 {
		r.set("orig_pkts", Count(s.TCP.PacketsC2S))
		r.set("orig_ip_bytes", Count(s.TCP.IPBytesC2S))
		r.set("resp_pkts", Count(s.TCP.PacketsS2C))
		r.set("resp_ip_bytes", Count(s.TCP.IPBytesS2C))
	}
	r.set("smtpscope_stream", Count(s.Stream))
	r.set("smtpscope_port_role", Str(string(s.PortRole)))
	r.set("smtpscope_packets", Count(int64(s.TCP.Packets)))
	if s.RTT > 0 {
		r.set("smtpscope_rtt", Interval(s.RTT))
	}
	r.set("smtpscope_retransmissions", Count(int64(s.TCP.Retransmissions)))
	r.set("smtpscope_first_frame", Count(s.FirstFrame))
	r.set("smtpscope_last_frame", Count(s.LastFrame))
	return r.row
}

// weirdRows are weird.log records, one per anomaly: the parser met
// traffic that did not follow the protocol (Zeek's "weird").
func weirdRows(s *session.Session, uid string) []Row {
	var rows []Row
	for _, a := range s.Anomalies {
		r := newRow(WeirdSchema)
		r.set("ts", Time(frameTime(s, a.Frame)))
		r.set("uid", Str(uid))
		r.connID(s)
		r.set("name", Str(weirdName(a.Code)))
		r.set("addl", StrOpt(a.Summary))
		r.set("notice", Bool(false))
		r.set("peer", Str("smtpscope"))
		r.set("source", Str("SMTP"))
		r.set("smtpscope_frame", Count(a.Frame))
		rows = append(rows, r.row)
	}
	return rows
}

// weirdName spells an anomaly code as Zeek's weird names are spelt
// ("smtp.bare_lf" -> "smtp_bare_lf").
func weirdName(code string) string {
	b := []byte(code)
	for i, c := range b {
		if c == '.' || c == '-' {
			b[i] = '_'
		}
	}
	return string(b)
}

// noticeRows are notice.log records, one per finding, under the note
// SMTPScope::<code>.
func noticeRows(s *session.Session, uid string) []Row {
	return findingRows(s, uid, s.Findings)
}

// findingRows are notice.log records for the findings fs of s.
func findingRows(s *session.Session, uid string, fs []session.Finding) []Row {
	var rows []Row
	for _, f := range fs {
		r := newRow(NoticeSchema)
		var first int64
		if len(f.Frames) > 0 {
			first = f.Frames[0]
		}
		r.set("ts", Time(frameTime(s, first)))
		r.set("uid", Str(uid))
		r.connID(s)
		r.set("proto", Enum("tcp"))
		r.set("note", Enum("SMTPScope::"+weirdName(f.Code)))
		r.set("msg", StrOpt(f.Summary))
		r.set("sub", Str(string(f.Severity)))
		r.set("src", Addr(s.Client.IP))
		r.set("dst", Addr(s.Server.IP))
		r.set("p", Port(s.Server.Port))
		r.set("actions", List([]string{"Notice::ACTION_LOG"}))
		r.set("email_dest", List(nil))
		r.set("suppress_for", Interval(time.Hour))
		r.set("smtpscope_code", Str(f.Code))
		r.set("smtpscope_severity", Str(string(f.Severity)))
		r.set("smtpscope_frames", Counts(f.Frames))
		rows = append(rows, r.row)
	}
	return rows
}
