package message

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pyLeafHashes is a Python program printing "md5 content-type" for every
// leaf part Python's stdlib email package finds in the message file given.
const pyLeafHashes = `
import email, email.policy, hashlib, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.compat32)
for p in m.walk():
    if p.is_multipart() or p.get_content_type() == 'message/rfc822':
        continue
    b = p.get_payload(decode=True) or b''
    print(hashlib.md5(b).hexdigest(), p.get_content_type())
`

// Our decoded leaf parts hash like what Python's email package decodes
// (for base64 and binary content; Python's quoted-printable decoder
// rewrites line endings, so text parts are compared only when 7bit).
func TestLeafHashesMatchPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	msgs := map[string]string{
		"sample": sample(),
		"bare-lf": "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/png\n" +
			"Content-Transfer-Encoding: base64\n\n" + strings.ReplaceAll(b64lines(attachment()), "\r\n", "\n") + "--b--\n",
	}
	for name, msg := range msgs {
		f := filepath.Join(t.TempDir(), name+".eml")
		if err := os.WriteFile(f, []byte(msg), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "-c", pyLeafHashes, f).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: python: %v\n%s", name, err, out)
		}
		want := map[string]bool{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			want[l] = true
		}
		m := parse(msg, 1, Options{})
		n := 0
		for _, p := range m.Parts {
			if p.Multipart || p.Encoding == "quoted-printable" {
				continue
			}
			n++
			if k := p.MD5 + " " + p.ContentType; !want[k] {
				t.Errorf("%s: part %s %s md5 %s not among Python's %v", name, p.Section, p.ContentType, p.MD5, want)
			}
		}
		if n == 0 {
			t.Errorf("%s: no part compared", name)
		}
	}
}
