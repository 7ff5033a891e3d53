package main

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// Sample credentials accepted by the server.
const (
	goodUser = "alice@example.net"
	goodPass = "correct horse battery staple"
)

// command executes one command; done is set after QUIT.
func (s *smtpServer) command(verb, arg string) (done bool, err error) {
	switch verb {
	case "EHLO", "HELO":
		// RFC 5321, Section 4.1.4: EHLO resets the transaction.
		s.resetTransaction()
		s.greeted = true
		if verb == "HELO" {
			s.reply(250, s.cfg.hostname)
		} else {
			s.reply(250, s.ehloLines(arg)...)
		}
	case "STARTTLS":
		return false, s.startTLS()
	case "AUTH":
		return false, s.auth(arg)
	case "MAIL":
		s.mail(arg)
	case "RCPT":
		s.rcpt(arg)
	case "DATA":
		return false, s.data()
	case "BDAT":
		return false, s.bdat(arg)
	case "RSET":
		s.resetTransaction() // RFC 5321, Section 4.1.1.5
		s.reply(250, "2.0.0 Ok")
	case "NOOP":
		s.reply(250, "2.0.0 Ok")
	case "QUIT":
		return true, nil
	default:
		s.reply(502, "5.5.2 Error: command not recognized") // RFC 5321, Section 4.2.4
	}
	return false, nil
}

// startTLS answers STARTTLS and switches the connection to TLS, forgetting
// all state (RFC 3207, Section 4.2). Bytes the client sent after STARTTLS
// and before the handshake are discarded, not executed (CVE-2011-0411).
func (s *smtpServer) startTLS() error {
	switch {
	case s.cfg.tls == nil:
		s.reply(454, "4.7.0 TLS not available") // RFC 3207, Section 4
		return nil
	case s.inTLS:
		s.reply(503, "5.5.1 Error: TLS already active")
		return nil
	}
	s.reply(220, "2.0.0 Ready to start TLS")
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("gen: server flush: %w", err)
	}
	s.conn = tls.Server(s.conn, s.cfg.tls)
	s.r, s.w = bufio.NewReader(s.conn), bufio.NewWriter(s.conn)
	s.inTLS, s.greeted, s.authed = true, false, false
	s.resetTransaction()
	return nil
}

// auth runs an AUTH exchange for PLAIN (RFC 4616) or LOGIN
// (draft-murchison-sasl-login) as RFC 4954, Section 4 describes.
func (s *smtpServer) auth(arg string) error {
	mech, initial, _ := strings.Cut(arg, " ")
	switch {
	case !s.inTLS && !s.cfg.authBeforeTLS:
		s.reply(530, "5.7.0 Must issue a STARTTLS command first") // RFC 3207, Section 4
		return nil
	case s.authed:
		s.reply(503, "5.5.1 Error: already authenticated") // RFC 4954, Section 4
		return nil
	}
	var user, pass string
	switch strings.ToUpper(mech) {
	case "PLAIN":
		resp, ok, err := s.saslStep(initial, "")
		if err != nil || !ok {
			return err
		}
		// RFC 4616, Section 2: [authzid] NUL authcid NUL passwd.
		parts := strings.Split(resp, "\x00")
		if len(parts) != 3 {
			s.reply(501, "5.5.2 Error: malformed PLAIN response")
			return nil
		}
		user, pass = parts[1], parts[2]
	case "LOGIN":
		var ok bool
		var err error
		if user, ok, err = s.saslStep(initial, "Username:"); err != nil || !ok {
			return err
		}
		if pass, ok, err = s.saslStep("", "Password:"); err != nil || !ok {
			return err
		}
	default:
		s.reply(504, "5.5.4 Unrecognized authentication type") // RFC 4954, Section 4
		return nil
	}
	if pass == "" || (user == goodUser && pass != goodPass) {
		s.reply(535, "5.7.8 Authentication credentials invalid") // RFC 4954, Section 6
		return nil
	}
	s.authed = true
	s.reply(235, "2.7.0 Authentication successful") // RFC 4954, Section 6
	return nil
}

// saslStep returns the decoded client response: the initial response if
// given, else the answer to a 334 challenge. ok is false when the exchange
// ended with an error reply (cancelled with "*" or bad base64).
func (s *smtpServer) saslStep(initial, challenge string) (string, bool, error) {
	resp := initial
	if resp == "" {
		s.reply(334, base64.StdEncoding.EncodeToString([]byte(challenge)))
		line, err := s.readLine()
		if err != nil {
			return "", false, err
		}
		resp = line
	}
	if resp == "*" {
		s.reply(501, "5.7.0 Authentication cancelled") // RFC 4954, Section 4
		return "", false, nil
	}
	if resp == "=" {
		return "", true, nil // RFC 4954, Section 4: empty initial response
	}
	dec, err := base64.StdEncoding.DecodeString(resp)
	if err != nil {
		s.reply(501, "5.5.2 Error: invalid base64 data") // RFC 4954, Section 4
		return "", false, nil
	}
	return string(dec), true, nil
}

// mail starts a transaction (RFC 5321, Section 4.1.1.2).
func (s *smtpServer) mail(arg string) {
	switch {
	case !s.greeted:
		s.reply(503, "5.5.1 Error: send HELO/EHLO first")
	case s.cfg.requireAuth && !s.authed:
		s.reply(530, "5.7.0 Authentication required") // RFC 4954, Section 6
	case s.inMail:
		s.reply(503, "5.5.1 Error: nested MAIL command")
	case !hasPrefixFold(arg, "FROM:"):
		s.reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
	default:
		s.inMail = true
		s.reply(250, "2.1.0 Ok")
	}
}

// rcpt adds a recipient (RFC 5321, Section 4.1.1.3).
func (s *smtpServer) rcpt(arg string) {
	switch {
	case !s.inMail:
		s.reply(503, "5.5.1 Error: need MAIL command")
	case !hasPrefixFold(arg, "TO:") || len(strings.Fields(arg[len("TO:"):])) == 0:
		s.reply(501, "5.5.4 Syntax: RCPT TO:<address>")
	default:
		addr := strings.Trim(strings.Fields(arg[len("TO:"):])[0], "<>")
		local, _, _ := strings.Cut(addr, "@")
		if s.cfg.rejectRcpt != "" && strings.EqualFold(local, s.cfg.rejectRcpt) {
			s.reply(550, "5.1.1 <"+addr+">: Recipient address rejected: User unknown in local recipient table")
			return
		}
		s.rcpts++
		s.reply(250, "2.1.5 Ok")
	}
}

// data reads a message after 354 up to the lone dot (RFC 5321, Section
// 4.1.1.4); with no accepted recipient it answers 554 and reads nothing
// (RFC 5321, Section 3.3), so the client's next lines are commands.
func (s *smtpServer) data() error {
	switch {
	case !s.inMail:
		s.reply(503, "5.5.1 Error: need RCPT command")
		return nil
	case s.rcpts == 0:
		s.reply(554, "5.5.1 Error: no valid recipients")
		return nil
	}
	s.reply(354, "End data with <CR><LF>.<CR><LF>")
	for {
		line, err := s.readLine()
		if err != nil {
			return err
		}
		if line == "." {
			break
		}
	}
	s.queue()
	return nil
}

// bdat reads one chunk of exactly size octets (RFC 3030, Section 2); the
// chunk is consumed even when the command is refused, so that the stream
// stays in sync (RFC 3030, Section 4.2).
func (s *smtpServer) bdat(arg string) error {
	sizeStr, rest, _ := strings.Cut(arg, " ")
	size, err := strconv.ParseUint(sizeStr, 10, 31)
	last := strings.EqualFold(strings.TrimSpace(rest), "LAST")
	switch {
	case !s.cfg.chunking:
		s.reply(502, "5.5.1 Error: command not implemented")
		return nil
	case err != nil:
		s.reply(501, "5.5.4 Syntax: BDAT size [LAST]")
		return nil
	}
	if _, err := io.CopyN(io.Discard, s.r, int64(size)); err != nil {
		return fmt.Errorf("gen: server BDAT chunk: %w", err)
	}
	switch {
	case !s.inMail:
		s.reply(503, "5.5.1 Error: need RCPT command")
	case s.rcpts == 0:
		s.reply(554, "5.5.1 Error: no valid recipients")
	case last:
		s.queue()
	default:
		s.reply(250, fmt.Sprintf("2.0.0 Ok: %d octets received", size))
	}
	return nil
}

// queue ends a transaction with its final 250.
func (s *smtpServer) queue() {
	s.queued++
	port := 0
	if a, ok := s.conn.RemoteAddr().(*net.TCPAddr); ok {
		port = a.Port
	}
	s.reply(250, fmt.Sprintf("2.0.0 Ok: queued as 4F%05XQ%d", port, s.queued))
	s.resetTransaction()
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
