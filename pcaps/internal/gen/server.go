package main

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// maxLine bounds one command line read by the sample server (RFC 5321,
// Section 4.5.3.1.4: 512 octets; AUTH responses may be 12288, RFC 4954,
// Section 4).
const maxLine = 12288

// serverConfig is the behaviour of the sample SMTP server in one scenario.
type serverConfig struct {
	hostname      string      // in the banner and the EHLO reply
	tls           *tls.Config // enables STARTTLS, or implicit TLS
	implicitTLS   bool        // TLS from the first byte (RFC 8314, Section 3.3)
	authBeforeTLS bool        // advertise and accept AUTH in clear (bad practice, for the demo)
	requireAuth   bool        // MAIL needs AUTH first (RFC 6409, Section 4.3)
	chunking      bool        // offer CHUNKING (RFC 3030)
	rejectRcpt    string      // local part answered 550
}

// smtpServer is one server-side SMTP session.
type smtpServer struct {
	cfg     serverConfig
	conn    net.Conn
	r       *bufio.Reader
	w       *bufio.Writer
	inTLS   bool
	greeted bool
	authed  bool
	inMail  bool
	rcpts   int
	queued  int
}

// serveSMTP runs one session on conn until the client quits or closes.
func serveSMTP(conn net.Conn, cfg serverConfig) error {
	s := &smtpServer{cfg: cfg, conn: conn}
	if cfg.implicitTLS {
		s.conn = tls.Server(conn, cfg.tls) // RFC 8314, Section 3.3: TLS before the greeting
		s.inTLS = true
	}
	s.r, s.w = bufio.NewReader(s.conn), bufio.NewWriter(s.conn)
	s.reply(220, cfg.hostname+" ESMTP smtpscope sample") // RFC 5321, Section 4.3.1: greeting
	for {
		line, err := s.readLine()
		if errors.Is(err, io.EOF) {
			return s.closeAfterPeer()
		}
		if err != nil {
			return err
		}
		verb, arg, _ := strings.Cut(line, " ")
		done, err := s.command(strings.ToUpper(verb), arg)
		if err != nil {
			return err
		}
		if done {
			return s.quit()
		}
	}
}

// readLine flushes pending replies when no command is waiting (RFC 2920,
// Section 3.1: a server may batch replies to pipelined commands) and reads
// one CRLF-terminated line.
func (s *smtpServer) readLine() (string, error) {
	if s.r.Buffered() == 0 {
		if err := s.w.Flush(); err != nil {
			return "", fmt.Errorf("gen: server flush: %w", err)
		}
	}
	var b strings.Builder
	for {
		frag, err := s.r.ReadSlice('\n')
		b.Write(frag)
		if b.Len() > maxLine {
			return "", fmt.Errorf("gen: server: line too long: %q", b.String()[:64])
		}
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
	}
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), "\r"), nil
}

// reply buffers a single- or multi-line reply (RFC 5321, Section 4.2.1).
func (s *smtpServer) reply(code int, lines ...string) {
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		fmt.Fprintf(s.w, "%d%s%s\r\n", code, sep, l)
	}
}

// quit answers QUIT, then waits for the client to close before closing:
// the client closes first, as RFC 5321, Section 4.1.1.10 expects.
func (s *smtpServer) quit() error {
	s.reply(221, "2.0.0 Bye")
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("gen: server flush: %w", err)
	}
	if _, err := io.Copy(io.Discard, s.r); err != nil {
		return fmt.Errorf("gen: server drain after QUIT: %w", err)
	}
	return s.closeAfterPeer()
}

// closeAfterPeer closes the connection once the client's FIN is on the
// tape. Inside TLS the client's close_notify ends the TLS stream before its
// FIN: answering it at once would race the client's FIN onto the tape (and
// make the capture differ from run to run), so the raw connection is
// drained to its end first.
func (s *smtpServer) closeAfterPeer() error {
	if tc, ok := s.conn.(*tls.Conn); ok {
		if _, err := io.Copy(io.Discard, tc.NetConn()); err != nil {
			return fmt.Errorf("gen: server drain after close_notify: %w", err)
		}
	}
	return s.conn.Close()
}

// resetTransaction clears the mail transaction (RFC 5321, Section 4.1.1.5).
func (s *smtpServer) resetTransaction() {
	s.inMail, s.rcpts = false, 0
}

// ehloLines returns the EHLO reply lines (RFC 5321, Section 4.1.1.1).
func (s *smtpServer) ehloLines(client string) []string {
	lines := []string{s.cfg.hostname + " Hello " + client,
		"SIZE 10240000",       // RFC 1870
		"PIPELINING",          // RFC 2920
		"8BITMIME",            // RFC 6152
		"ENHANCEDSTATUSCODES", // RFC 2034
	}
	if s.cfg.chunking {
		lines = append(lines, "CHUNKING") // RFC 3030
	}
	if s.cfg.tls != nil && !s.inTLS {
		lines = append(lines, "STARTTLS") // RFC 3207, Section 4; not after TLS (Section 4.2)
	}
	if s.inTLS || s.cfg.authBeforeTLS {
		lines = append(lines, "AUTH PLAIN LOGIN") // RFC 4954, Section 3
	}
	return lines
}
