package smtp

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// step is one transcript step: bytes of one direction, or a gap.
type step struct {
	dir  wire.Dir
	data string
	gap  int
}

// c and s build steps.
func c(data string) step { return step{dir: wire.ClientToServer, data: data} }
func s(data string) step { return step{dir: wire.ServerToClient, data: data} }
func gapC(n int) step    { return step{dir: wire.ClientToServer, gap: n} }
func gapS(n int) step    { return step{dir: wire.ServerToClient, gap: n} }

// recorder renders events canonically and emulates the session builder's
// STARTTLS hand-off: after EvStartTLS every fed byte goes to "TLS".
type recorder struct {
	out     []string
	tls     [2][]byte
	handoff bool
	limit   int // fail (stop recording) beyond this many events; 0 = none
}

func (r *recorder) Event(e *Event) {
	if r.limit > 0 && len(r.out) > r.limit {
		return
	}
	r.out = append(r.out, render(e))
	if e.Kind == EvStartTLS {
		r.handoff = true
		for d := range e.StartTLS.Pending {
			r.tls[d] = append(r.tls[d], e.StartTLS.Pending[d]...)
		}
	}
}

// render is the canonical text of an event.
func render(e *Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "@%d ", e.Pos.Frame)
	if e.InTLS {
		b.WriteString("tls ")
	}
	switch e.Kind {
	case EvCommand:
		m := e.Command
		fmt.Fprintf(&b, "cmd#%d %s %q", m.Index, m.Verb, m.Arg)
		if m.VerbSent != "" {
			fmt.Fprintf(&b, " sent=%s", m.VerbSent)
		}
		if m.Pipelined {
			b.WriteString(" pipelined")
		}
		if m.AfterStartTLS {
			b.WriteString(" after-starttls")
		}
		if m.Smuggled {
			b.WriteString(" smuggled")
		}
	case EvReply:
		r := e.Reply
		fmt.Fprintf(&b, "reply %d #%d %s", r.Code, r.CommandIndex, strings.Join(r.Lines, "|"))
		if r.Enhanced != "" {
			fmt.Fprintf(&b, " e=%s", r.Enhanced)
		}
		if r.Greeting {
			b.WriteString(" greeting")
		}
		if r.Record > 0 {
			fmt.Fprintf(&b, " record=%d", r.Record)
		}
	case EvCapabilities:
		b.WriteString("caps")
		for _, cp := range e.Caps {
			b.WriteString(" " + cp.Keyword)
			if len(cp.Params) > 0 {
				b.WriteString("(" + strings.Join(cp.Params, ",") + ")")
			}
			if cp.Legacy {
				b.WriteString("!legacy")
			}
		}
	case EvAuthLine:
		fmt.Fprintf(&b, "authline %s #%d %s", e.AuthLine.Mechanism, e.AuthLine.CommandIndex, e.AuthLine.Text)
	case EvAuth:
		a := e.Auth
		fmt.Fprintf(&b, "auth %s #%d user=%q pass=%q result=%d", a.Mechanism, a.CommandIndex, a.User, a.Password, a.Result)
		if a.Authzid != "" {
			fmt.Fprintf(&b, " authzid=%q", a.Authzid)
		}
		if a.Cancelled {
			b.WriteString(" cancelled")
		}
	case EvDataStart:
		fmt.Fprintf(&b, "data-start #%d", e.Reply.CommandIndex)
	case EvMessage:
		m := e.Message
		fmt.Fprintf(&b, "message #%d %s first=%d size=%d reply=%d accepted=%v mailfrom=%q rcpt=%v",
			m.CommandIndex, m.Via, m.FirstPos.Frame, m.Size, m.Reply, m.Accepted, m.MailFrom, rcptCodes(m.RcptTo))
		if m.From != "" || m.Subject != "" {
			fmt.Fprintf(&b, " from=%q to=%q subject=%q date=%q id=%q", m.From, m.To, m.Subject, m.Date, m.MessageID)
		}
		if m.Smuggling != 0 {
			fmt.Fprintf(&b, " smuggling=%s", m.Smuggling)
		}
		if m.Outcome != OutcomeNone {
			fmt.Fprintf(&b, " outcome=%s", m.Outcome)
		}
		if m.Smuggled {
			b.WriteString(" smuggled")
		}
		for _, d := range m.Deliveries {
			fmt.Fprintf(&b, " delivery=%s:%d@%d", d.Rcpt, d.Code, d.Frame)
		}
		if m.Chunks > 0 {
			fmt.Fprintf(&b, " chunks=%d", m.Chunks)
		}
		if m.Gap {
			fmt.Fprintf(&b, " gap=%d", m.GapBytes)
		}
		if m.Truncated {
			b.WriteString(" truncated")
		}
		if m.Incomplete {
			b.WriteString(" incomplete")
		}
	case EvStartTLS:
		fmt.Fprintf(&b, "starttls #%d", e.StartTLS.CommandIndex)
	case EvTLSInClear:
		r := e.TLSInClear
		fmt.Fprintf(&b, "tls-in-clear %d %d bytes lines=%d", r.Seq, len(r.Record), r.Lines)
		if r.Partial {
			b.WriteString(" partial")
		}
	case EvAnomaly:
		fmt.Fprintf(&b, "anomaly %s %s", e.Dir, e.Anomaly.Code)
		if e.Anomaly.Code == AnoGap {
			fmt.Fprintf(&b, " %d", e.Anomaly.Bytes)
		}
	default:
		fmt.Fprintf(&b, "kind %d", e.Kind)
	}
	return b.String()
}

// splitter returns the pieces one step's bytes are fed in.
type splitter func(data []byte) [][]byte

func whole(data []byte) [][]byte { return [][]byte{data} }

func bytewise(data []byte) [][]byte {
	out := make([][]byte, len(data))
	for i := range data {
		out[i] = data[i : i+1]
	}
	return out
}

func randomSplits(seed uint64) splitter {
	rng := rand.New(rand.NewPCG(seed, 1))
	return func(data []byte) [][]byte {
		var out [][]byte
		for len(data) > 0 {
			n := 1 + rng.IntN(min(len(data), 17))
			if rng.IntN(4) == 0 {
				n = len(data)
			}
			out = append(out, data[:n])
			data = data[n:]
		}
		return out
	}
}

// run feeds the steps (frame = step number, starting at 1) and closes the
// connection; it returns the rendered events followed by the TLS bytes
// handed off, if any.
func run(t testing.TB, opts Options, steps []step, split splitter) []string {
	t.Helper()
	rec := &recorder{}
	conn := NewConn(opts, rec)
	base := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	var frame int64
	for _, st := range steps {
		frame++
		pos := wire.Pos{Frame: frame, Time: base.Add(time.Duration(frame) * time.Millisecond)}
		if st.gap > 0 {
			conn.Gap(st.dir, st.gap, pos)
			continue
		}
		for _, p := range split([]byte(st.data)) {
			if rec.handoff {
				rec.tls[st.dir] = append(rec.tls[st.dir], p...)
			}
			conn.Feed(st.dir, p, pos)
		}
	}
	frame++
	conn.Close(wire.Pos{Frame: frame, Time: base.Add(time.Duration(frame) * time.Millisecond)})
	out := rec.out
	if rec.handoff {
		out = append(out, fmt.Sprintf("tls-bytes c2s=%q s2c=%q", rec.tls[0], rec.tls[1]))
	}
	return out
}

func zeroTime() time.Time { return time.Time{} }

// rcptCodes shows each RCPT as {addr code}.
func rcptCodes(rs []Rcpt) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = "{" + r.Addr + " " + strconv.Itoa(r.Code) + "}"
	}
	return out
}
