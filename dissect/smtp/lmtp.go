package smtp

import "github.com/smtpscope/smtpscope/dissect/wire"

// LMTP (RFC 2033) is SMTP for final delivery: LHLO instead of EHLO
// (Section 4.1), and after the final dot of DATA one reply per recipient
// whose RCPT was accepted, in RCPT order (Section 4.2), where SMTP has one.

// Delivery is LMTP's reply for one accepted recipient (Message.Deliveries).
type Delivery struct {
	Rcpt  string
	Code  int
	Frame int64
}

// lmtpReplies returns how many replies answer message m: one per accepted
// recipient in LMTP (at least one: a server that accepted none refused
// DATA), else 0 (SMTP's one reply, the entry's default).
func (c *Conn) lmtpReplies(m *message) int {
	if !c.lmtp || m.tx == nil {
		return 0
	}
	n := 0
	for _, r := range m.tx.rcpts {
		if r.Code >= 200 && r.Code < 300 {
			n++
		}
	}
	return max(n, 1)
}

// deliver records the next LMTP reply to m for its next accepted recipient.
func (c *Conn) deliver(m *message, code int, pos wire.Pos) {
	d := Delivery{Code: code, Frame: pos.Frame}
	if m.tx != nil {
		k := len(m.deliveries)
		for _, r := range m.tx.rcpts {
			if r.Code >= 200 && r.Code < 300 {
				if k == 0 {
					d.Rcpt = r.Addr
					break
				}
				k--
			}
		}
	}
	m.deliveries = append(m.deliveries, d)
}
