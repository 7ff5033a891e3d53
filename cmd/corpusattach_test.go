package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pyAttachments prints "sha256 filename" for every attachment Python's
// stdlib email package finds in each .eml file given (dot-unstuffed first:
// tshark's IMF export keeps DATA's dot-stuffing).
const pyAttachments = `
import email, email.policy, hashlib, sys
for f in sys.argv[1:]:
    b = open(f, 'rb').read()
    if b.startswith(b'..'):
        b = b[1:]
    b = b.replace(b'\r\n..', b'\r\n.')
    m = email.message_from_bytes(b, policy=email.policy.compat32)
    for p in m.walk():
        if p.is_multipart():
            continue
        if p.get_filename() is None and p.get_content_disposition() != 'attachment':
            continue
        data = p.get_payload(decode=True) or b''
        print(hashlib.sha256(data).hexdigest(), p.get_filename())
`

// pyHashes runs pyAttachments on files: the attachments' SHA-256 by file.
func pyHashes(t *testing.T, py string, files []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, f := range files {
		b, err := exec.Command(py, "-c", pyAttachments, f).CombinedOutput()
		if err != nil {
			t.Fatalf("python on %s: %v %s", f, err, b)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if sum, _, ok := strings.Cut(l, " "); ok {
				out[f] = append(out[f], sum)
			}
		}
	}
	return out
}

// Attachment hashes equal what Python's email package recovers from
// tshark's IMF export, on every public-corpus capture that carries one.
// Where tshark's export is not the bytes the client sent (its reassembly
// drops a segment or repeats a retransmission: arkime__smtp-decrypted,
// zeek__smtp) the comparison is made on our .eml of that message instead,
// which TestExportEMLMatchesTshark checks byte for byte on the samples;
// every attachment Python finds in our .eml files must be in the model.
func TestCorpusAttachmentsMatchPython(t *testing.T) {
	corpus := "../../shared/corpus/public"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("../shared/corpus/public is absent: the attachment test needs the shared corpus beside the project")
	}
	tshark, err1 := exec.LookPath("tshark")
	py, err2 := exec.LookPath("python3")
	if err1 != nil || err2 != nil {
		t.Skip("needs tshark and python3")
	}
	files, _ := filepath.Glob(filepath.Join(corpus, "*"))
	viaTshark, viaOurs := 0, 0
	for _, f := range files {
		if strings.HasSuffix(f, ".txt") || strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".keylog") || strings.HasSuffix(f, ".keys") {
			continue
		}
		name := filepath.Base(f)
		theirs, ours := t.TempDir(), t.TempDir()
		if out, err := exec.Command(tshark, "-r", f, "-o", "tcp.reassemble_out_of_order:TRUE", "-q",
			"--export-objects", "imf,"+theirs).CombinedOutput(); err != nil {
			t.Logf("%s: tshark: %v %s", name, err, out)
			continue
		}
		tfiles, _ := filepath.Glob(filepath.Join(theirs, "*"))
		if len(tfiles) == 0 {
			continue
		}
		ss, _, err := (&env{}).readAll(f, defaultTestOptions())
		if err != nil {
			t.Logf("%s: %v (what was read is compared)", name, err)
		}
		model := map[string]bool{}
		for _, s := range ss {
			for i := range s.Messages {
				for _, p := range s.Messages[i].Attachments() {
					model[p.SHA256] = true
				}
			}
		}
		runExport(t, "--eml", ours, "--all", f)
		ofiles, _ := filepath.Glob(filepath.Join(ours, "*"))
		oursByBytes := map[string]bool{}
		for _, o := range ofiles {
			b, _ := os.ReadFile(o)
			oursByBytes[string(b)] = true
		}
		for tf, sums := range pyHashes(t, py, tfiles) {
			b, _ := os.ReadFile(tf)
			// tshark's IMF export drops an empty last line (the client's
			// "\r\n\r\n.\r\n" ends in an empty line, RFC 5321, 4.1.1.4).
			if u := string(unstuff(b)); !oursByBytes[u] && !oursByBytes[u+"\r\n"] {
				t.Logf("%s: tshark's %q is not the bytes the client sent (%d bytes): compared on our .eml", name, filepath.Base(tf), len(b))
				continue
			}
			for _, sum := range sums {
				viaTshark++
				if !model[sum] {
					t.Errorf("%s: attachment sha256 %s (Python on tshark's %q) not among ours", name, sum, filepath.Base(tf))
				}
			}
		}
		for of, sums := range pyHashes(t, py, ofiles) {
			for _, sum := range sums {
				viaOurs++
				if !model[sum] {
					t.Errorf("%s: attachment sha256 %s (Python on our %s) not in the model", name, sum, filepath.Base(of))
				}
			}
		}
	}
	t.Logf("attachments compared: %d on tshark's export, %d on ours", viaTshark, viaOurs)
	if viaTshark == 0 || viaOurs == 0 {
		t.Errorf("too few attachments compared (%d, %d)", viaTshark, viaOurs)
	}
}
