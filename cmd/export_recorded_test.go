package cmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
)

// Done-when of issue 9, on real recordings (cmd/testdata/issue9/record.sh:
// Python's smtplib to Postfix 3.7 on loopback, a 2 MB attachment, in clear
// on 25 and inside STARTTLS on 587 with smtplib's key log): the message
// shows its subject and attachment, and export --attachments writes the
// very file that was sent (its SHA-256 recorded beside the captures).
func TestRecordedAttachmentExport(t *testing.T) {
	sum, err := os.ReadFile("../pcaps/recorded-postfix-smtplib-attach.sha256")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(sum))[0]
	for _, c := range []struct{ pcap, keys, subject string }{
		{"../pcaps/recorded-postfix-smtplib-attach25.pcap.gz", "", "Q4 report with the figures (plain)"},
		{"../pcaps/recorded-postfix-smtplib-attach587.pcap.gz", "../pcaps/recorded-postfix-smtplib-attach587.keys", "Q4 report with the figures (STARTTLS)"},
	} {
		opts := defaultTestOptions()
		args := []string{"--attachments", t.TempDir(), c.pcap}
		if c.keys != "" {
			args = append(args, "--keylog", c.keys)
			keys := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
			f, err := os.Open(c.keys)
			if err != nil {
				t.Fatal(err)
			}
			err = keys.Read(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			opts.Session.Keys = keys
		}
		ss, _, err := (&env{}).readAll(c.pcap, opts)
		if err != nil || len(ss) != 1 || len(ss[0].Messages) != 1 {
			t.Fatalf("%s: %v, %d sessions", c.pcap, err, len(ss))
		}
		m := ss[0].Messages[0]
		atts := m.Attachments()
		if m.Subject != c.subject || len(atts) != 1 || atts[0].Filename != "report-q4.bin" || atts[0].SHA256 != want ||
			atts[0].Size != 2_000_000 || !m.Accepted || m.InTLS != (c.keys != "") {
			t.Errorf("%s: subject %q, attachments %+v, accepted %v, in TLS %v", c.pcap, m.Subject, atts, m.Accepted, m.InTLS)
		}
		// The text ladder names the subject and the attachment.
		var out, errb bytes.Buffer
		rargs := []string{"report", c.pcap}
		if c.keys != "" {
			rargs = append(rargs, "--keylog", c.keys)
		}
		Main(rargs, nil, &out, &errb)
		if line := "Subject: " + c.subject + ", attachment: report-q4.bin (1.9 MiB), accepted (250)"; !strings.Contains(out.String(), line) {
			t.Errorf("%s: the report lacks %q", c.pcap, line)
		}
		if code, errs := runExport(t, args...); code != exitOK {
			t.Fatalf("%s: export: %d %s", c.pcap, code, errs)
		}
		b, err := os.ReadFile(args[1] + "/s0-m0-report-q4.bin")
		if s := sha256.Sum256(b); err != nil || hex.EncodeToString(s[:]) != want {
			t.Errorf("%s: exported attachment: %d bytes, %v; want the sent file (sha256 %s)", c.pcap, len(b), err, want)
		}
	}
}
