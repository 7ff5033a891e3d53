package report

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// The NDJSON session object, written by hand: the field names, their order,
// omitempty and null-versus-[] are the contract of ARCHITECTURE.md ("The
// CLI contract"), exactly as encoding/json wrote them from the structs in
// json_reference_test.go, which TestNDJSONSameBytes compares byte for byte
// on every sample session (and on random sessions). Fields may be added,
// never renamed.
//
// The model types that other packages own and that appear in the object
// as they are (TLSInfo, Capability, Finding, TCPStats) are written by hand
// only while their fields are the ones listed in handFields; a type that
// gained or changed a field is written by encoding/json until ndjson.go
// learns it, so the output stays right, only slower. Messages, AUTH
// attempts and certificates (a few per session) always go through
// encoding/json.

// rfc3339 is the time format of the contract, with nanoseconds when present.
const rfc3339 = time.RFC3339Nano

// JSON writes sessions as NDJSON, one object per line.
type JSON struct {
	w   io.Writer
	buf []byte
	// slow is for the parts written by encoding/json.
	slow    bytes.Buffer
	slowEnc *json.Encoder
	// hand says which model types are written by hand (their fields are
	// the ones this file knows).
	hand handTypes
	// stamp is the text of second stampSec ("2006-01-02T15:04:05", UTC)
	// when stampSet: the events of a session share their seconds.
	stamp    []byte
	stampSec int64
	stampSet bool
}

// maxKeptBuf is the largest line buffer kept between sessions.
const maxKeptBuf = 1 << 20

// NewJSON returns a writer of NDJSON sessions to w.
func NewJSON(w io.Writer) *JSON {
	j := &JSON{w: w, hand: checkHandTypes()}
	j.slowEnc = json.NewEncoder(&j.slow)
	j.slowEnc.SetEscapeHTML(false)
	return j
}

// Write writes s as one JSON line.
func (j *JSON) Write(s *session.Session) error {
	b, err := j.appendSession(j.buf[:0], s)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = j.w.Write(b)
	if cap(b) <= maxKeptBuf {
		j.buf = b
	} else {
		j.buf = nil
	}
	return err
}

// jsonMessage is one element of "messages": the model's Message with its
// time as text, and Zeek's smtp.log names for the fields whose contract
// names differ (mail_from, rcpt_to, message_id stay: never renamed).
type jsonMessage struct {
	session.Message
	Time      string   `json:"time"`
	ZMailFrom string   `json:"mailfrom"`
	ZRcptTo   []string `json:"rcptto"`
	ZMsgID    string   `json:"msg_id,omitempty"`
}

// newJSONMessage makes the JSON form of m.
func newJSONMessage(m *session.Message) jsonMessage {
	return jsonMessage{Message: *m, Time: m.Time.UTC().Format(rfc3339), ZMailFrom: m.MailFrom, ZRcptTo: m.RcptTo, ZMsgID: m.MessageID}
}

func (j *JSON) appendSession(b []byte, s *session.Session) ([]byte, error) {
	var err error
	b = append(b, `{"stream":`...)
	b = strconv.AppendInt(b, s.Stream, 10)
	b = append(b, `,"client":`...)
	b = appendEndpoint(b, s.Client)
	b = append(b, `,"server":`...)
	b = appendEndpoint(b, s.Server)
	b = append(b, `,"port_role":`...)
	b = appendString(b, string(s.PortRole))
	b = append(b, `,"first_frame":`...)
	b = strconv.AppendInt(b, s.FirstFrame, 10)
	b = append(b, `,"last_frame":`...)
	b = strconv.AppendInt(b, s.LastFrame, 10)
	b = append(b, `,"start":`...)
	b = j.appendTime(b, s.Start)
	b = append(b, `,"end":`...)
	b = j.appendTime(b, s.End)
	if rtt := ms(s.RTT); rtt != 0 {
		b = append(b, `,"rtt_ms":`...)
		b = appendFloat(b, rtt)
	}
	b = append(b, `,"tls":`...)
	if b, err = j.appendTLSInfo(b, &s.TLS); err != nil {
		return b, err
	}
	if len(s.Capabilities) > 0 {
		b = append(b, `,"capabilities":`...)
		if j.hand.capability {
			b = append(b, '[')
			for i := range s.Capabilities {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendCapability(b, &s.Capabilities[i])
			}
			b = append(b, ']')
		} else if b, err = j.appendSlow(b, s.Capabilities); err != nil {
			return b, err
		}
	}
	if d := session.DiffCapabilities(s); d != nil {
		b = append(b, `,"capabilities_diff":`...)
		if b, err = j.appendSlow(b, d); err != nil {
			return b, err
		}
	}
	b = append(b, `,"commands":[`...)
	for i := range s.Commands {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCommand(b, &s.Commands[i])
	}
	b = append(b, `],"replies":[`...)
	for i := range s.Replies {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendReply(b, &s.Replies[i])
	}
	b = append(b, ']')
	if len(s.Auth) > 0 {
		b = append(b, `,"auth":`...)
		if b, err = j.appendSlow(b, s.Auth); err != nil {
			return b, err
		}
	}
	b = append(b, `,"tls_records":[`...)
	for i := range s.TLSRecords {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRecord(b, &s.TLSRecords[i])
	}
	b = append(b, `],"timeline":[`...)
	for i := range s.Timeline {
		if i > 0 {
			b = append(b, ',')
		}
		b = j.appendEvent(b, &s.Timeline[i])
	}
	b = append(b, `],"messages":[`...)
	for i := range s.Messages {
		if i > 0 {
			b = append(b, ',')
		}
		m := &s.Messages[i]
		if b, err = j.appendSlow(b, newJSONMessage(m)); err != nil {
			return b, err
		}
	}
	b = append(b, `],"findings":[`...)
	for i := range s.Findings {
		if i > 0 {
			b = append(b, ',')
		}
		if j.hand.finding {
			b = appendFinding(b, &s.Findings[i])
		} else if b, err = j.appendSlow(b, s.Findings[i]); err != nil {
			return b, err
		}
	}
	b = append(b, `],"anomalies":[`...)
	for i := range s.Anomalies {
		if i > 0 {
			b = append(b, ',')
		}
		a := &s.Anomalies[i]
		b = append(b, `{"frame":`...)
		b = strconv.AppendInt(b, a.Frame, 10)
		b = append(b, `,"dir":`...)
		b = appendString(b, a.Dir.String())
		b = append(b, `,"code":`...)
		b = appendString(b, a.Code)
		b = append(b, `,"summary":`...)
		b = appendString(b, a.Summary)
		b = append(b, '}')
	}
	b = append(b, `],"tcp":`...)
	if j.hand.tcpStats {
		b = appendTCPStats(b, &s.TCP)
	} else if b, err = j.appendSlow(b, s.TCP); err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

// appendSlow appends v as encoding/json writes it (HTML not escaped).
func (j *JSON) appendSlow(b []byte, v any) ([]byte, error) {
	j.slow.Reset()
	if err := j.slowEnc.Encode(v); err != nil {
		return b, err
	}
	out := j.slow.Bytes()
	return append(b, out[:len(out)-1]...), nil // without Encode's newline
}

func appendEndpoint(b []byte, e session.Endpoint) []byte {
	b = append(b, '"')
	n := len(b)
	if strings.IndexByte(e.IP, ':') >= 0 {
		b = append(b, '[')
		b = append(b, e.IP...)
		b = append(b, ']')
	} else {
		b = append(b, e.IP...)
	}
	if !safeASCII(b[n:]) {
		// An address is never anything else; but the contract is the
		// string's JSON, whatever it holds.
		return appendString(b[:n-1], e.String())
	}
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(e.Port), 10)
	return append(b, '"')
}

// appendTime appends t in UTC as a JSON string (RFC 3339, nanoseconds
// when present, trailing zeros cut: time.RFC3339Nano).
func (j *JSON) appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	if sec := t.Unix(); !j.stampSet || sec != j.stampSec {
		if y := t.Year(); y < 0 || y > 9999 {
			return appendTimeFormat(b, t)
		}
		j.stamp = t.AppendFormat(j.stamp[:0], "2006-01-02T15:04:05")
		j.stampSec, j.stampSet = sec, true
	}
	b = append(b, '"')
	b = append(b, j.stamp...)
	if ns := t.Nanosecond(); ns != 0 {
		var d [10]byte
		d[0] = '.'
		for k := 9; k >= 1; k-- {
			d[k] = byte('0' + ns%10)
			ns /= 10
		}
		n := len(d)
		for d[n-1] == '0' {
			n--
		}
		b = append(b, d[:n]...)
	}
	return append(b, 'Z', '"')
}

// appendTimeFormat is appendTime by time.AppendFormat.
func appendTimeFormat(b []byte, t time.Time) []byte {
	b = append(b, '"')
	n := len(b)
	b = t.UTC().AppendFormat(b, rfc3339)
	if !safeASCII(b[n:]) {
		s := string(b[n:])
		return appendString(b[:n-1], s)
	}
	return append(b, '"')
}

func (j *JSON) appendTLSInfo(b []byte, t *session.TLSInfo) ([]byte, error) {
	if !j.hand.tlsInfo {
		return j.appendSlow(b, t)
	}
	var err error
	b = append(b, `{"mode":`...)
	b = appendString(b, string(t.Mode))
	b = appendOptString(b, `,"version":`, t.Version)
	b = appendOptString(b, `,"cipher":`, t.Cipher)
	b = appendOptString(b, `,"sni":`, t.SNI)
	b = appendOptString(b, `,"alpn":`, t.ALPN)
	b = appendOptString(b, `,"curve":`, t.Curve)
	b = appendOptString(b, `,"ja3":`, t.JA3)
	b = appendOptString(b, `,"ja4":`, t.JA4)
	b = appendOptString(b, `,"ja3s":`, t.JA3S)
	b = appendOptString(b, `,"ja4s":`, t.JA4S)
	if t.SNIMatchesCert != nil {
		b = append(b, `,"sni_matches_cert":`...)
		b = strconv.AppendBool(b, *t.SNIMatchesCert)
	}
	if len(t.OfferedVersions) > 0 {
		b = append(b, `,"offered_versions":`...)
		b = appendStrings(b, t.OfferedVersions)
	}
	if len(t.OfferedSuites) > 0 {
		b = append(b, `,"offered_suites":`...)
		b = appendStrings(b, t.OfferedSuites)
	}
	if len(t.Certificates) > 0 {
		b = append(b, `,"certificates":`...)
		if b, err = j.appendSlow(b, t.Certificates); err != nil {
			return b, err
		}
	}
	if t.CertFrame != 0 {
		b = append(b, `,"cert_frame":`...)
		b = strconv.AppendInt(b, t.CertFrame, 10)
	}
	b = append(b, `,"decrypted":`...)
	b = strconv.AppendBool(b, t.Decrypted)
	b = appendOptString(b, `,"decrypt_problem":`, t.DecryptProblem)
	b = append(b, `,"encrypted_records":`...)
	b = strconv.AppendInt(b, int64(t.EncryptedRecords), 10)
	b = append(b, `,"encrypted_bytes":`...)
	b = strconv.AppendInt(b, t.EncryptedBytes, 10)
	return append(b, '}'), nil
}

func appendCapability(b []byte, c *session.Capability) []byte {
	b = append(b, `{"keyword":`...)
	b = appendString(b, c.Keyword)
	if len(c.Params) > 0 {
		b = append(b, `,"params":`...)
		b = appendStrings(b, c.Params)
	}
	b = append(b, `,"in_tls":`...)
	b = strconv.AppendBool(b, c.InTLS)
	return append(b, '}')
}

func appendCommand(b []byte, c *session.Command) []byte {
	b = append(b, `{"frame":`...)
	b = strconv.AppendInt(b, c.Frame, 10)
	b = append(b, `,"verb":`...)
	b = appendString(b, c.Verb)
	b = append(b, `,"arg":`...)
	b = appendString(b, c.Arg)
	b = append(b, `,"in_tls":`...)
	b = strconv.AppendBool(b, c.InTLS)
	if c.Pipelined {
		b = append(b, `,"pipelined":true`...)
	}
	if c.AfterStartTLS {
		b = append(b, `,"after_starttls":true`...)
	}
	if c.Smuggled {
		b = append(b, `,"smuggled":true`...)
	}
	b = appendOptString(b, `,"verb_sent":`, c.VerbSent)
	b = append(b, `,"reply":`...)
	if r := c.Reply; r == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"frame":`...)
		b = strconv.AppendInt(b, r.Frame, 10)
		b = append(b, `,"code":`...)
		b = strconv.AppendInt(b, int64(r.Code), 10)
		b = append(b, `,"latency_ms":`...)
		b = appendFloat(b, ms(r.Latency))
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendReply(b []byte, r *session.Reply) []byte {
	b = append(b, `{"frame":`...)
	b = strconv.AppendInt(b, r.Frame, 10)
	b = append(b, `,"code":`...)
	b = strconv.AppendInt(b, int64(r.Code), 10)
	b = appendOptString(b, `,"enhanced":`, r.Enhanced)
	b = append(b, `,"lines":`...)
	if r.Lines == nil {
		b = append(b, "[]"...) // the contract: a list, never null
	} else {
		b = appendStrings(b, r.Lines)
	}
	b = append(b, `,"in_tls":`...)
	b = strconv.AppendBool(b, r.InTLS)
	if r.TLSRecord != nil {
		b = append(b, `,"tls_record":`...)
		b = strconv.AppendInt(b, int64(*r.TLSRecord), 10)
	}
	return append(b, '}')
}

func appendRecord(b []byte, r *session.TLSRecord) []byte {
	b = append(b, `{"frame":`...)
	b = strconv.AppendInt(b, r.Frame, 10)
	b = append(b, `,"dir":`...)
	b = appendString(b, r.Dir.String())
	b = append(b, `,"type":`...)
	b = strconv.AppendUint(b, uint64(r.Type), 10)
	b = append(b, `,"version":`...)
	b = strconv.AppendUint(b, uint64(r.Version), 10)
	b = append(b, `,"length":`...)
	b = strconv.AppendInt(b, int64(r.Length), 10)
	b = append(b, `,"handshake":[`...)
	for i, h := range r.Handshake {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(h), 10)
	}
	b = append(b, ']')
	if r.Encrypted {
		b = append(b, `,"encrypted":true`...)
	}
	if r.Decrypted {
		b = append(b, `,"decrypted":true`...)
	}
	b = appendOptString(b, `,"summary":`, r.Summary)
	if r.InClear {
		b = append(b, `,"in_clear":true`...)
	}
	if r.Replies != 0 {
		b = append(b, `,"replies":`...)
		b = strconv.AppendInt(b, int64(r.Replies), 10)
	}
	return append(b, '}')
}

func (j *JSON) appendEvent(b []byte, e *session.Event) []byte {
	b = append(b, `{"frame":`...)
	b = strconv.AppendInt(b, e.Frame, 10)
	b = append(b, `,"time":`...)
	b = j.appendTime(b, e.Time)
	b = append(b, `,"dir":`...)
	b = appendString(b, e.Dir.String())
	b = append(b, `,"phase":`...)
	b = appendString(b, string(e.Phase))
	b = append(b, `,"kind":`...)
	b = appendString(b, string(e.Kind))
	b = append(b, `,"summary":`...)
	b = appendString(b, e.Summary)
	if e.InTLS {
		b = append(b, `,"in_tls":true`...)
	}
	if e.Count != 0 {
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, int64(e.Count), 10)
	}
	if e.Bytes != 0 {
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, e.Bytes, 10)
	}
	return append(b, '}')
}

func appendFinding(b []byte, f *session.Finding) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, f.Code)
	b = append(b, `,"severity":`...)
	b = appendString(b, string(f.Severity))
	b = append(b, `,"frames":`...)
	b = appendInts(b, f.Frames)
	b = append(b, `,"summary":`...)
	b = appendString(b, f.Summary)
	return append(b, '}')
}

func appendTCPStats(b []byte, t *session.TCPStats) []byte {
	b = append(b, `{"packets":`...)
	b = strconv.AppendInt(b, int64(t.Packets), 10)
	b = append(b, `,"bytes_c2s":`...)
	b = strconv.AppendInt(b, t.BytesC2S, 10)
	b = append(b, `,"bytes_s2c":`...)
	b = strconv.AppendInt(b, t.BytesS2C, 10)
	b = append(b, `,"packets_c2s":`...)
	b = strconv.AppendInt(b, t.PacketsC2S, 10)
	b = append(b, `,"packets_s2c":`...)
	b = strconv.AppendInt(b, t.PacketsS2C, 10)
	b = append(b, `,"ip_bytes_c2s":`...)
	b = strconv.AppendInt(b, t.IPBytesC2S, 10)
	b = append(b, `,"ip_bytes_s2c":`...)
	b = strconv.AppendInt(b, t.IPBytesS2C, 10)
	b = append(b, `,"retransmissions":`...)
	b = strconv.AppendInt(b, int64(t.Retransmissions), 10)
	b = append(b, `,"out_of_order":`...)
	b = strconv.AppendInt(b, int64(t.OutOfOrder), 10)
	b = append(b, `,"gap_bytes":`...)
	b = strconv.AppendInt(b, t.GapBytes, 10)
	b = append(b, `,"gaps":`...)
	b = strconv.AppendInt(b, int64(t.Gaps), 10)
	if t.OverlapConflicts != 0 {
		b = append(b, `,"overlap_conflicts":`...)
		b = strconv.AppendInt(b, int64(t.OverlapConflicts), 10)
	}
	b = append(b, `,"mid_stream":`...)
	b = strconv.AppendBool(b, t.MidStream)
	b = appendOptString(b, `,"closed_by":`, t.ClosedBy)
	return append(b, '}')
}

// appendOptString appends key and s unless s is empty (omitempty).
func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, key...)
	return appendString(b, s)
}

// appendStrings appends a list of strings; nil is null, as encoding/json
// writes a nil slice.
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendInts(b []byte, xs []int64) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, x, 10)
	}
	return append(b, ']')
}

// ms is a duration in milliseconds with microsecond precision.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// appendFloat appends f as encoding/json writes a float64 (ES6 number
// formatting: %f, or %e outside [1e-6, 1e21) with "e-09" made "e-9").
func appendFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		// encoding/json fails; a duration is never one.
		return append(b, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// safeASCII reports whether b is printable ASCII without '"' or '\\'.
func safeASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json does
// with SetEscapeHTML(false): `\"`, `\\`, \b \f \n \r \t, other C0
// controls as \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped;
// everything else as it is.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		for i+8 <= len(s) && safe8(uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
			uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56) {
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// safe8 reports whether none of the 8 bytes of x needs escaping in a JSON
// string: none is below 0x20, '"', '\\' or 0x80 and above (then
// appendString looks closer). Each test is the "has a zero byte" word
// trick, exact for whether any byte matches once no byte has its high bit.
func safe8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q, bs := x^(lo*'"'), x^(lo*'\\')
	return ((x-lo*0x20)&^x|(q-lo)&^q|(bs-lo)&^bs|x)&hi == 0
}

// handTypes says which model types ndjson.go writes by hand.
type handTypes struct {
	tlsInfo, capability, finding, tcpStats bool
}

// handFields returns the fields (name, type, tag) of a model type as this
// file writes them ("" for a type it does not write by hand). A type whose
// fields differ is written by encoding/json.
func handFields(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[session.TLSInfo]():
		return `Mode session.TLSMode json:"mode"; Version string json:"version,omitempty"; ` +
			`Cipher string json:"cipher,omitempty"; SNI string json:"sni,omitempty"; ALPN string json:"alpn,omitempty"; ` +
			`Curve string json:"curve,omitempty"; JA3 string json:"ja3,omitempty"; JA4 string json:"ja4,omitempty"; ` +
			`JA3S string json:"ja3s,omitempty"; JA4S string json:"ja4s,omitempty"; ` +
			`SNIMatchesCert *bool json:"sni_matches_cert,omitempty"; ` +
			`OfferedVersions []string json:"offered_versions,omitempty"; OfferedSuites []string json:"offered_suites,omitempty"; ` +
			`Certificates []session.Certificate json:"certificates,omitempty"; CertFrame int64 json:"cert_frame,omitempty"; ` +
			`Decrypted bool json:"decrypted"; DecryptProblem string json:"decrypt_problem,omitempty"; ` +
			`EncryptedRecords int json:"encrypted_records"; EncryptedBytes int64 json:"encrypted_bytes"; `
	case reflect.TypeFor[session.Capability]():
		return `Keyword string json:"keyword"; Params []string json:"params,omitempty"; ` +
			`InTLS bool json:"in_tls"; `
	case reflect.TypeFor[session.Finding]():
		return `Code string json:"code"; Severity session.Severity json:"severity"; ` +
			`Frames []int64 json:"frames"; Summary string json:"summary"; `
	case reflect.TypeFor[session.TCPStats]():
		return `Packets int json:"packets"; BytesC2S int64 json:"bytes_c2s"; ` +
			`BytesS2C int64 json:"bytes_s2c"; PacketsC2S int64 json:"packets_c2s"; PacketsS2C int64 json:"packets_s2c"; ` +
			`IPBytesC2S int64 json:"ip_bytes_c2s"; IPBytesS2C int64 json:"ip_bytes_s2c"; Retransmissions int json:"retransmissions"; OutOfOrder int json:"out_of_order"; ` +
			`GapBytes int64 json:"gap_bytes"; Gaps int json:"gaps"; OverlapConflicts int json:"overlap_conflicts,omitempty"; ` +
			`MidStream bool json:"mid_stream"; ClosedBy string json:"closed_by,omitempty"; `
	}
	return ""
}

// fieldsOf spells the fields of struct type t as handFields does.
func fieldsOf(t reflect.Type) string {
	var sb strings.Builder
	for i := range t.NumField() {
		f := t.Field(i)
		sb.WriteString(f.Name + " " + f.Type.String() + " " + string(f.Tag) + "; ")
	}
	return sb.String()
}

func checkHandTypes() handTypes {
	ok := func(v any) bool {
		t := reflect.TypeOf(v)
		return fieldsOf(t) == handFields(t)
	}
	return handTypes{tlsInfo: ok(session.TLSInfo{}), capability: ok(session.Capability{}),
		finding: ok(session.Finding{}), tcpStats: ok(session.TCPStats{})}
}
