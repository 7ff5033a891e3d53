package live

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/bpf"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/capture/pcapngw"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// requireRoot skips tests that open packet sockets.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("live capture needs root (CAP_NET_RAW): skipped; CI runs these as root")
	}
}

// sliceSource replays copied frames into engine.Run.
type sliceSource struct {
	frames []capture.Frame
	i      int
}

func (s *sliceSource) Next() (*capture.Frame, error) {
	if s.i >= len(s.frames) {
		return nil, io.EOF
	}
	s.i++
	return &s.frames[s.i-1], nil
}
func (s *sliceSource) BytesRead() int64 { return 0 }
func (s *sliceSource) Size() int64      { return 0 }

// collect is an engine target keeping every session.
type collect struct {
	engine.Nop
	sessions []*session.Session
	progress session.Progress
}

func (c *collect) Batch(fn func(p *session.Progress)) { fn(&c.progress) }
func (c *collect) Started(s *session.Session)         { c.sessions = append(c.sessions, s) }

// runClient does EHLO, STARTTLS, EHLO, MAIL, RCPT, DATA, QUIT with net/smtp.
func runClient(addr string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		return err
	}
	if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true, ServerName: "localhost"}); err != nil {
		return err
	}
	if err := c.Mail("a@client.test"); err != nil {
		return err
	}
	if err := c.Rcpt("b@localhost"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	fmt.Fprint(w, "Subject: live test\r\n\r\nhello\r\n")
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// closeTracker tells when a TCP connection is over: a FIN each way and
// then an ACK without FIN (the last ACK of RFC 9293, Section 3.6), or a
// RST (here the client's TLS close_notify reaches a closed server socket).
type closeTracker struct {
	fins    map[layers.TCPPort]bool
	lastAck bool
}

func (c *closeTracker) see(data []byte) {
	p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.NoCopy)
	tcp, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if !ok {
		return
	}
	switch {
	case tcp.RST:
		c.lastAck = true
	case tcp.FIN:
		c.fins[tcp.SrcPort] = true
	case tcp.ACK && len(c.fins) == 2:
		c.lastAck = true
	}
}

func TestLiveSMTPOnLoopback(t *testing.T) {
	requireRoot(t)
	cert := selfSigned(t)
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
			if err != nil {
				t.Skipf("no %s on this machine: %v", host, err)
			}
			defer ln.Close()
			port := ln.Addr().(*net.TCPAddr).Port
			f, err := bpf.Compile(fmt.Sprintf("tcp port %d", port))
			if err != nil {
				t.Fatal(err)
			}
			src, err := Open("lo", Options{Filter: f})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			pcapPath := filepath.Join(t.TempDir(), "live.pcapng")
			out, err := os.Create(pcapPath)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			pw, err := pcapngw.New(out, pcapngw.Options{Interface: "lo", Filter: f.String()})
			if err != nil {
				t.Fatal(err)
			}

			srvErr, cliErr := make(chan error, 1), make(chan error, 1)
			go serveSMTP(ln, cert, srvErr)
			go func() { cliErr <- runClient(ln.Addr().String()) }()
			deadline := time.AfterFunc(20*time.Second, src.Stop)
			defer deadline.Stop()

			var frames []capture.Frame
			ct := &closeTracker{fins: map[layers.TCPPort]bool{}}
			for !ct.lastAck {
				fr, err := src.Next()
				if errors.Is(err, io.EOF) {
					t.Fatalf("capture stopped by the deadline after %d frames before the connection closed", len(frames))
				}
				if err != nil {
					t.Fatal(err)
				}
				c := *fr
				c.Data = append([]byte(nil), fr.Data...)
				frames = append(frames, c)
				if err := pw.WritePacket(c.Time, c.Data, c.OrigLen); err != nil {
					t.Fatal(err)
				}
				ct.see(c.Data)
			}
			if err := <-cliErr; err != nil {
				t.Fatalf("client: %v", err)
			}
			if err := <-srvErr; err != nil {
				t.Fatalf("server: %v", err)
			}
			if err := pw.Flush(); err != nil {
				t.Fatal(err)
			}
			st := src.Stats()
			t.Logf("%d frames, stats %+v", len(frames), st)
			if st.Outgoing == 0 {
				t.Errorf("no loopback outgoing copies skipped: %+v", st)
			}
			if st.Filtered != 0 {
				t.Errorf("the Go re-check rejected %d packets the kernel passed", st.Filtered)
			}
			for i, fr := range frames {
				if fr.Number != int64(i+1) || fr.LinkType != layers.LinkTypeEthernet || fr.Time.IsZero() {
					t.Fatalf("frame %d: number %d, link %v, time %v", i, fr.Number, fr.LinkType, fr.Time)
				}
				for _, prev := range frames[:i] {
					if bytes.Equal(prev.Data, fr.Data) {
						t.Fatalf("frame %d duplicates frame %d", fr.Number, prev.Number)
					}
				}
			}
			live := checkSession(t, &sliceSource{frames: frames}, port)

			// The same session from the pcapng written alongside.
			file, err := capture.Open(pcapPath, capture.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer file.Close()
			fromFile := checkSession(t, file, port)
			if got, want := summary(fromFile), summary(live); got != want {
				t.Errorf("session from pcapng:\n%s\nlive:\n%s", got, want)
			}
		})
	}
}

// checkSession runs the engine on src and checks the one STARTTLS session.
func checkSession(t *testing.T, src engine.Source, port int) *session.Session {
	t.Helper()
	c := &collect{}
	opts := engine.Options{}
	opts.Session.AnyPort = true
	if _, err := engine.Run(context.Background(), src, opts, c); err != nil {
		t.Fatal(err)
	}
	if c.progress.Streams != 1 || len(c.sessions) != 1 {
		t.Fatalf("%d streams, %d sessions; want 1 and 1", c.progress.Streams, len(c.sessions))
	}
	s := c.sessions[0]
	if int(s.Server.Port) != port || s.TLS.Mode != session.TLSStartTLS || s.FirstFrame != 1 {
		t.Errorf("session server %v, tls %q, first frame %d", s.Server, s.TLS.Mode, s.FirstFrame)
	}
	want := []struct {
		verb string
		code int
	}{{"EHLO", 250}, {"STARTTLS", 220}}
	if len(s.Commands) < len(want) {
		t.Fatalf("commands = %+v", s.Commands)
	}
	for i, w := range want {
		cmd := s.Commands[i]
		if cmd.Verb != w.verb || cmd.InTLS || cmd.Reply == nil || cmd.Reply.Code != w.code {
			t.Errorf("command %d = %+v (reply %+v), want %s in clear answered %d", i, cmd, cmd.Reply, w.verb, w.code)
		}
	}
	var clientHello, serverHello bool
	for _, r := range s.TLSRecords {
		if r.Type != 22 || len(r.Handshake) == 0 {
			continue
		}
		// RFC 8446, Section 4: client_hello(1), server_hello(2).
		clientHello = clientHello || r.Dir == wire.ClientToServer && r.Handshake[0] == 1
		serverHello = serverHello || r.Dir == wire.ServerToClient && r.Handshake[0] == 2
	}
	if !clientHello || !serverHello {
		t.Errorf("TLS records lack ClientHello (%v) or ServerHello (%v): %+v", clientHello, serverHello, s.TLSRecords)
	}
	return s
}

// summary is what must be equal between the live and the file session.
func summary(s *session.Session) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v %v %d-%d %s\n", s.Client, s.Server, s.FirstFrame, s.LastFrame, s.TLS.Mode)
	for _, c := range s.Commands {
		fmt.Fprintf(&b, "cmd %d %s %v\n", c.Frame, c.Verb, c.InTLS)
	}
	for _, r := range s.TLSRecords {
		fmt.Fprintf(&b, "rec %d %d %d %v\n", r.Frame, r.Type, r.Length, r.Handshake)
	}
	return b.String()
}

// TestStopUnblocksNext: Stop from another goroutine ends a Next waiting
// on an idle interface.
func TestStopUnblocksNext(t *testing.T) {
	requireRoot(t)
	f, err := bpf.Compile("tcp port 1 and host 192.0.2.77")
	if err != nil {
		t.Fatal(err)
	}
	idle := make(chan struct{}, 1)
	src, err := Open("lo", Options{Filter: f, Idle: func() {
		select {
		case idle <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := src.Next(); done <- err }()
	<-idle // Next found the queue empty and is about to wait
	src.Stop()
	if err := <-done; !errors.Is(err, io.EOF) {
		t.Errorf("Next after Stop = %v, want EOF", err)
	}
	if err := src.Close(); err != nil {
		t.Error(err)
	}
	if _, err := src.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next after Close = %v, want EOF", err)
	}
}
