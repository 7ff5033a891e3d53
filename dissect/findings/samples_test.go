package findings_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	. "github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// collect is an engine.Target that keeps every finished session, in the
// order they finished.
type collect struct {
	engine.Nop
	sessions []*session.Session
}

func (c *collect) Finished(s *session.Session) { c.sessions = append(c.sessions, s) }

// sessionsOf runs the pipeline over a capture's bytes, sessions sorted by
// stream.
func sessionsOf(t testing.TB, data []byte) []*session.Session {
	f, err := capture.NewFile(bytes.NewReader(data), "sample", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &collect{}
	if _, err := engine.Run(context.Background(), f, engine.Options{Session: build.Options{AnyPort: true}}, c); err != nil {
		t.Fatal(err)
	}
	ss := c.sessions
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && ss[j-1].Stream > ss[j].Stream; j-- {
			ss[j-1], ss[j] = ss[j], ss[j-1]
		}
	}
	return ss
}

// analyse runs Session and Capture and merges them, per session.
func analyse(ss []*session.Session) [][]session.Finding {
	extra := Capture(ss)
	out := make([][]session.Finding, len(ss))
	for i, s := range ss {
		out[i] = Merge(Session(s), extra[i])
	}
	return out
}

// expect is one finding a sample must show.
type expect struct {
	session int
	code    string
	sev     session.Severity
}

func TestSamples(t *testing.T) {
	tests := []struct {
		file string
		want []expect
		// clean lists sessions that must have no high or crit finding.
		clean []int
	}{
		{file: "starttls587-tls13.pcap", clean: []int{0}},
		{file: "starttls587-tls12.pcap", clean: []int{0}},
		{file: "smtps465-tls13-ipv6.pcap", clean: []int{0}},
		{file: "demo.pcap", clean: []int{0, 2}, want: []expect{
			{1, CodeAuthPlaintext, session.SevCrit},
			{1, CodeOfferedNotUsed, session.SevCrit},
			{1, CodeMailPlaintext, session.SevMedium},
			{1, CodeAuthAdvertised, session.SevLow},
			{2, CodeDowngrade, session.SevInfo}, // TLS 1.2 client, TLS 1.3 server
		}},
		{file: "plain25.pcap", want: []expect{{0, CodeNotOffered, session.SevLow}, {0, CodeMailPlaintext, session.SevMedium}}},
		{file: "rejected-data25.pcap", want: []expect{{0, CodeDataRejected, session.SevInfo}}},
		{file: "gap25.pcap", want: []expect{{0, CodeGap, session.SevInfo}}},
		{file: "attack-stripped587.pcap", want: []expect{
			{0, CodeStripped, session.SevCrit}, {0, CodeAuthPlaintext, session.SevCrit}, {0, CodeMailPlaintext, session.SevHigh},
		}},
		{file: "attack-refused25.pcap", want: []expect{{0, CodeRefused, session.SevHigh}, {0, CodeMailPlaintext, session.SevMedium}}},
		{file: "attack-cmdinject25.pcap", want: []expect{{0, CodeCommandInjection, session.SevHigh}}},
		{file: "attack-respinject587.pcap", want: []expect{{0, CodeResponseInjection, session.SevHigh}}},
		{file: "attack-plainauth25.pcap", want: []expect{
			{0, CodeAuthPlaintext, session.SevCrit}, {0, CodeNotOffered, session.SevLow}, {0, CodeMailPlaintext, session.SevMedium},
		}},
		{file: "attack-tls10-rc4-25.pcap", want: []expect{{0, CodeWeakVersion, session.SevMedium}, {0, CodeWeakCipher, session.SevHigh}}},
		{file: "attack-tlsfail-retry25.pcap", want: []expect{{1, CodeTLSFailedThenPlain, session.SevHigh}, {1, CodeOfferedNotUsed, session.SevMedium}}},
		{file: "attack-overlap25.pcap", want: []expect{{0, CodeOverlap, session.SevHigh}}},
		{file: "attack-smuggling25.pcap", want: []expect{{0, CodeSmuggling, session.SevMedium}}}, // one reply answered the message: kept inside
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "pcaps", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			ss := sessionsOf(t, data)
			got := analyse(ss)
			for i, fs := range got {
				for _, f := range fs {
					t.Logf("session %d: %-6s %-32s %v %s", i, f.Severity, f.Code, f.Frames, f.Summary)
				}
			}
			for _, i := range tt.clean {
				if i >= len(got) {
					t.Fatalf("%d sessions, want session %d", len(got), i)
				}
				for _, f := range got[i] {
					if f.Severity.Rank() >= session.SevHigh.Rank() {
						t.Errorf("session %d: %s %s %q on a clean session", i, f.Severity, f.Code, f.Summary)
					}
				}
			}
			for _, w := range tt.want {
				if w.session >= len(got) {
					t.Fatalf("%d sessions, want session %d", len(got), w.session)
				}
				fs := findCode(got[w.session], w.code)
				if len(fs) == 0 {
					t.Errorf("session %d: no %s; got %v", w.session, w.code, got[w.session])
					continue
				}
				if fs[0].Severity != w.sev {
					t.Errorf("session %d: %s is %s (%q), want %s", w.session, w.code, fs[0].Severity, fs[0].Summary, w.sev)
				}
				for _, fr := range fs[0].Frames {
					if fr < 1 {
						t.Errorf("session %d: %s has frame %d", w.session, w.code, fr)
					}
				}
			}
		})
	}
}

// FuzzCapture runs the pipeline and every rule over arbitrary capture
// bytes: the rules must never panic, whatever the model holds. Inputs are
// small (the samples' first 4 KiB as seeds, nothing past 64 KiB) and read
// with small buffers, one thread and no recover boundary (issue 12,
// deliver 2).
func FuzzCapture(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("..", "..", "pcaps", "*.pcap*"))
	for _, n := range names {
		if data, err := os.ReadFile(n); err == nil {
			f.Add(data[:min(len(data), 4<<10)])
		}
	}
	copts := capture.Options{MaxRecord: 16 << 10, ReadBuffer: 4 << 10, MaxEmptyRun: 1 << 20}
	eopts := engine.Options{Threads: 1, Session: build.Options{AnyPort: true, Panic: true}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		fr, err := capture.NewFile(bytes.NewReader(data), "fuzz", copts)
		if err != nil {
			return
		}
		c := &collect{}
		_, _ = engine.Run(context.Background(), fr, eopts, c)
		for i, fs := range analyse(c.sessions) {
			for _, x := range fs {
				if _, ok := Explain(x.Code); !ok || x.Severity.Rank() < 0 {
					t.Errorf("session %d: finding %v outside the catalogue", i, x)
				}
			}
		}
	})
}

// findCode returns the findings of fs with the given code.
func findCode(fs []session.Finding, code string) []session.Finding {
	var out []session.Finding
	for _, f := range fs {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}
