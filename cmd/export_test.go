package cmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/engine"
)

// runExport runs `smtpscope export args...` and returns its status and
// stderr.
func runExport(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(append([]string{"export"}, args...), nil, &out, &errb)
	return code, errb.String()
}

// dirFiles reads every file of dir by name.
func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Type()&os.ModeSymlink != 0 {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = b
	}
	return got
}

// unstuff removes DATA's dot-stuffing (RFC 5321, Section 4.5.2).
func unstuff(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("..")) {
		b = b[1:]
	}
	return bytes.ReplaceAll(b, []byte("\r\n.."), []byte("\r\n."))
}

// Every message tshark's IMF export recovers from a sample (which it does
// not dot-unstuff) is, once unstuffed, byte for byte one of our .eml files;
// the TLS samples with their key logs.
func TestExportEMLMatchesTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	samples, _ := filepath.Glob("../pcaps/*.pcap*")
	compared := 0
	for _, pc := range samples {
		if strings.Contains(pc, "smuggl") {
			continue // tshark ends the message where the client did; the server did not
		}
		ours, theirs := t.TempDir(), t.TempDir()
		args := []string{"--eml", ours, "--all", pc}
		targs := []string{"-r", pc, "-o", "tcp.reassemble_out_of_order:TRUE", "-q", "--export-objects", "imf," + theirs}
		if k := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(pc, ".gz"), ".pcapng"), ".pcap") + ".keys"; fileExists(k) {
			args = append(args, "--keylog", k)
			targs = append(targs, "-o", "tls.keylog_file:"+k)
		}
		if code, errs := runExport(t, args...); code != exitOK && !strings.Contains(errs, "no SMTP session") {
			t.Errorf("%s: export: %d %s", pc, code, errs)
		}
		if out, err := exec.Command(tshark, targs...).CombinedOutput(); err != nil {
			t.Fatalf("%s: tshark: %v %s", pc, err, out)
		}
		got := dirFiles(t, ours)
		gapped := false
		for name := range got {
			gapped = gapped || strings.Contains(name, ".gap.") || strings.Contains(name, ".incomplete.")
		}
		if gapped {
			continue // bytes not captured: nothing to compare them with
		}
		for name, want := range dirFiles(t, theirs) {
			want = unstuff(want)
			found := false
			for _, b := range got {
				found = found || bytes.Equal(b, want)
			}
			if !found {
				t.Errorf("%s: tshark's %q (%d bytes, unstuffed) is not among our %d .eml files", pc, name, len(want), len(got))
			}
			compared++
		}
	}
	if compared < 5 {
		t.Errorf("only %d messages compared", compared)
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// mimeMail is a message with a text part and one base64 attachment.
func mimeMail(att []byte, filename string) string {
	var b64 strings.Builder
	s := base64.StdEncoding.EncodeToString(att)
	for len(s) > 76 {
		b64.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b64.WriteString(s + "\r\n")
	return "From: a@example.org\r\nTo: b@example.net\r\nSubject: the file\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"==b\"\r\n\r\n--==b\r\nContent-Type: text/plain\r\n\r\n" +
		".a line with a dot\r\n--==b\r\nContent-Type: application/octet-stream\r\n" +
		"Content-Disposition: attachment; filename=\"" + filename + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		b64.String() + "--==b--\r\n"
}

// writeMailPcap writes a capture with one session per way of sending msg:
// DATA (dot-stuffed) and BDAT in two chunks.
func writeMailPcap(t *testing.T, path, msg string) {
	p := newPcapBuilder(t, path)
	for i, via := range []string{"DATA", "BDAT"} {
		c := p.conv(i+1, 25)
		c.server("220 mx ESMTP\r\n")
		c.client("EHLO c\r\n")
		c.server("250-mx\r\n250 CHUNKING\r\n")
		c.client("MAIL FROM:<a@example.org>\r\n")
		c.server("250 ok\r\n")
		c.client("RCPT TO:<b@example.net>\r\n")
		c.server("250 ok\r\n")
		if via == "DATA" {
			c.client("DATA\r\n")
			c.server("354 go\r\n")
			stuffed := strings.ReplaceAll(msg, "\r\n.", "\r\n..")
			if strings.HasPrefix(stuffed, ".") {
				stuffed = "." + stuffed
			}
			c.client(stuffed + ".\r\n")
		} else {
			half := len(msg) / 2
			c.client("BDAT " + strconv.Itoa(half) + "\r\n" + msg[:half])
			c.server("250 ok\r\n")
			c.client("BDAT " + strconv.Itoa(len(msg)-half) + " LAST\r\n" + msg[half:])
		}
		c.server("250 queued\r\n")
		c.client("QUIT\r\n")
		c.server("221 bye\r\n")
		c.fin()
	}
	p.close()
}

func TestExportDATAandBDATIdentical(t *testing.T) {
	att := make([]byte, 2<<20) // a 2 MB attachment
	for i := range att {
		att[i] = byte(i*131 + i>>9)
	}
	msg := mimeMail(att, "../../etc/report.bin")
	pc := filepath.Join(t.TempDir(), "mail.pcap")
	writeMailPcap(t, pc, msg)
	eml := t.TempDir()
	if code, errs := runExport(t, "--eml", eml, pc); code != exitOK {
		t.Fatalf("export --eml: %d %s", code, errs)
	}
	got := dirFiles(t, eml)
	if len(got) != 2 || !bytes.Equal(got["s0-m0.eml"], []byte(msg)) || !bytes.Equal(got["s1-m0.eml"], []byte(msg)) {
		t.Errorf("eml files %d: DATA and BDAT must both equal the message (%d bytes): %d, %d", len(got), len(msg), len(got["s0-m0.eml"]), len(got["s1-m0.eml"]))
	}
	dir := t.TempDir()
	if code, errs := runExport(t, "--attachments", dir, pc); code != exitOK {
		t.Fatalf("export --attachments: %d %s", code, errs)
	}
	files := dirFiles(t, dir)
	want := sha256.Sum256(att)
	for _, name := range []string{"s0-m0-report.bin", "s1-m0-report.bin"} {
		if got := sha256.Sum256(files[name]); got != want {
			t.Errorf("%s: %d bytes, sha256 differs from the attachment's", name, len(files[name]))
		}
	}
	if len(files) != 2 {
		t.Errorf("files %v, want the two attachments only, named inside the directory", keys(files))
	}
	// No overwrite without --force; with it, the same files again.
	if code, errs := runExport(t, "--attachments", dir, pc); code != exitInput || !strings.Contains(errs, "exists (--force overwrites it)") {
		t.Errorf("second export: %d %q, want a refusal", code, errs)
	}
	if code, errs := runExport(t, "--attachments", dir, "--force", pc); code != exitOK {
		t.Errorf("--force: %d %s", code, errs)
	}
	// --stream picks one session.
	one := t.TempDir()
	if code, _ := runExport(t, "--eml", one, "--stream", "1", pc); code != exitOK || len(dirFiles(t, one)) != 1 {
		t.Errorf("--stream 1: %d files", len(dirFiles(t, one)))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Hostile attachment names never leave the directory; a link inside it
// pointing out is not followed.
func TestExportHostileNames(t *testing.T) {
	names := []string{"../../x", "/etc/passwd", "a\x00b.txt", strings.Repeat("n", 400) + ".exe", "..", "evil-link"}
	var b strings.Builder
	b.WriteString("Subject: hostile\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
	for i, n := range names {
		b.WriteString("--b\r\nContent-Disposition: attachment; filename=\"" + n + "\"\r\n\r\ncontent " + strconv.Itoa(i) + "\r\n")
	}
	b.WriteString("--b--\r\n")
	pc := filepath.Join(t.TempDir(), "hostile.pcap")
	writeMailPcap(t, pc, b.String())
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	os.Mkdir(dir, 0o755)
	outside := filepath.Join(parent, "outside")
	if err := os.Symlink(outside, filepath.Join(dir, "s1-m0-evil-link")); err != nil {
		t.Fatal(err)
	}
	code, errs := runExport(t, "--attachments", dir, "--force", pc)
	if fileExists(outside) {
		t.Fatalf("a file was written through a link, outside the directory")
	}
	if code != exitInput || !strings.Contains(errs, "s1-m0-evil-link") {
		t.Errorf("export through a link: %d %q, want it refused", code, errs)
	}
	files := dirFiles(t, dir)
	for _, want := range []string{"s0-m0-x", "s0-m0-passwd", "s0-m0-a_b.txt", "s0-m0-part5.bin", "s0-m0-evil-link"} {
		if _, ok := files[want]; !ok {
			t.Errorf("no %s among %v", want, keys(files))
		}
	}
	for name := range files {
		if len(name) > 255 || strings.ContainsAny(name, "/\\\x00") {
			t.Errorf("bad name %q", name)
		}
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 1 {
		t.Errorf("files outside the directory: %d entries in its parent", len(ents))
	}
}

// A rejected message is exported only with --all, marked.
func TestExportRejectedOnlyWithAll(t *testing.T) {
	pc := filepath.Join(t.TempDir(), "rej.pcap")
	p := newPcapBuilder(t, pc)
	c := p.conv(1, 25)
	c.server("220 mx\r\n")
	c.client("MAIL FROM:<a@x>\r\n")
	c.server("250 ok\r\n")
	c.client("RCPT TO:<b@y>\r\n")
	c.server("250 ok\r\n")
	c.client("DATA\r\n")
	c.server("354 go\r\n")
	c.client("Subject: spam\r\n\r\nbuy\r\n.\r\n")
	c.server("550 5.7.1 rejected as spam\r\n")
	c.fin()
	p.close()
	dir := t.TempDir()
	if code, errs := runExport(t, "--eml", dir, pc); code != exitOK || len(dirFiles(t, dir)) != 0 || !strings.Contains(errs, "refused it (550)") {
		t.Errorf("without --all: %d %q, %d files", code, errs, len(dirFiles(t, dir)))
	}
	if code, _ := runExport(t, "--eml", dir, "--all", pc); code != exitOK || string(dirFiles(t, dir)["s0-m0.rejected.eml"]) != "Subject: spam\r\n\r\nbuy\r\n" {
		t.Errorf("with --all: %v", keys(dirFiles(t, dir)))
	}
}

// --pcap --stream N writes that session's packets; smtpscope (and tshark,
// when installed) read it back as that one session.
func TestExportPcapStream(t *testing.T) {
	out := filepath.Join(t.TempDir(), "one.pcapng")
	if code, errs := runExport(t, "--pcap", out, "--stream", "1", "../pcaps/demo.pcap"); code != exitOK {
		t.Fatalf("export --pcap: %d %s", code, errs)
	}
	e := &env{}
	orig, _, err := e.readAll("../pcaps/demo.pcap", defaultTestOptions())
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := e.readAll(out, defaultTestOptions())
	if err != nil || len(back) != 1 {
		t.Fatalf("read back: %v, %d sessions", err, len(back))
	}
	a, b := orig[1], back[0]
	if a.Client != b.Client || a.Server != b.Server || len(a.Commands) != len(b.Commands) || a.TCP.Packets != b.TCP.Packets {
		t.Errorf("read back %s→%s %d cmds %d pkts, want %s→%s %d %d", b.Client, b.Server, len(b.Commands), b.TCP.Packets,
			a.Client, a.Server, len(a.Commands), a.TCP.Packets)
	}
	if code, _ := runExport(t, "--pcap", out, "--stream", "1", "../pcaps/demo.pcap"); code != exitInput {
		t.Errorf("overwrite without --force: %d, want %d", code, exitInput)
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	res, err := exec.Command(tshark, "-r", out, "-T", "fields", "-e", "tcp.stream").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(res))
	if len(lines) != a.TCP.Packets || strings.Trim(strings.Join(lines, ""), "0") != "" {
		t.Errorf("tshark reads %d packets of streams %q, want %d of stream 0", len(lines), lines, a.TCP.Packets)
	}
}

func defaultTestOptions() engine.Options {
	o := engine.Options{}
	o.Session.AnyPort = true
	return o
}
