package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// ourSession is the part of `report --json` the conformance test reads.
type ourSession struct {
	Stream int64  `json:"stream"`
	Client string `json:"client"`
	Server string `json:"server"`
	TCP    struct {
		Packets int `json:"packets"`
	} `json:"tcp"`
	Commands []struct {
		Frame int64  `json:"frame"`
		Verb  string `json:"verb"`
		Arg   string `json:"arg"`
	} `json:"commands"`
	Replies []struct {
		Frame int64    `json:"frame"`
		Code  int      `json:"code"`
		Lines []string `json:"lines"`
	} `json:"replies"`
	TLSRecords []struct {
		Frame     int64  `json:"frame"`
		Type      int    `json:"type"`
		Version   uint16 `json:"version"`
		Length    int    `json:"length"`
		Handshake []int  `json:"handshake"`
		Decrypted bool   `json:"decrypted"`
	} `json:"tls_records"`
}

func cmdKey(stream, frame int64, verb, arg string) string {
	return fmt.Sprintf("s%d f%d C %s %s", stream, frame, strings.ToUpper(printable(verb)), printable(arg))
}

func replyKey(stream, frame int64, code int, lines []string) string {
	return fmt.Sprintf("s%d f%d S %d %s", stream, frame, code, printable(strings.Join(lines, "|")))
}

func tlsKey(stream, frame int64, typ int, version string, length int, hs []int) string {
	return fmt.Sprintf("s%d f%d T type=%d %s len=%d hs=%v", stream, frame, typ, version, length, hs)
}

// binaryText matches text holding bytes that a tool had to escape: tshark
// writes them as `\xb` or raw, smtpscope as `\x0b` or `\u{9b}`, so such
// text is compared as "<binary>" (frames, verbs and codes still compare
// exactly).
var binaryText = regexp.MustCompile(`\\x[0-9a-fA-F]|\\u\{|[^\x20-\x7e]`)

// printable returns s, or "<binary>" when s holds escaped bytes.
func printable(s string) string {
	if binaryText.MatchString(s) {
		return "<binary>"
	}
	return s
}

// tsharkKeys renders tshark's items. tshark 4.0 takes the first four
// characters of a command line as the command and skips the fifth, so
// STARTTLS is "STAR" "TLS"; that is joined back.
func tsharkKeys(v *tsharkView, streams map[int64]bool) []string {
	var keys []string
	for _, it := range v.smtp {
		if it.Dir == "C" {
			verb, arg := it.Command, it.Parameter
			if strings.EqualFold(verb, "STAR") && strings.EqualFold(arg, "TLS") {
				verb, arg = "STARTTLS", ""
			}
			keys = append(keys, cmdKey(it.Stream, it.Frame, verb, arg))
		} else {
			keys = append(keys, replyKey(it.Stream, it.Frame, it.Code, it.Lines))
		}
	}
	for _, it := range v.tls {
		if !streams[it.Stream] {
			continue // TLS on a connection that is not SMTP (HTTPS, ...)
		}
		typ := 0
		if it.ContentType != nil {
			typ = *it.ContentType
		} else if it.OpaqueType != nil {
			typ = *it.OpaqueType
		}
		hs := it.HandshakeTypes
		if hs == nil {
			hs = []int{}
		}
		keys = append(keys, tlsKey(it.Stream, it.Frame, typ, it.Version, it.Length, hs))
	}
	return keys
}

func ourKeys(sessions []ourSession) []string {
	var keys []string
	for _, s := range sessions {
		for _, c := range s.Commands {
			keys = append(keys, cmdKey(s.Stream, c.Frame, c.Verb, c.Arg))
		}
		for _, r := range s.Replies {
			keys = append(keys, replyKey(s.Stream, r.Frame, r.Code, r.Lines))
		}
		for _, r := range s.TLSRecords {
			hs := r.Handshake
			if hs == nil {
				hs = []int{}
			}
			if r.Decrypted {
				hs = []int{} // tshark's TLS records are listed without keys
			}
			keys = append(keys, tlsKey(s.Stream, r.Frame, r.Type, fmt.Sprintf("0x%04x", r.Version), r.Length, hs))
		}
	}
	return keys
}

// diff returns "-key" for items only tshark has and "+key" for items only
// we have, as multisets, sorted.
func diff(theirs, ours []string) []string {
	count := map[string]int{}
	for _, k := range theirs {
		count[k]++
	}
	for _, k := range ours {
		count[k]--
	}
	var out []string
	for k, n := range count {
		for ; n > 0; n-- {
			out = append(out, "-"+k)
		}
		for ; n < 0; n++ {
			out = append(out, "+"+k)
		}
	}
	sort.Strings(out)
	return out
}

// TestConformanceWithTshark compares, per stream, the SMTP commands and
// replies and the TLS records, with their frame numbers, to tshark 4.0's on
// every public corpus capture; for the captures that come with a key log,
// also the SMTP decrypted with it (tshark -o tls.keylog_file:) against
// `report --keylog`. Every difference must be listed in tsharkExceptions
// (under "FILE" or "FILE+keylog") with the reason tshark is wrong there.
func TestConformanceWithTshark(t *testing.T) {
	dir := corpusDir(t)
	if dir == "" {
		t.Skip("../shared/corpus/public is absent: the conformance test needs the shared corpus beside the project")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".tshark.txt") || strings.HasSuffix(name, ".keylog") || strings.HasSuffix(name, ".md") {
			continue
		}
		view, err := readTshark(path + ".tshark.txt")
		if err != nil {
			t.Fatal(err)
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			conform(t, name, []string{"report", "--json", "--reveal", path}, view, view.smtp)
		})
		if _, err := os.Stat(path + ".keylog"); err == nil && view.smtpDecrypted != nil {
			seen[name+"+keylog"] = true
			t.Run(name+"+keylog", func(t *testing.T) {
				conform(t, name+"+keylog", []string{"report", "--json", "--reveal", "--keylog", path + ".keylog", path},
					view, view.smtpDecrypted)
			})
		}
	}
	for name := range tsharkExceptions {
		if !seen[name] {
			t.Errorf("exception table names %s, which is not in the corpus", name)
		}
	}
	if len(seen) == 0 {
		t.Fatalf("no capture in %s", dir)
	}
}

// conform runs Main with args and compares its sessions with tshark's
// items (smtp: the SMTP items to compare; TLS records come from view).
func conform(t *testing.T, key string, args []string, view *tsharkView, smtp []tsharkItem) {
	t.Helper()
	var out, errOut bytes.Buffer
	if st := Main(args, nil, &out, &errOut); st != exitOK {
		t.Fatalf("%q: exit %d: %s", args, st, errOut.String())
	}
	var sessions []ourSession
	streams := map[int64]bool{}
	for k := range view.smtpStreams {
		streams[k] = true
	}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var s ourSession
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("bad NDJSON: %v", err)
		}
		sessions = append(sessions, s)
		streams[s.Stream] = true
	}
	v := *view
	v.smtp = smtp
	got := diff(tsharkKeys(&v, streams), ourKeys(sessions))
	// Every frame of each connection is the session's (first_frame to
	// last_frame, tcp.packets), as tshark's conversation table counts them.
	packets := map[string]int{}
	for _, s := range sessions {
		packets[convKey(s.Client, s.Server)] += s.TCP.Packets
	}
	for k, n := range packets {
		if want, ok := view.convFrames[k]; ok && n != want {
			got = append(got, fmt.Sprintf("!conv %s packets=%d tshark=%d", k, n, want))
		}
	}
	sort.Strings(got)
	if got == nil {
		got = []string{}
	}
	want := tsharkExceptions[key]
	wantKeys := make([]string, len(want))
	for i, w := range want {
		wantKeys[i] = w.item
	}
	sort.Strings(wantKeys)
	if strings.Join(got, "\n") != strings.Join(wantKeys, "\n") {
		t.Errorf("differences from tshark:\n%s\nlisted exceptions:\n%s", strings.Join(got, "\n"), strings.Join(wantKeys, "\n"))
	}
}
