package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
)

// loginAuth is the client side of AUTH LOGIN (draft-murchison-sasl-login),
// which net/smtp does not provide. It sends the user and password whatever
// the transport: the demo needs it in clear.
type loginAuth struct{ user, pass string }

// Start begins AUTH LOGIN without an initial response.
func (a loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

// Next answers the "Username:" and "Password:" challenges.
func (a loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(challenge))) {
	case "username:":
		return []byte(a.user), nil
	case "password:":
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("gen: unexpected AUTH LOGIN challenge %q", challenge)
}

// rawClient speaks SMTP line by line for what net/smtp cannot do
// (pipelining, BDAT): every send is exactly one Write, so one TCP segment
// (or one run of segments) in the capture.
type rawClient struct {
	conn net.Conn
	r    *textproto.Reader
}

// newRawClient wraps conn.
func newRawClient(conn net.Conn) *rawClient {
	return &rawClient{conn: conn, r: textproto.NewReader(bufio.NewReader(conn))}
}

// send writes s in one Write.
func (c *rawClient) send(s string) error {
	if _, err := c.conn.Write([]byte(s)); err != nil {
		return fmt.Errorf("gen: client write: %w", err)
	}
	return nil
}

// expect reads one reply per code and checks each code.
func (c *rawClient) expect(codes ...int) error {
	for _, want := range codes {
		code, msg, err := c.r.ReadResponse(0)
		if err != nil {
			return fmt.Errorf("gen: client read reply: %w", err)
		}
		if code != want {
			return fmt.Errorf("gen: reply %d %q, want %d", code, msg, want)
		}
	}
	return nil
}

// quit sends QUIT, expects 221 and closes the connection.
func (c *rawClient) quit() error {
	err := c.send("QUIT\r\n")
	if err == nil {
		err = c.expect(221)
	}
	return errors.Join(err, c.conn.Close())
}

// dotStuff doubles a leading dot on every line (RFC 5321, Section 4.5.2)
// and appends the end-of-data line.
func dotStuff(msg string) string {
	var b strings.Builder
	for line := range strings.SplitAfterSeq(msg, "\r\n") {
		if strings.HasPrefix(line, ".") {
			b.WriteByte('.')
		}
		b.WriteString(line)
	}
	b.WriteString(".\r\n")
	return b.String()
}

// itoa formats n in decimal.
func itoa(n int) string { return strconv.Itoa(n) }

// wantCode checks that err is a net/smtp protocol error with code want.
func wantCode(err error, want int) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code == want {
		return nil
	}
	return fmt.Errorf("gen: got %v, want reply %d", err, want)
}
