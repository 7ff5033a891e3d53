package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	cmdpkg "github.com/smtpscope/smtpscope/cmd"
)

// clickhouse is a ClickHouse server this test started on loopback, with
// its own port and data directory.
type clickhouse struct {
	t    *testing.T
	port int
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startClickHouse starts Debian's clickhouse-server (18.16 or later) or
// skips the test when it is not installed.
func startClickHouse(t *testing.T) *clickhouse {
	server, err := exec.LookPath("clickhouse-server")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/clickhouse-server"); err2 == nil {
			server = "/usr/sbin/clickhouse-server"
		} else {
			t.Skip("clickhouse-server is not installed (Debian package clickhouse-server); the ClickHouse load test is skipped")
		}
	}
	if _, err := exec.LookPath("clickhouse-client"); err != nil {
		t.Skip("clickhouse-client is not installed; the ClickHouse load test is skipped")
	}
	// The ports are free when chosen but could be taken before the server
	// binds them (another test's connection): a server that exits before
	// it answers is started again on new ports.
	for attempt := 1; ; attempt++ {
		if ch, ok := tryClickHouse(t, server, attempt == 3); ok {
			return ch
		}
	}
}

// tryClickHouse starts one server; false when it exited before answering
// (and last is false: the caller tries again).
func tryClickHouse(t *testing.T, server string, last bool) (*clickhouse, bool) {
	dir := t.TempDir()
	port, httpPort := freePort(t), freePort(t)
	config := fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>%[1]s/server.log</log><errorlog>%[1]s/err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>%[2]d</tcp_port>
  <http_port>%[3]d</http_port>
  <path>%[1]s/data/</path>
  <tmp_path>%[1]s/tmp/</tmp_path>
  <users_config>%[1]s/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
</yandex>
`, dir, port, httpPort)
	users := `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`
	for name, body := range map[string]string{"config.xml": config, "users.xml": users} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(server, "--config-file="+filepath.Join(dir, "config.xml"))
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", server, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	ch := &clickhouse{t: t, port: port}
	// Ready when it answers a query; the server takes a second or two.
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := exec.Command("clickhouse-client", "--port", strconv.Itoa(port), "--query", "SELECT 1").CombinedOutput()
		if err == nil && strings.TrimSpace(string(out)) == "1" {
			return ch, true
		}
		select {
		case <-exited:
			logs, _ := os.ReadFile(filepath.Join(dir, "err.log"))
			if !last {
				t.Logf("clickhouse-server on port %d exited before answering; trying other ports:\n%s", port, logs)
				return nil, false
			}
			t.Fatalf("clickhouse-server on port %d exited before answering:\n%s", port, logs)
		default:
		}
		if time.Now().After(deadline) {
			logs, _ := os.ReadFile(filepath.Join(dir, "err.log"))
			t.Fatalf("clickhouse-server on port %d did not answer: %v %s\n%s", port, err, out, logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// run runs clickhouse-client with args and stdin, returning stdout.
func (c *clickhouse) run(stdin []byte, args ...string) string {
	c.t.Helper()
	cmd := exec.Command("clickhouse-client", append([]string{"--port", strconv.Itoa(c.port)}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		c.t.Fatalf("clickhouse-client %v: %v\n%s", args, err, errOut.String())
	}
	return out.String()
}

// TestClickHouseLoad loads the samples' NDJSON into ClickHouse with the
// documented table and jq filter (schema/clickhouse), runs the README's
// three queries and checks their answers against the NDJSON itself; then
// loads the samples' Zeek JSON logs (smtp.log) into zeek_smtp.
func TestClickHouseLoad(t *testing.T) {
	jq, err := exec.LookPath("jq")
	if err != nil {
		t.Skip("jq is not installed; the ClickHouse load test (which uses schema/clickhouse/sessions.jq) is skipped")
	}
	ch := startClickHouse(t)
	ddl, err := os.ReadFile(filepath.Join("clickhouse", "sessions.sql"))
	if err != nil {
		t.Fatal(err)
	}
	ch.run(ddl, "--multiquery")
	files, _ := filepath.Glob(filepath.Join("..", "..", "cmd", "testdata", "golden", "*.json"))
	var rows bytes.Buffer
	type sess struct {
		Server   string                  `json:"server"`
		TLS      struct{ Mode string }   `json:"tls"`
		Start    string                  `json:"start"`
		Findings []struct{ Code string } `json:"findings"`
		Messages []struct {
			MailFrom string                      `json:"mail_from"`
			Parts    []struct{ Attachment bool } `json:"parts"`
		} `json:"messages"`
	}
	perServer := map[string]int{}
	perDayCode := map[string]int{}
	perSender := map[string][2]int{}
	inputs := map[string][]byte{}
	for _, f := range files {
		if strings.Contains(f, ".keylog.") {
			continue // the same sessions, decrypted: counted once
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = b
	}
	// The public corpus, when there, has messages with attachments.
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "public", "*.pcap*"))
	for _, f := range corpus {
		if strings.HasSuffix(f, ".txt") || strings.HasSuffix(f, ".keylog") {
			continue
		}
		var out, errOut bytes.Buffer
		cmdpkg.Main([]string{"report", "--json", f}, nil, &out, &errOut)
		inputs[f] = out.Bytes()
	}
	for f, b := range inputs {
		cmd := exec.Command(jq, "-c", "-f", filepath.Join("clickhouse", "sessions.jq"))
		cmd.Env = append(os.Environ(), "SMTPSCOPE_FILE="+filepath.Base(f))
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("jq on %s: %v", f, err)
		}
		rows.Write(out)
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var s sess
			if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
				t.Fatal(err)
			}
			host, port, _ := net.SplitHostPort(s.Server)
			perServer[host+"\t"+port+"\t"+s.TLS.Mode]++
			for _, fd := range s.Findings {
				perDayCode[s.Start[:10]+"\t"+fd.Code]++
			}
			for _, m := range s.Messages {
				n := 0
				for _, p := range m.Parts {
					if p.Attachment {
						n++
					}
				}
				if n > 0 {
					v := perSender[m.MailFrom]
					perSender[m.MailFrom] = [2]int{v[0] + 1, v[1] + n}
				}
			}
		}
	}
	ch.run(rows.Bytes(), "--query", "INSERT INTO smtp_sessions FORMAT JSONEachRow")
	queries, err := os.ReadFile(filepath.Join("clickhouse", "queries.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var stmts []string
	for _, q := range strings.Split(string(queries), ";") {
		var lines []string
		for _, l := range strings.Split(q, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				lines = append(lines, l)
			}
		}
		if q := strings.TrimSpace(strings.Join(lines, "\n")); q != "" {
			stmts = append(stmts, q)
		}
	}
	if len(stmts) != 3 {
		t.Fatalf("queries.sql has %d queries, want 3", len(stmts))
	}
	want := func(m map[string]int) string {
		var out []string
		for k, v := range m {
			out = append(out, k+"\t"+strconv.Itoa(v))
		}
		sort.Strings(out)
		return strings.Join(out, "\n")
	}
	sorted := func(s string) string {
		l := strings.Split(strings.TrimSpace(s), "\n")
		sort.Strings(l)
		return strings.Join(l, "\n")
	}
	if got := sorted(ch.run(nil, "--query", stmts[0])); got != want(perServer) {
		t.Errorf("sessions per server and TLS mode:\n got %s\nwant %s", got, want(perServer))
	}
	if got := sorted(ch.run(nil, "--query", stmts[1])); got != want(perDayCode) {
		t.Errorf("findings by code per day:\n got %s\nwant %s", got, want(perDayCode))
	}
	senders := map[string]int{}
	for k, v := range perSender {
		senders[k+"\t"+strconv.Itoa(v[0])] = v[1]
	}
	if len(senders) == 0 && len(corpus) > 0 {
		t.Error("no message with an attachment: the third query proves nothing")
	}
	if got := sorted(ch.run(nil, "--query", stmts[2])); got != want(senders) {
		t.Errorf("messages with attachments by sender:\n got %s\nwant %s", got, want(senders))
	}

	// Zeek JSON logs, as LogAscii::use_json writes them, by Zeek's names.
	zddl, err := os.ReadFile(filepath.Join("clickhouse", "zeek_smtp.sql"))
	if err != nil {
		t.Fatal(err)
	}
	ch.run(zddl, "--multiquery")
	logs, _ := filepath.Glob(filepath.Join("..", "..", "cmd", "testdata", "zeek", "*", "json", "smtp.log"))
	var all bytes.Buffer
	lines := 0
	for _, l := range logs {
		b, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
		lines += bytes.Count(b, []byte("\n"))
	}
	if lines == 0 {
		t.Fatal("no golden Zeek JSON smtp.log")
	}
	ch.run(all.Bytes(), "--input_format_skip_unknown_fields=1", "--query", "INSERT INTO zeek_smtp FORMAT JSONEachRow")
	if got := strings.TrimSpace(ch.run(nil, "--query", "SELECT count() FROM zeek_smtp")); got != strconv.Itoa(lines) {
		t.Errorf("zeek_smtp has %s rows, the logs %d", got, lines)
	}
	if got := strings.TrimSpace(ch.run(nil, "--query", "SELECT count() FROM zeek_smtp WHERE uid NOT LIKE 'C%' OR trans_depth = 0")); got != "0" {
		t.Errorf("%s zeek_smtp rows without a uid or trans_depth", got)
	}
}
