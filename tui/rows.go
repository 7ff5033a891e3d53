package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	flt "github.com/smtpscope/smtpscope/dissect/filter"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// tlsState is how a row is coloured.
type tlsState uint8

const (
	tlsPlain tlsState = iota
	tlsStartTLS
	tlsImplicit
	tlsFailed
)

// row is the sessions-table summary of one session, copied out of the store.
type row struct {
	idx      int // index into the store's sessions
	stream   int64
	peers    string // "client → server"
	port     uint16
	role     session.PortRole
	state    tlsState
	tls      string // "starttls 1.3"
	tlsShort string // "STLS 1.3", for a narrow TLS column
	cmds     int
	msgs     int
	dur      time.Duration
	worst    string // worst finding code
	worstSev session.Severity
	complete bool
}

// summarize builds the row of session s at index idx.
func summarize(idx int, s *session.Session) row {
	r := row{
		idx:      idx,
		stream:   s.Stream,
		peers:    s.Client.String() + " → " + s.Server.String(),
		port:     s.Server.Port,
		role:     s.PortRole,
		state:    stateOf(s),
		cmds:     len(s.Commands),
		msgs:     len(s.Messages),
		complete: s.Complete,
	}
	if r.role == "" {
		r.role = session.RoleOfPort(s.Server.Port)
	}
	if !s.Start.IsZero() && !s.End.IsZero() {
		r.dur = s.End.Sub(s.Start)
	}
	r.tls = string(s.TLS.Mode)
	if r.tls == "" {
		r.tls = string(session.TLSNone)
	}
	r.tlsShort = shortMode(s.TLS.Mode)
	if r.state == tlsFailed {
		r.tls += " failed"
		r.tlsShort += " fail"
	} else if s.TLS.Version != "" {
		v := strings.TrimPrefix(s.TLS.Version, "TLS ")
		r.tls += " " + v
		r.tlsShort += " " + v
	}
	best := -1
	for _, f := range s.Findings {
		if rk := f.Severity.Rank(); rk > best {
			best, r.worst, r.worstSev = rk, f.Code, f.Severity
		}
	}
	return r
}

// shortMode is the short form of a TLS mode for a narrow column.
func shortMode(m session.TLSMode) string {
	switch m {
	case session.TLSStartTLS:
		return "STLS"
	case session.TLSImplicit:
		return "TLS"
	}
	return "none"
}

// stateOf classifies a session's TLS use for colouring.
func stateOf(s *session.Session) tlsState {
	switch flt.TLSState(s) {
	case "failed":
		return tlsFailed
	case "implicit":
		return tlsImplicit
	case "starttls":
		return tlsStartTLS
	}
	return tlsPlain
}

// stateRole is the colour role of a TLS state.
func stateRole(t tlsState) role {
	switch t {
	case tlsStartTLS:
		return roleStartTLS
	case tlsImplicit:
		return roleImplicit
	case tlsFailed:
		return roleFailed
	}
	return rolePlain
}

// Sessions table columns.
const (
	colStream = iota
	colPeers
	colRole
	colTLS
	colCmds
	colMsgs
	colDur
	colFinding
	numCols
)

// columnTitle is the header of a sessions column.
func columnTitle(c int) string {
	switch c {
	case colStream:
		return "#"
	case colPeers:
		return "Client → Server"
	case colRole:
		return "Role"
	case colTLS:
		return "TLS"
	case colCmds:
		return "Cmds"
	case colMsgs:
		return "Msgs"
	case colDur:
		return "Dur"
	case colFinding:
		return "Worst finding"
	}
	return ""
}

// cellText is the text of row r in column c.
func (r *row) cellText(c int) string {
	switch c {
	case colStream:
		return itoa64(r.stream)
	case colPeers:
		return r.peers
	case colRole:
		return string(r.role)
	case colTLS:
		return r.tls
	case colCmds:
		return itoa64(int64(r.cmds))
	case colMsgs:
		return itoa64(int64(r.msgs))
	case colDur:
		if r.dur == 0 {
			return ""
		}
		return fitDuration(r.dur)
	case colFinding:
		if r.worst == "" {
			return ""
		}
		return string(r.worstSev) + " " + r.worst
	}
	return ""
}

// compareRows orders rows by column c, ties broken by stream.
func compareRows(a, b *row, c int) int {
	var n int
	switch c {
	case colPeers:
		n = strings.Compare(a.peers, b.peers)
	case colRole:
		n = strings.Compare(string(a.role), string(b.role))
	case colTLS:
		n = cmp.Or(cmp.Compare(a.state, b.state), strings.Compare(a.tls, b.tls))
	case colCmds:
		n = cmp.Compare(a.cmds, b.cmds)
	case colMsgs:
		n = cmp.Compare(a.msgs, b.msgs)
	case colDur:
		n = cmp.Compare(a.dur, b.dur)
	case colFinding:
		n = cmp.Compare(a.worstSev.Rank(), b.worstSev.Rank())
		if a.worst == "" || b.worst == "" {
			n = cmp.Compare(len(a.worst), len(b.worst))
		}
	}
	return cmp.Or(n, cmp.Compare(a.stream, b.stream), cmp.Compare(a.idx, b.idx))
}

// sortView sorts the indices of view (into rows) by column c.
func sortView(view []int, rows []row, c int, desc bool) {
	slices.SortFunc(view, func(x, y int) int {
		n := compareRows(&rows[x], &rows[y], c)
		if desc {
			return -n
		}
		return n
	})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
