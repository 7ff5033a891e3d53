package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// corpusFindingReasons justifies, per corpus capture and finding code, the
// findings smtpscope reports on the public corpus; each was checked by hand
// against the bytes (tshark -r FILE -x, and the ladder of `smtpscope report`).
// TestCorpusFindings fails when a finding appears that is not justified here,
// or when a justification is no longer used.
var corpusFindingReasons = map[string]string{
	"arkime__smtp-data-521.pcap starttls.offered_not_used":                                                    "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"arkime__smtp-data-521.pcap auth.plaintext":                                                               "AUTH PLAIN after an empty 334 in clear on 587, user 123456789@aol.com, accepted (235)",
	"arkime__smtp-data-521.pcap mail.plaintext":                                                               "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"arkime__smtp-data-521.pcap auth.advertised_before_tls":                                                   "the pre-TLS EHLO reply advertises AUTH PLAIN/LOGIN next to STARTTLS",
	"arkime__smtp-decrypted.pcap starttls.no_tls_after_220":                                                   "after '220 2.0.0 SMTP server ready' the client sends 'EHLO ...' in clear: a TLS proxy decrypted the capture in place, so no TLS record follows (the evidence is in the bytes either way)",
	"arkime__smtp-decrypted.pcap mail.plaintext":                                                              "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"arkime__smtp-starttls.pcap tls.weak_cipher":                                                              "ServerHello selects TLS_RSA_WITH_RC4_128_SHA (0x0005): RC4 (RFC 7465) and static RSA",
	"arkime__smtp-starttls.pcap tls.weak_version":                                                             "the ServerHello selects TLS 1.0 (record and handshake version 0x0301)",
	"arkime__smtp-starttls.pcap tls.certificate":                                                              "leaf CN=mx.google.com is signed with SHA1-RSA (2013 certificate); on port 25 that is medium",
	"bruteshark__SMTP_-_Auth_Cram_MD5.pcap auth.plaintext":                                                    "AUTH CRAM-MD5 in clear: the digest can be attacked offline (high, not crit)",
	"bruteshark__SMTP_-_Auth_Plain.pcap auth.plaintext":                                                       "AUTH PLAIN initial response in clear (user 'username'), accepted (235)",
	"certgrep__sess_smtps.pcapng tls.weak_cipher":                                                             "ServerHello selects TLS_RSA_WITH_RC4_128_MD5 (0x0004): RC4 and static RSA",
	"certgrep__sess_smtps.pcapng tls.certificate":                                                             "leaf CN=mobile.charter.net: SHA-1 signature and/or expired at capture time; high on 587",
	"certgrep__sess_smtps.pcapng port.wrong_transport":                                                        "the first client bytes on port 587 are a ClientHello: implicit TLS on the STARTTLS port",
	"certgrep__sess_smtps.pcapng tls.weak_version":                                                            "the ServerHello selects TLS 1.0 (record and handshake version 0x0301)",
	"chrissanders-packets__mail_sender_attachment.pcapng starttls.offered_not_used":                           "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"chrissanders-packets__mail_sender_attachment.pcapng mail.plaintext":                                      "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"chrissanders-packets__mail_sender_server_2.pcapng starttls.offered_not_used":                             "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"chrissanders-packets__mail_sender_server_2.pcapng mail.plaintext":                                        "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"markofu-pcaps__evidence02.pcap starttls.offered_not_used":                                                "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"markofu-pcaps__evidence02.pcap auth.plaintext":                                                           "both sessions: AUTH LOGIN in clear, user sneakyg33k@aol.com, accepted (235) — the forensics puzzle's point",
	"markofu-pcaps__evidence02.pcap mail.plaintext":                                                           "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"markofu-pcaps__evidence02.pcap auth.advertised_before_tls":                                               "the pre-TLS EHLO reply advertises AUTH PLAIN/LOGIN next to STARTTLS",
	"ndpi__emotet.pcap auth.plaintext":                                                                        "AUTH LOGIN in clear to orange.fr: user raulparedes@wanadoo.fr decoded from base64, accepted (235)",
	"bruteshark__SMTP_-_Auth_Cram_MD5.pcap starttls.not_offered":                                              "the client used only HELO (RFC 5321, Section 4.1.1.1: no extension list), so STARTTLS could not be offered",
	"bruteshark__SMTP_-_Auth_Plain.pcap starttls.not_offered":                                                 "the client used only HELO (RFC 5321, Section 4.1.1.1: no extension list), so STARTTLS could not be offered",
	"ndpi__smtp.pcap starttls.not_offered":                                                                    "the server answered EHLO 500 and HELO 250 (checked in the reply lines): a HELO-only server",
	"suricata-verify__issue-4220-01-ids__1flowB.pcap starttls.not_offered":                                    "the client used only HELO (RFC 5321, Section 4.1.1.1: no extension list), so STARTTLS could not be offered",
	"suricata-verify__smtp-errors__smtperr.pcap starttls.not_offered":                                         "the client used only HELO (RFC 5321, Section 4.1.1.1: no extension list), so STARTTLS could not be offered",
	"suricata-verify__smtp-multi-mail.pcap starttls.not_offered":                                              "the client used only HELO (RFC 5321, Section 4.1.1.1: no extension list), so STARTTLS could not be offered",
	"ndpi__emotet.pcap starttls.not_offered":                                                                  "port 587 (submission) and the EHLO reply lists no STARTTLS: high for submission",
	"ndpi__emotet.pcap mail.plaintext":                                                                        "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"ndpi__smtp-starttls.pcap tls.weak_cipher":                                                                "stream 0: ServerHello selects TLS_RSA_WITH_RC4_128_SHA",
	"ndpi__smtp-starttls.pcap tls.weak_version":                                                               "stream 0: ServerHello selects TLS 1.0",
	"ndpi__smtp-starttls.pcap tls.certificate":                                                                "stream 0: mx.google.com leaf signed with SHA1-RSA; stream 1: self-signed CN=jw-vm08-int-dns that does not match the SNI/greeting name",
	"ndpi__smtp-starttls.pcap capture.gap":                                                                    "stream 1: 5760 client bytes inside TLS not captured (frame 60: previous segment not captured)",
	"ndpi__smtp.pcap mail.plaintext":                                                                          "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__truncated-header.pcap capture.gap":                                                                 "every frame is cut at 54 bytes (snaplen 54, TCP header truncated): the 605 payload bytes of both directions were never captured (capture.snaplen anomalies, issue 10)",
	"ndpi__smtps.pcapng starttls.tls_in_clear":                                                                "frame 3: the client's first bytes are a ClientHello (implicit TLS), but the server on 465 speaks plaintext (its 220 in frame 4): the ClientHello went in clear, no TLS followed",
	"suricata-verify__smtp-tls-protodetect__input.pcap starttls.tls_in_clear":                                 "frame 4: ClientHello as the client's first bytes; the server answers with a plaintext 220 (frame 6), the client resets: TLS never started",
	"suricata-verify__smtp-errors__smtperr.pcap starttls.tls_in_clear":                                        "stream 3: after the server's plaintext 220 on 465 (frame 149) the client sends a ClientHello (frame 151); the server answers its lines with 402/400 (frame 153)",
	"ndpi__smtps.pcapng port.wrong_transport":                                                                 "frame 4: the server on 465 answers the ClientHello with a plaintext '220 gator4223.hostgator.com ESMTP Exim' banner",
	"smtp-nel-filter__smtp_2.pcap mail.plaintext":                                                             "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"smtp-nel-filter__smtp_2.pcap starttls.not_offered":                                                       "no EHLO reply of this server lists STARTTLS (checked in the reply lines)",
	"smtp-nel-filter__smtp_2.pcap smtp.data_rejected":                                                         "DATA answered with a 5xx at the evidence frames: no message followed",
	"suricata-verify__issue-4220-01-ids__1flowB.pcap mail.plaintext":                                          "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"suricata-verify__protocol-change-failed-event__input.pcap starttls.response_injection":                   "after '220 2tart' answered STARTTLS (frame 6) the server sends 'HTTP/...' in clear (frame 8) while the client never started TLS: server bytes between the 220 and a TLS handshake, the evidence FINDINGS.md names",
	"suricata-verify__smtp-data-rejected__10.7.29.101_49898-178.63.41.150_25.pcap starttls.offered_not_used":  "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"suricata-verify__smtp-data-rejected__10.7.29.101_49898-178.63.41.150_25.pcap mail.plaintext":             "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"suricata-verify__smtp-data-rejected__10.7.29.101_49898-178.63.41.150_25.pcap auth.advertised_before_tls": "the pre-TLS EHLO reply advertises AUTH PLAIN/LOGIN next to STARTTLS",
	"suricata-verify__smtp-data-rejected__10.7.29.101_49898-178.63.41.150_25.pcap smtp.data_rejected":         "DATA answered with a 5xx at the evidence frames: no message followed",
	"suricata-verify__smtp-errors__smtperr.pcap smtp.overlong_line":                                           "stream 0: binary garbage lines with NUL and 8-bit bytes and lines over 512 bytes, answered '500 Command unrecognized'",
	"suricata-verify__smtp-errors__smtperr.pcap mail.plaintext":                                               "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"suricata-verify__smtp-errors__smtperr.pcap starttls.offered_not_used":                                    "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"suricata-verify__smtp-errors__smtperr.pcap auth.advertised_before_tls":                                   "the pre-TLS EHLO reply advertises AUTH PLAIN/LOGIN next to STARTTLS",
	"suricata-verify__smtp-errors__smtperr.pcap smtp.data_rejected":                                           "DATA answered with a 5xx at the evidence frames: no message followed",
	"suricata-verify__smtp-errors__smtperr.pcap port.wrong_transport":                                         "stream 3: plaintext '220 v02.kerne.org ESMTP Postfix' on port 465",
	"suricata-verify__smtp-multi-mail.pcap mail.plaintext":                                                    "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"suricata-verify__smtp-pipelining__input.pcap mail.plaintext":                                             "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"suricata-verify__smtp-pipelining__input.pcap starttls.not_offered":                                       "no EHLO reply of this server lists STARTTLS (checked in the reply lines)",
	"suricata-verify__smtp-rset-starttls__input.pcap starttls.not_offered":                                    "no EHLO reply of this server lists STARTTLS (checked in the reply lines)",
	"suricata-verify__smtp-tls-protodetect__input.pcap port.wrong_transport":                                  "frame 6: the server on 465 answers the ClientHello with a plaintext '220 poczta.home-whs.pl ESMTP'",
	"wireshark-notes__smtp-ssl.pcapng tls.certificate":                                                        "self-signed CN=mail.example.com, while the server greets as 'ubuntu'; low on port 25",
	"wireshark-notes__smtp2525-ssl.pcapng tls.certificate":                                                    "self-signed CN=mail.example.com, while the server greets as 'ubuntu'; low on port 2525 (role other)",
	"zeek__rfc3030-bdat-multipart-chunked.pcap starttls.offered_not_used":                                     "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"zeek__rfc3030-bdat-multipart-chunked.pcap mail.plaintext":                                                "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp-attachment-msg.pcap mail.plaintext":                                                           "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp-bdat-cmd-invalid.pcapng starttls.offered_not_used":                                            "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"zeek__smtp-bdat-cmd-invalid.pcapng mail.plaintext":                                                       "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp-bdat-gap.pcap mail.plaintext":                                                                 "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp-bdat-gap.pcap starttls.not_offered":                                                           "no EHLO reply of this server lists STARTTLS (checked in the reply lines)",
	"zeek__smtp-bdat-gap.pcap capture.gap":                                                                    "1000 client bytes inside the BDAT chunk were not captured (frame 25: previous segment not captured)",
	"zeek__smtp-bdat-pipeline-8bitmime.pcap starttls.offered_not_used":                                        "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"zeek__smtp-bdat-pipeline-8bitmime.pcap mail.plaintext":                                                   "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp-mail-transactions-invalid.pcap starttls.offered_not_used":                                     "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"zeek__smtp-mail-transactions-invalid.pcap mail.plaintext":                                                "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp-mail-transactions-invalid.pcap smtp.data_rejected":                                            "DATA answered with a 5xx at the evidence frames: no message followed",
	"zeek__smtp-one-side-only.pcap mail.plaintext":                                                            "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp-starttls.pcap tls.certificate":                                                                "leaf CN=mx.google.com signed with SHA1-RSA; medium on port 25",
	"zeek__smtp.pcap starttls.offered_not_used":                                                               "the EHLO reply at the first evidence frame lists STARTTLS; the client went on with MAIL (and AUTH where listed) in clear",
	"zeek__smtp.pcap auth.plaintext":                                                                          "stream 0: AUTH LOGIN in clear, user gurpartap@patriots.in, accepted (235)",
	"zeek__smtp.pcap mail.plaintext":                                                                          "MAIL FROM/RCPT TO/DATA at the evidence frames are sent without TLS: no STARTTLS preceded them in this session (checked in the ladder)",
	"zeek__smtp.pcap auth.advertised_before_tls":                                                              "the pre-TLS EHLO reply advertises AUTH PLAIN/LOGIN next to STARTTLS",
	"zeek__smtp.pcap starttls.not_offered":                                                                    "no EHLO reply of this server lists STARTTLS (checked in the reply lines)",
}

// TestCorpusFindings runs the findings over every public corpus capture and
// compares them with testdata/corpus-findings.golden (-update rewrites it);
// every (capture, code) pair needs a reason in corpusFindingReasons.
func TestCorpusFindings(t *testing.T) {
	dir := corpusDir(t)
	if dir == "" {
		t.Skip("../shared/corpus/public is absent: the corpus findings test needs the shared corpus beside the project")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	used := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".tshark.txt") || strings.HasSuffix(name, ".keylog") || strings.HasSuffix(name, ".md") {
			continue
		}
		var out, errOut bytes.Buffer
		if st := Main([]string{"report", "--json", path}, nil, &out, &errOut); st != exitOK {
			t.Fatalf("%s: exit %d: %s", name, st, errOut.String())
		}
		dec := json.NewDecoder(&out)
		for dec.More() {
			var s struct {
				Stream   int64             `json:"stream"`
				Findings []session.Finding `json:"findings"`
			}
			if err := dec.Decode(&s); err != nil {
				t.Fatal(err)
			}
			for _, f := range s.Findings {
				key := name + " " + f.Code
				used[key] = true
				if corpusFindingReasons[key] == "" {
					t.Errorf("%s stream %d: %s %s %v %q has no reason in corpusFindingReasons: check it by hand",
						name, s.Stream, f.Severity, f.Code, f.Frames, f.Summary)
				}
				lines = append(lines, fmt.Sprintf("%s #%d %s %s %v", name, s.Stream, f.Severity, f.Code, f.Frames))
			}
		}
	}
	for key := range corpusFindingReasons {
		if !used[key] {
			t.Errorf("corpusFindingReasons[%q] is no longer used: remove it", key)
		}
	}
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join("testdata", "corpus-findings.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./cmd -run CorpusFindings -update)", err)
	}
	if got != string(want) {
		t.Errorf("corpus findings differ from %s:\n%s", golden, firstDiff(got, string(want)))
	}
}
