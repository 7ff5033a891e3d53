package zeek

import (
	"net/netip"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// mailHeaders are the smtp.log fields taken from the top-level header
// section as Zeek's SMTP script takes them (base/protocols/smtp/
// main.zeek, mime_one_header): each field overwrites the last (To and CC
// add to a set); first_received is the last Received field seen and
// second_received the one before it; path grows by the address each
// Received names (find_address_in_smtp_header); user_agent is X-Mailer,
// User-Agent or X-User-Agent.
type mailHeaders struct {
	date, from, replyTo, msgID, inReplyTo, subject, userAgent string
	xOrigIP                                                   string
	to, cc                                                    []string
	firstReceived, secondReceived                             string
	path                                                      []string
}

func readHeaders(m *session.Message, server, client string) mailHeaders {
	h := mailHeaders{path: []string{server, client}}
	if len(m.Headers) == 0 {
		// No header list (an older model or a limit): the summary fields.
		h.date, h.from, h.subject, h.msgID = m.Date, m.From, m.Subject, m.MessageID
		if m.To != "" {
			h.to = splitAddresses(m.To)
		}
		return h
	}
	for _, f := range m.Headers {
		v := f.Value
		switch strings.ToUpper(f.Name) {
		case "MESSAGE-ID":
			h.msgID = v
		case "RECEIVED":
			if h.firstReceived != "" {
				h.secondReceived = h.firstReceived
			}
			h.firstReceived = v
			if ip := receivedAddress(v); ip != "" && h.path[len(h.path)-1] != ip {
				h.path = append(h.path, ip)
			}
		case "IN-REPLY-TO":
			h.inReplyTo = v
		case "SUBJECT":
			h.subject = v
		case "FROM":
			h.from = v
		case "REPLY-TO":
			h.replyTo = v
		case "DATE":
			h.date = v
		case "TO":
			for _, a := range splitAddresses(v) {
				h.to = addUnique(h.to, a)
			}
			if h.to == nil {
				h.to = []string{}
			}
		case "CC":
			for _, a := range splitAddresses(v) {
				h.cc = addUnique(h.cc, a)
			}
			if h.cc == nil {
				h.cc = []string{}
			}
		case "X-ORIGINATING-IP":
			if ips := ipAddresses(v, false); len(ips) > 0 {
				h.xOrigIP = ips[0]
			}
		case "X-MAILER", "USER-AGENT", "X-USER-AGENT":
			h.userAgent = v
		}
	}
	return h
}

// receivedAddress is Zeek's find_address_in_smtp_header: of the
// addresses wrapped in [], (), {} or blanks, the second when there are
// several, else the first.
func receivedAddress(v string) string {
	ips := ipAddresses(v, true)
	switch {
	case len(ips) > 1:
		return ips[1]
	case len(ips) == 1:
		return ips[0]
	}
	return ""
}

// ipAddresses finds IPv4 and IPv6 addresses in s (Zeek's
// extract_ip_addresses); with wrapped, only those between a matching pair
// of brackets, parentheses, braces or blanks, or making up all of s.
func ipAddresses(s string, wrapped bool) []string {
	isAddrByte := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':'
	}
	var out []string
	for i := 0; i < len(s); {
		if !isAddrByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAddrByte(s[j]) {
			j++
		}
		cand := s[i:j]
		a, err := netip.ParseAddr(cand)
		if err == nil && (strings.Contains(cand, ".") && a.Is4() || strings.Contains(cand, ":")) {
			ok := !wrapped
			if wrapped {
				var before, after byte
				if i > 0 {
					before = s[i-1]
				}
				if j < len(s) {
					after = s[j]
				}
				ok = i == 0 && j == len(s) || before == '[' && after == ']' || before == '(' && after == ')' ||
					before == '{' && after == '}' || before == ' ' && after == ' '
			}
			if ok {
				out = append(out, a.String())
			}
		}
		i = j
	}
	return out
}
