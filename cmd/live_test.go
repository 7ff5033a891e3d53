package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// liveChildEnv makes the re-executed test binary run Main with the
// arguments in it (tab-separated): a live capture drops root, which must
// not happen to the test process itself.
const liveChildEnv = "SMTPSCOPE_CMD_LIVE_ARGS"

func TestMain(m *testing.M) {
	if a := os.Getenv(liveChildEnv); a != "" {
		os.Exit(Main(strings.Split(a, "\t"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// serveEHLO answers one connection: greeting, EHLO, QUIT (RFC 5321).
func serveEHLO(ln net.Listener) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 localhost ESMTP\r\n")
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch strings.ToUpper(strings.Fields(l + " x")[0]) {
		case "EHLO":
			fmt.Fprint(c, "250-localhost\r\n250 8BITMIME\r\n")
		case "QUIT":
			fmt.Fprint(c, "221 bye\r\n")
			return
		default:
			fmt.Fprint(c, "502 no\r\n")
		}
	}
}

// liveSession is the part of a JSON session the live test checks.
type liveSession struct {
	Stream   int64  `json:"stream"`
	Server   string `json:"server"`
	Commands []struct {
		Verb  string `json:"verb"`
		Reply struct {
			Code int `json:"code"`
		} `json:"reply"`
	} `json:"commands"`
}

// TestLiveReportCommand runs `smtpscope report -i lo --json -w FILE` in a
// child process, makes an SMTP exchange, stops it with SIGINT, and checks
// the NDJSON, the summary and the pcapng file.
func TestLiveReportCommand(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("live capture needs root (CAP_NET_RAW): skipped; CI runs this as root")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	out := filepath.Join(t.TempDir(), "live.pcapng")
	args := []string{"report", "-i", "lo", "--json", "-f", fmt.Sprintf("tcp port %d", port), "-w", out, "--duration", "30s"}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), liveChildEnv+"="+strings.Join(args, "\t"), "SUDO_UID=", "SUDO_GID=")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	errLines := bufio.NewScanner(stderr)
	if !errLines.Scan() || !strings.Contains(errLines.Text(), "root privileges dropped") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child's first stderr line = %q", errLines.Text())
	}
	go serveEHLO(ln)
	c, err := smtp.Dial(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGINT)
	var rest []string
	for errLines.Scan() {
		rest = append(rest, errLines.Text())
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("child: %v; stderr %q", err, rest)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child did not stop on SIGINT")
	}
	if len(rest) != 1 || !strings.Contains(rest[0], "packets captured on lo, 0 dropped by the kernel") {
		t.Errorf("stderr after start = %q", rest)
	}
	var sessions []liveSession
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var one liveSession
		if err := json.Unmarshal([]byte(l), &one); err != nil {
			t.Fatalf("stdout line %q: %v", l, err)
		}
		sessions = append(sessions, one)
	}
	if len(sessions) != 1 || sessions[0].Server != ln.Addr().String() || len(sessions[0].Commands) != 2 ||
		sessions[0].Commands[0].Verb != "EHLO" || sessions[0].Commands[0].Reply.Code != 250 ||
		sessions[0].Commands[1].Verb != "QUIT" || sessions[0].Commands[1].Reply.Code != 221 {
		t.Fatalf("sessions = %+v\nstdout:\n%s", sessions, stdout.String())
	}
	// The pcapng file reports the same session.
	var fromFile bytes.Buffer
	if st := Main([]string{"report", "--json", out}, nil, &fromFile, &bytes.Buffer{}); st != exitOK {
		t.Fatalf("report on %s: status %d", out, st)
	}
	if fromFile.String() != stdout.String() {
		t.Errorf("report of the pcapng:\n%s\nlive:\n%s", fromFile.String(), stdout.String())
	}
}

func TestIsLive(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"-i", "lo"}, true}, {[]string{"--i=lo"}, true}, {[]string{"-D"}, true},
		{[]string{"--theme", "light", "-i", "eth0"}, true}, {[]string{"file.pcap"}, false},
		{[]string{"--json", "x.pcap"}, false}, {[]string{"--", "-i"}, false}, {[]string{"in.pcap", "-ix"}, false},
	}
	for _, tt := range tests {
		if got := isLive(tt.args); got != tt.want {
			t.Errorf("isLive(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestLiveUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-i", "lo", "-f", "udp"}, `-f: unsupported word "udp" at 1`},
		{[]string{"-i", "lo", "-f", "tcp", "--any-port"}, "not both"},
		{[]string{"report", "-i", "lo", "x.pcap"}, "takes no file"},
		{[]string{"-i", "lo", "-c", "-1"}, "must not be negative"},
		{[]string{"-i", "lo", "--theme", "pink"}, "--theme"},
		{[]string{"report", "-i", "lo", "--keylog", "k.txt"}, "capture with -w FILE, then run smtpscope report --keylog"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if st := Main(tt.args, nil, &bytes.Buffer{}, &stderr); st != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("Main(%q) = %d, stderr %q; want %d and %q", tt.args, st, stderr.String(), exitUsage, tt.want)
		}
	}
}

func TestLiveUnknownInterface(t *testing.T) {
	var stderr bytes.Buffer
	if st := Main([]string{"report", "-i", "nosuch0"}, nil, &bytes.Buffer{}, &stderr); st != exitInput ||
		!strings.Contains(stderr.String(), `no interface named "nosuch0"`) {
		t.Errorf("status %d, stderr %q", st, stderr.String())
	}
}

func TestListInterfaces(t *testing.T) {
	var stdout bytes.Buffer
	if st := Main([]string{"-D"}, nil, &stdout, &bytes.Buffer{}); st != exitOK || !strings.Contains(stdout.String(), "loopback") {
		t.Errorf("-D: status %d, output %q", st, stdout.String())
	}
}
