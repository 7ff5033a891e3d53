package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tsharkItem is one line of the JSON-lines sections of a corpus
// `*.tshark.txt` file (see shared/corpus/public/PROVENANCE.md).
type tsharkItem struct {
	Frame          int64    `json:"frame"`
	Stream         int64    `json:"stream"`
	Dir            string   `json:"dir"`
	Command        string   `json:"command"`
	Parameter      string   `json:"parameter"`
	Code           int      `json:"code"`
	Lines          []string `json:"lines"`
	ContentType    *int     `json:"content_type"`
	OpaqueType     *int     `json:"opaque_type"`
	Version        string   `json:"version"`
	Length         int      `json:"length"`
	HandshakeTypes []int    `json:"handshake_types"`
}

// tsharkView is what tshark shows of one capture, without keys.
type tsharkView struct {
	smtpStreams map[int64]bool
	smtp        []tsharkItem
	tls         []tsharkItem
	// smtpDecrypted is the SMTP tshark shows with the capture's key log
	// (plaintext and decrypted items together); nil without a key log.
	smtpDecrypted []tsharkItem
	// convFrames is the frame count of each TCP conversation (-z conv,tcp),
	// by convKey of its two endpoints.
	convFrames map[string]int
}

// convLine matches a -z conv,tcp line: A <-> B, frames and bytes each way,
// then the total frames.
var convLine = regexp.MustCompile(`^(\S+)\s+<->\s+(\S+)\s+\d+\s+\d+\s+\S+\s+\d+\s+\d+\s+\S+\s+(\d+)\s`)

// convKey names a conversation by its endpoints in either order; IPv6 is
// written without brackets, as tshark does.
func convKey(a, b string) string {
	a = strings.NewReplacer("[", "", "]", "").Replace(a)
	b = strings.NewReplacer("[", "", "]", "").Replace(b)
	if a > b {
		a, b = b, a
	}
	return a + " " + b
}

// corpusDir finds shared/corpus/public beside the project, or "".
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(filepath.Dir(dir), "shared", "corpus", "public")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// readTshark parses the sections of a `*.tshark.txt` file that the
// conformance test compares.
func readTshark(path string) (*tsharkView, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v := &tsharkView{smtpStreams: map[int64]bool{}, convFrames: map[string]int{}}
	section := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			switch {
			case strings.HasPrefix(line, "## tshark -n -r FILE") && strings.Contains(line, "conv,tcp"):
				section = "conv"
			case strings.HasPrefix(line, "## TCP streams carrying SMTP"):
				section = "streams"
			case strings.HasPrefix(line, "## SMTP items (JSON"):
				section = "smtp"
			case strings.HasPrefix(line, "## TLS records (JSON"):
				section = "tls"
			case strings.HasPrefix(line, "## SMTP items decrypted"):
				section = "smtp-decrypted"
			default:
				section = ""
			}
			continue
		}
		switch section {
		case "conv":
			if m := convLine.FindStringSubmatch(line); m != nil {
				n, _ := strconv.Atoi(m[3])
				v.convFrames[convKey(m[1], m[2])] += n
			}
		case "streams":
			var s int64
			if _, err := fmt.Sscanf(line, "%d", &s); err == nil {
				v.smtpStreams[s] = true
			}
		case "smtp", "tls", "smtp-decrypted":
			if !strings.HasPrefix(line, "{") {
				continue
			}
			var it tsharkItem
			if err := json.Unmarshal([]byte(line), &it); err != nil {
				return nil, fmt.Errorf("%s: %q: %w", path, line, err)
			}
			switch section {
			case "smtp":
				v.smtp = append(v.smtp, it)
			case "smtp-decrypted":
				v.smtpDecrypted = append(v.smtpDecrypted, it)
			default:
				v.tls = append(v.tls, it)
			}
		}
	}
	return v, sc.Err()
}
