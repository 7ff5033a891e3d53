package build

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

// mailWith returns a MIME message with one base64 attachment.
func mailWith(att []byte, name string) string {
	return "From: a@x\r\nTo: b@y\r\nCc: c@y, d@y\r\nSubject: with file\r\nMIME-Version: 1.0\r\n" +
		"Received: from h (h [203.0.113.9]) by mx\r\n" +
		"Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
		"--zz\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString(att) + "\r\n--zz--\r\n"
}

// The session's message holds the message layer's result, the same for
// DATA and BDAT, and its timeline line names the subject and attachment.
func TestMessageContentDATAandBDAT(t *testing.T) {
	att := []byte(strings.Repeat("%PDF-1.4 binary\x00\xff", 300))
	msg := mailWith(att, "q4.pdf")
	stuffed := strings.ReplaceAll(msg, "\r\n.", "\r\n..") + ".\r\n"
	env := []step{{false, "220 mx\r\n"}, {true, "EHLO c\r\n"}, {false, "250 mx\r\n"},
		{true, "MAIL FROM:<a@x> SIZE=" + strconv.Itoa(len(msg)) + " BODY=8BITMIME\r\n"}, {false, "250 ok\r\n"},
		{true, "RCPT TO:<b@y> NOTIFY=SUCCESS,FAILURE\r\n"}, {false, "250 ok\r\n"},
		{true, "RCPT TO:<z@y>\r\n"}, {false, "550 no such user\r\n"}}
	data := append(append([]step{}, env...), step{true, "DATA\r\n"}, step{false, "354 go\r\n"},
		step{true, stuffed}, step{false, "250 queued\r\n"})
	bdat := append(append([]step{}, env...), step{true, "BDAT 100\r\n" + msg[:100]}, step{false, "250 ok\r\n"},
		step{true, "BDAT " + strconv.Itoa(len(msg)-100) + " LAST\r\n" + msg[100:]}, step{false, "250 queued\r\n"})
	sum := sha256.Sum256(att)
	var got []string
	for name, steps := range map[string][]step{"DATA": data, "BDAT": bdat} {
		col := feed(t, Options{}, "192.0.2.1:40000", "198.51.100.2:25", true, steps)
		if len(col.finished) != 1 || len(col.finished[0].Messages) != 1 {
			t.Fatalf("%s: sessions %d", name, len(col.finished))
		}
		s := col.finished[0]
		m := s.Messages[0]
		if len(m.Parts) != 3 || m.Parts[2].Filename != "q4.pdf" || m.Parts[2].SHA256 != hex.EncodeToString(sum[:]) || m.Parts[2].Size != int64(len(att)) {
			t.Fatalf("%s: parts %+v", name, m.Parts)
		}
		if m.MailParams == nil || m.MailParams.Size != int64(len(msg)) || m.MailParams.Body != "8BITMIME" {
			t.Errorf("%s: mail params %+v", name, m.MailParams)
		}
		if len(m.Rcpts) != 2 || m.Rcpts[0].Params == nil || m.Rcpts[0].Params.Notify[1] != "FAILURE" || m.Rcpts[1].Reply != 550 {
			t.Errorf("%s: rcpts %+v", name, m.Rcpts)
		}
		if strings.Join(m.Cc, ",") != "c@y,d@y" || strings.Join(m.Path, ",") != "198.51.100.2,192.0.2.1,203.0.113.9" {
			t.Errorf("%s: cc %q path %q", name, m.Cc, m.Path)
		}
		if strings.Join(m.Fuids, ",") != "F7.0.1,F7.0.2" {
			t.Errorf("%s: fuids %q", name, m.Fuids)
		}
		var line string
		for _, e := range s.Timeline {
			if e.Kind == "message" {
				line = e.Summary
			}
		}
		if !strings.Contains(line, "Subject: with file") || !strings.Contains(line, "attachment: q4.pdf (5.0 KiB)") {
			t.Errorf("%s: message line %q", name, line)
		}
		got = append(got, m.Parts[2].MD5+m.Parts[1].MD5)
	}
	if got[0] != got[1] {
		t.Errorf("DATA and BDAT differ: %q", got)
	}
}

func TestNoContent(t *testing.T) {
	steps := []step{{false, "220 mx\r\n"}, {true, "MAIL FROM:<a@x>\r\n"}, {false, "250 ok\r\n"},
		{true, "RCPT TO:<b@y>\r\n"}, {false, "250 ok\r\n"}, {true, "DATA\r\n"}, {false, "354 go\r\n"},
		{true, "Subject: s\r\n\r\nx\r\n.\r\n"}, {false, "250 ok\r\n"}}
	col := feed(t, Options{NoContent: true}, "192.0.2.1:40000", "198.51.100.2:25", true, steps)
	if m := col.finished[0].Messages[0]; m.Subject != "s" || len(m.Parts) != 0 {
		t.Errorf("NoContent: subject %q, %d parts", m.Subject, len(m.Parts))
	}
}
