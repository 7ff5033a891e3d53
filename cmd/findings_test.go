package cmd

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sample(name string) string { return filepath.Join("..", "pcaps", name) }

func TestReportFindingsOnly(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		status int
		want   []string // lines of stdout that must be present (substrings)
		not    []string // must be absent
		stderr string
	}{
		{"one line per finding, fix once", []string{"report", "--findings-only", sample("attack-cmdinject25.pcap")}, exitOK,
			[]string{"attack-cmdinject25.pcap #0 192.0.2.32:50102 → 198.51.100.25:25  high   starttls.command_injection  frames 7,8  client sent RSET after STARTTLS",
				"\nFixes:\n  starttls.command_injection: Servers: flush the input buffer"}, []string{"SYN"}, ""},
		{"fail-on high: command injection is high", []string{"report", "--findings-only", "--fail-on", "high", sample("attack-cmdinject25.pcap")},
			exitFindings, []string{"starttls.command_injection"}, nil, ""},
		{"fail-on crit: nothing that bad", []string{"report", "--findings-only", "--fail-on", "crit", sample("attack-cmdinject25.pcap")},
			exitOK, []string{"starttls.command_injection"}, nil, ""},
		{"plain25 medium mail.plaintext fails medium", []string{"report", "--findings-only", "--fail-on=medium", sample("plain25.pcap")},
			exitFindings, []string{"medium mail.plaintext  frames 7,13,15", "low    starttls.not_offered  frames 6"}, nil, ""},
		{"plain25 passes high", []string{"report", "--findings-only", "--fail-on", "high", sample("plain25.pcap")}, exitOK, nil, nil, ""},
		{"no findings: no output", []string{"report", "--findings-only", "--fail-on", "info", sample("starttls587-tls13.pcap")}, exitOK,
			nil, []string{"#0", "Fixes"}, ""},
		{"cross-session rule applies", []string{"report", "--findings-only", sample("attack-tlsfail-retry25.pcap")}, exitOK,
			[]string{"#1 192.0.2.36:50107 → 198.51.100.25:25  high   starttls.tls_failed_then_plain  frames 10,14,20,24  TLS handshake of stream 0 failed",
				"  starttls.tls_failed_then_plain: Senders: do not retry in clear"}, nil, ""},
		{"several files, stream order per file", []string{"report", "--findings-only", sample("attack-stripped587.pcap"), sample("attack-refused25.pcap")},
			exitOK, []string{"attack-stripped587.pcap #0 192.0.2.30:50100 → 198.51.100.25:587  crit   starttls.stripped",
				"attack-refused25.pcap #0 192.0.2.31:50101 → 198.51.100.25:25  high   starttls.refused"}, nil, ""},
		{"input error beats fail-on", []string{"report", "--findings-only", "--fail-on", "info", sample("attack-cmdinject25.pcap"), sample("nope.pcap")},
			exitInput, []string{"starttls.command_injection"}, nil, "nope.pcap"},
		{"bad severity", []string{"report", "--findings-only", "--fail-on", "severe", sample("plain25.pcap")}, exitUsage, nil, nil, "--fail-on"},
		{"plain report honours fail-on", []string{"report", "--fail-on", "medium", sample("plain25.pcap")}, exitFindings,
			[]string{"! medium mail.plaintext"}, nil, ""},
		{"text report: across sessions, counted for fail-on", []string{"report", "--fail-on", "high", sample("attack-tlsfail-retry25.pcap")},
			exitFindings, []string{"Across sessions:\n    ! high   starttls.tls_failed_then_plain  #1 192.0.2.36:50107 → 198.51.100.25:25",
				"3 findings"}, nil, ""},
		{"json report: no across section, but fail-on counts it and stderr names it", []string{"report", "--json", "--fail-on", "high",
			sample("attack-tlsfail-retry25.pcap")}, exitFindings, nil, []string{"Across", "tls_failed_then_plain"},
			"1 finding(s) across sessions are not in the JSON lines (use --findings-only)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			st := Main(tt.args, nil, &out, &errOut)
			if st != tt.status {
				t.Errorf("Main(%q) = %d, want %d (stderr %q)", tt.args, st, tt.status, errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("Main(%q) stdout lacks %q:\n%s", tt.args, w, out.String())
				}
			}
			for _, w := range tt.not {
				if strings.Contains(out.String(), w) {
					t.Errorf("Main(%q) stdout has %q:\n%s", tt.args, w, out.String())
				}
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("Main(%q) stderr = %q, want %q", tt.args, errOut.String(), tt.stderr)
			}
		})
	}
}

func TestReportFindingsOnlyFixOncePerCode(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"report", "--findings-only", sample("attack-plainauth25.pcap"), sample("attack-smuggling25.pcap")}
	if st := Main(args, nil, &out, &errOut); st != exitOK {
		t.Fatalf("Main(%q) = %d: %s", args, st, errOut.String())
	}
	_, fixes, ok := strings.Cut(out.String(), "\nFixes:\n")
	if !ok {
		t.Fatalf("no Fixes section:\n%s", out.String())
	}
	if n := strings.Count(fixes, "  mail.plaintext: "); n != 1 {
		t.Errorf("mail.plaintext fix listed %d times, want 1:\n%s", n, fixes)
	}
	if n := strings.Count(out.String(), " mail.plaintext  frames "); n != 2 {
		t.Errorf("mail.plaintext finding lines = %d, want 2 (one per file):\n%s", n, out.String())
	}
}

func TestReportFindingsOnlyJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"report", "--findings-only", "--json", "--fail-on", "crit", sample("attack-stripped587.pcap"), sample("attack-tlsfail-retry25.pcap")}
	if st := Main(args, nil, &out, &errOut); st != exitFindings {
		t.Fatalf("Main(%q) = %d, want %d: %s", args, st, exitFindings, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var codes []string
	for _, ln := range lines {
		var f map[string]any
		if err := json.Unmarshal([]byte(ln), &f); err != nil {
			t.Fatalf("line %q: %v", ln, err)
		}
		for _, k := range []string{"file", "stream", "client", "server", "code", "severity", "frames", "summary", "fix"} {
			if _, ok := f[k]; !ok {
				t.Errorf("line %q lacks %q", ln, k)
			}
		}
		if f["fix"] == "" {
			t.Errorf("line %q has no fix", ln)
		}
		codes = append(codes, f["code"].(string))
	}
	want := []string{"starttls.stripped", "auth.plaintext", "mail.plaintext",
		"starttls.tls_failed_then_plain", "starttls.offered_not_used", "mail.plaintext"}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("codes = %q, want %q", codes, want)
	}
}
