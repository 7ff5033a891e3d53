package filter

import (
	"iter"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// kind is the type of a field's values.
type kind uint8

const (
	kindString   kind = iota
	kindInt           // integers; counts are ints
	kindDuration      // nanoseconds
	kindVersion       // TLS versions, ranked (versionRank)
	kindSeverity      // finding severities, ranked (Severity.Rank)
	kindBool          // 0 or 1
	kindFrames        // the session's span of frames, first_frame..last_frame
)

func (k kind) String() string {
	switch k {
	case kindInt:
		return "a number"
	case kindDuration:
		return "a duration (2s, 150ms)"
	case kindVersion:
		return "a TLS version (1.2, 1.3)"
	case kindSeverity:
		return "a severity (info, low, medium, high, crit)"
	case kindBool:
		return "true or false"
	case kindFrames:
		return "a frame number"
	}
	return "text"
}

// short is the kind's name in the field list.
func (k kind) short() string {
	return [...]string{"text", "number", "duration", "version", "severity", "bool", "frame"}[k]
}

// field is one name a filter can test.
type field struct {
	name  string
	alias []string
	kind  kind
	help  string
	// bare: the name alone is a test (bool fields: true; counts: > 0).
	bare bool
	// enum, when set, lists the values a string field can have.
	enum []string
	str  func(*session.Session) iter.Seq[string]
	num  func(*session.Session) iter.Seq[int64]
}

func one[T any](v T) iter.Seq[T] { return func(yield func(T) bool) { yield(v) } }

func each[E, T any](list []E, get func(*E) T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for i := range list {
			if !yield(get(&list[i])) {
				return
			}
		}
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func cnt[E any](get func(*session.Session) []E) func(*session.Session) iter.Seq[int64] {
	return func(s *session.Session) iter.Seq[int64] { return one(int64(len(get(s)))) }
}

func strs(get func(*session.Session) string) func(*session.Session) iter.Seq[string] {
	return func(s *session.Session) iter.Seq[string] { return one(get(s)) }
}

func nums(get func(*session.Session) int64) func(*session.Session) iter.Seq[int64] {
	return func(s *session.Session) iter.Seq[int64] { return one(get(s)) }
}

func bools(get func(*session.Session) bool) func(*session.Session) iter.Seq[int64] {
	return func(s *session.Session) iter.Seq[int64] { return one(b2i(get(s))) }
}

// both yields the values of a and of b.
func both(a, b iter.Seq[string]) iter.Seq[string] {
	return func(yield func(string) bool) {
		for v := range a {
			if !yield(v) {
				return
			}
		}
		for v := range b {
			if !yield(v) {
				return
			}
		}
	}
}

// argsOf yields the arguments of the commands with this verb.
func argsOf(s *session.Session, verb string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := range s.Commands {
			if s.Commands[i].Verb == verb && !yield(s.Commands[i].Arg) {
				return
			}
		}
	}
}

func rcpts(s *session.Session) iter.Seq[string] {
	return both(argsOf(s, "RCPT"), func(yield func(string) bool) {
		for i := range s.Messages {
			for _, r := range s.Messages[i].RcptTo {
				if !yield(r) {
					return
				}
			}
		}
	})
}

func senders(s *session.Session) iter.Seq[string] {
	return both(argsOf(s, "MAIL"), func(yield func(string) bool) {
		for i := range s.Messages {
			if !yield(s.Messages[i].MailFrom) || !yield(s.Messages[i].From) {
				return
			}
		}
	})
}

func replyCodes(s *session.Session) iter.Seq[int64] {
	return each(s.Replies, func(r *session.Reply) int64 { return int64(r.Code) })
}

// fields is every field a filter can name, in the order `fields` help
// lists them. Names follow the JSON contract; the short aliases are the
// original filter words.
var fields = []field{
	{name: "stream", kind: kindInt, help: "TCP stream number (tshark's tcp.stream)",
		num: nums(func(s *session.Session) int64 { return s.Stream })},
	{name: "frame", kind: kindFrames, help: "a frame of the session (first_frame..last_frame)"},
	{name: "first_frame", kind: kindInt, num: nums(func(s *session.Session) int64 { return s.FirstFrame })},
	{name: "last_frame", kind: kindInt, num: nums(func(s *session.Session) int64 { return s.LastFrame })},
	{name: "client", kind: kindString, help: "client ip:port", str: strs(func(s *session.Session) string { return s.Client.String() })},
	{name: "server", kind: kindString, help: "server ip:port", str: strs(func(s *session.Session) string { return s.Server.String() })},
	{name: "client.ip", kind: kindString, str: strs(func(s *session.Session) string { return s.Client.IP })},
	{name: "server.ip", kind: kindString, str: strs(func(s *session.Session) string { return s.Server.IP })},
	{name: "client.port", kind: kindInt, num: nums(func(s *session.Session) int64 { return int64(s.Client.Port) })},
	{name: "server.port", kind: kindInt, num: nums(func(s *session.Session) int64 { return int64(s.Server.Port) })},
	{name: "addr", alias: []string{"ip", "host"}, kind: kindString, help: "client or server address",
		str: func(s *session.Session) iter.Seq[string] { return both(one(s.Client.String()), one(s.Server.String())) }},
	{name: "port", kind: kindInt, help: "client or server port", num: func(s *session.Session) iter.Seq[int64] {
		return func(yield func(int64) bool) { _ = yield(int64(s.Client.Port)) && yield(int64(s.Server.Port)) }
	}},
	{name: "port_role", alias: []string{"role"}, kind: kindString, enum: []string{"relay", "submission", "submissions", "other"},
		str: strs(func(s *session.Session) string {
			if s.PortRole == "" {
				return string(session.RoleOfPort(s.Server.Port))
			}
			return string(s.PortRole)
		})},
	{name: "duration", kind: kindDuration, help: "end - start", num: nums(func(s *session.Session) int64 {
		if s.End.IsZero() || s.Start.IsZero() {
			return 0
		}
		return int64(s.End.Sub(s.Start))
	})},
	{name: "rtt", kind: kindDuration, help: "SYN to handshake ACK", num: nums(func(s *session.Session) int64 { return int64(s.RTT) })},
	{name: "complete", kind: kindBool, bare: true, num: bools(func(s *session.Session) bool { return s.Complete })},

	{name: "tls", alias: []string{"tls.state"}, kind: kindString, enum: []string{"none", "starttls", "implicit", "failed"},
		help: "none, starttls, implicit or failed (plain = none)", str: strs(TLSState)},
	{name: "tls.mode", kind: kindString, enum: []string{"none", "starttls", "implicit"},
		str: strs(func(s *session.Session) string {
			if s.TLS.Mode == "" {
				return string(session.TLSNone)
			}
			return string(s.TLS.Mode)
		})},
	{name: "tls.version", kind: kindVersion, help: "negotiated version", num: func(s *session.Session) iter.Seq[int64] {
		return func(yield func(int64) bool) {
			if r, ok := versionRank(s.TLS.Version); ok {
				yield(r)
			}
		}
	}},
	{name: "tls.cipher", alias: []string{"tls.suite", "cipher"}, kind: kindString, str: strs(func(s *session.Session) string { return s.TLS.Cipher })},
	{name: "tls.sni", alias: []string{"sni"}, kind: kindString, str: strs(func(s *session.Session) string { return s.TLS.SNI })},
	{name: "tls.alpn", kind: kindString, str: strs(func(s *session.Session) string { return s.TLS.ALPN })},
	{name: "tls.ja3", kind: kindString, str: strs(func(s *session.Session) string { return s.TLS.JA3 })},
	{name: "tls.ja4", kind: kindString, str: strs(func(s *session.Session) string { return s.TLS.JA4 })},
	{name: "tls.decrypted", kind: kindBool, bare: true, num: bools(func(s *session.Session) bool { return s.TLS.Decrypted })},
	{name: "tls.encrypted_records", kind: kindInt, num: nums(func(s *session.Session) int64 { return int64(s.TLS.EncryptedRecords) })},
	{name: "tls.offered_versions", kind: kindVersion, num: func(s *session.Session) iter.Seq[int64] {
		return func(yield func(int64) bool) {
			for _, v := range s.TLS.OfferedVersions {
				if r, ok := versionRank(v); ok && !yield(r) {
					return
				}
			}
		}
	}},
	{name: "tls.offered_suites", kind: kindString, str: func(s *session.Session) iter.Seq[string] {
		return each(s.TLS.OfferedSuites, func(v *string) string { return *v })
	}},
	{name: "tls_records", kind: kindInt, bare: true, help: "number of TLS records", num: cnt(func(s *session.Session) []session.TLSRecord { return s.TLSRecords })},

	{name: "capabilities.keyword", alias: []string{"capability", "ehlo"}, kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Capabilities, func(c *session.Capability) string { return c.Keyword })
		}},
	{name: "commands", alias: []string{"cmds"}, kind: kindInt, bare: true, help: "number of commands", num: cnt(func(s *session.Session) []session.Command { return s.Commands })},
	{name: "commands.verb", alias: []string{"cmd", "command", "verb"}, kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Commands, func(c *session.Command) string { return c.Verb })
		}},
	{name: "commands.arg", kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Commands, func(c *session.Command) string { return c.Arg })
		}},
	{name: "commands.pipelined", alias: []string{"pipelined"}, kind: kindBool, bare: true,
		num: func(s *session.Session) iter.Seq[int64] {
			return each(s.Commands, func(c *session.Command) int64 { return b2i(c.Pipelined) })
		}},
	{name: "replies", kind: kindInt, bare: true, help: "number of replies", num: cnt(func(s *session.Session) []session.Reply { return s.Replies })},
	{name: "replies.code", alias: []string{"reply", "reply.code", "code"}, kind: kindInt, help: "any reply's code", num: replyCodes},
	{name: "replies.enhanced", alias: []string{"reply.enhanced"}, kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Replies, func(r *session.Reply) string { return r.Enhanced })
		}},
	{name: "replies.lines", alias: []string{"reply.text"}, kind: kindString, str: func(s *session.Session) iter.Seq[string] {
		return func(yield func(string) bool) {
			for i := range s.Replies {
				for _, l := range s.Replies[i].Lines {
					if !yield(l) {
						return
					}
				}
			}
		}
	}},
	{name: "auth.mechanism", kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Auth, func(a *session.AuthAttempt) string { return a.Mechanism })
		}},
	{name: "auth.user", alias: []string{"user"}, kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Auth, func(a *session.AuthAttempt) string { return a.User })
		}},
	{name: "auth.result", kind: kindInt,
		num: func(s *session.Session) iter.Seq[int64] {
			return each(s.Auth, func(a *session.AuthAttempt) int64 { return int64(a.Result) })
		}},

	{name: "messages", alias: []string{"msgs"}, kind: kindInt, bare: true, help: "number of messages", num: cnt(func(s *session.Session) []session.Message { return s.Messages })},
	{name: "messages.mail_from", alias: []string{"from", "mail"}, kind: kindString, help: "MAIL FROM or a From header", str: senders},
	{name: "messages.rcpt_to", alias: []string{"rcpt", "to"}, kind: kindString, help: "RCPT TO or a recipient", str: rcpts},
	{name: "messages.from", kind: kindString, help: "the From header",
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Messages, func(m *session.Message) string { return m.From })
		}},
	{name: "messages.to", kind: kindString, help: "the To header",
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Messages, func(m *session.Message) string { return m.To })
		}},
	{name: "messages.subject", alias: []string{"subject", "subj"}, kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Messages, func(m *session.Message) string { return m.Subject })
		}},
	{name: "messages.message_id", kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Messages, func(m *session.Message) string { return m.MessageID })
		}},
	{name: "messages.size", kind: kindInt,
		num: func(s *session.Session) iter.Seq[int64] {
			return each(s.Messages, func(m *session.Message) int64 { return m.Size })
		}},
	{name: "messages.accepted", kind: kindBool, bare: true,
		num: func(s *session.Session) iter.Seq[int64] {
			return each(s.Messages, func(m *session.Message) int64 { return b2i(m.Accepted) })
		}},

	{name: "findings", kind: kindInt, bare: true, help: "number of findings", num: cnt(func(s *session.Session) []session.Finding { return s.Findings })},
	{name: "findings.code", alias: []string{"finding"}, kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Findings, func(f *session.Finding) string { return f.Code })
		}},
	{name: "findings.severity", alias: []string{"severity"}, kind: kindSeverity,
		num: func(s *session.Session) iter.Seq[int64] {
			return each(s.Findings, func(f *session.Finding) int64 { return int64(f.Severity.Rank()) })
		}},
	{name: "anomalies", kind: kindInt, bare: true, help: "number of anomalies", num: cnt(func(s *session.Session) []session.Anomaly { return s.Anomalies })},
	{name: "anomalies.code", alias: []string{"anomaly"}, kind: kindString,
		str: func(s *session.Session) iter.Seq[string] {
			return each(s.Anomalies, func(a *session.Anomaly) string { return a.Code })
		}},

	{name: "tcp.packets", kind: kindInt, num: nums(func(s *session.Session) int64 { return int64(s.TCP.Packets) })},
	{name: "tcp.bytes_c2s", kind: kindInt, num: nums(func(s *session.Session) int64 { return s.TCP.BytesC2S })},
	{name: "tcp.bytes_s2c", kind: kindInt, num: nums(func(s *session.Session) int64 { return s.TCP.BytesS2C })},
	{name: "tcp.retransmissions", kind: kindInt, num: nums(func(s *session.Session) int64 { return int64(s.TCP.Retransmissions) })},
	{name: "tcp.gaps", kind: kindInt, num: nums(func(s *session.Session) int64 { return int64(s.TCP.Gaps) })},
	{name: "tcp.gap_bytes", kind: kindInt, num: nums(func(s *session.Session) int64 { return s.TCP.GapBytes })},
	{name: "tcp.mid_stream", kind: kindBool, bare: true, num: bools(func(s *session.Session) bool { return s.TCP.MidStream })},
}

// lookup finds a field by name or alias, without regard to case.
func lookup(name string) (*field, bool) {
	name = strings.ToLower(name)
	for i := range fields {
		f := &fields[i]
		if f.name == name {
			return f, true
		}
		for _, a := range f.alias {
			if a == name {
				return f, true
			}
		}
	}
	return nil, false
}

// Field describes one field for help texts and completion.
type Field struct {
	Name, Type, Help string
	Aliases          []string
}

// Fields lists every field a filter can name.
func Fields() []Field {
	out := make([]Field, len(fields))
	for i, f := range fields {
		out[i] = Field{Name: f.name, Type: f.kind.short(), Help: f.help, Aliases: f.alias}
	}
	return out
}

// TLSState is what TLS did for a session: "none", "starttls", "implicit",
// or "failed" (STARTTLS refused, RFC 3207 §4, or a handshake that never
// finished, or clear text after a failed handshake).
func TLSState(s *session.Session) string {
	for i := range s.Commands {
		c := &s.Commands[i]
		// RFC 3207, Section 4: only 220 starts the handshake; 454 or 5xx
		// leave the session in clear.
		if c.Verb == "STARTTLS" && c.Reply != nil && c.Reply.Code != 220 {
			return "failed"
		}
	}
	for _, f := range s.Findings {
		if f.Code == "starttls.tls_failed_then_plain" || f.Code == "starttls.no_tls_after_220" {
			return "failed"
		}
	}
	switch s.TLS.Mode {
	case session.TLSStartTLS, session.TLSImplicit:
		if s.TLS.Version == "" && s.Complete {
			return "failed" // no ServerHello: the handshake never finished
		}
		return string(s.TLS.Mode)
	}
	return "none"
}
