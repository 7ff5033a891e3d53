package cmd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/zeek"
)

// zeekWant is what Zeek's own logs say of one of its test traces: the
// baselines in zeek/zeek's testing/btest/Baseline (scripts.base.protocols.
// smtp.*), commit a13de64fbbdb of the corpus. Sets are compared as sets;
// "" is unset. Fields that depend on Zeek's quirks rather than on the
// traffic are left out and named in the comments.
type zeekTxn struct {
	helo, mailfrom string
	rcptto         []string
	date, from     string
	to, cc         []string
	msgID, inReply string
	subject        string
	lastReply      string
	path           []string
	userAgent      string
	tls            string
	nFuids         int
}

type zeekFile struct {
	depth    string
	mimeType string // Content-Type (Zeek sniffs content; it agrees on these)
	filename string
	sha1     string
}

// TestZeekConformance runs report --zeek on the public corpus's Zeek traces
// and compares smtp.log, files.log, ssl.log and x509.log with Zeek's.
func TestZeekConformance(t *testing.T) {
	corpus := filepath.Join("..", "..", "shared", "corpus", "public")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("no public corpus at %s: %v", corpus, err)
	}
	cases := []struct {
		file    string
		txns    []zeekTxn
		files   []zeekFile
		noFiles bool // Zeek's files.log has none (nil files alone: not compared)
	}{
		{
			// scripts.base.protocols.smtp.basic (its smtp.trace holds the
			// same two sessions as the corpus's smtp.pcap; that baseline has
			// no files.log, so only the number of fuids is compared).
			file: "zeek__smtp.pcap",
			txns: []zeekTxn{{
				helo: "GP", mailfrom: "gurpartap@patriots.in", rcptto: []string{"raj_deol2002in@yahoo.co.in"},
				date: "Mon, 5 Oct 2009 11:36:07 +0530", from: `"Gurpartap Singh" <gurpartap@patriots.in>`,
				to: []string{"<raj_deol2002in@yahoo.co.in>"}, msgID: "<000301ca4581$ef9e57f0$cedb07d0$@in>", subject: "SMTP",
				lastReply: "250 OK id=1Mugho-0003Dg-Un", path: []string{"74.53.140.153", "10.10.1.4"},
				userAgent: "Microsoft Office Outlook 12.0", tls: "F", nFuids: 3,
			}, {
				helo: "[192.168.133.100]", mailfrom: "albert@example.com",
				rcptto: []string{"felica4uu@hotmail.com", "ericlim220@yahoo.com", "davis_mark1@outlook.com"},
				date:   "Sat, 25 Jul 2015 16:43:07 +0300", from: "Albert Zaharovits <albert@example.com>",
				to: []string{"ericlim220@yahoo.com"}, cc: []string{"felica4uu@hotmail.com", "davis_mark1@outlook.com"},
				msgID: "<A6202DF2-8E58-4E41-BE0B-C8D3989A4AEE@example.com>", inReply: "<9ACEE03C-AB98-4046-AEC1-BF4910C61E96@example.com>",
				subject: "Re: Bro SMTP CC Header", lastReply: "250 Ok", path: []string{"192.168.133.102", "192.168.133.100"},
				userAgent: "Apple Mail (2.2102)", tls: "F", nFuids: 1,
			}},
		},
		{
			// scripts.base.protocols.smtp.bdat-pipeline-8bitmime. Zeek logs
			// the second message with trans_depth 1 and last_reply "221 ..."
			// (its pipelined BDAT bookkeeping); smtpscope says 2 and the
			// 250 that accepted it, so depth and the second last_reply are
			// not compared. mime_type of the second file: Zeek sniffs
			// text/x-diff, the header says text/plain.
			file: "zeek__smtp-bdat-pipeline-8bitmime.pcap",
			txns: []zeekTxn{{
				helo: "vger.kernel.org", mailfrom: "linux-kernel-owner@vger.kernel.org",
				rcptto: []string{"trafficwatcher@foundit.scootmail.com"}, date: "Thu, 4 Mar 2021 11:38:56 +0200",
				from: "Andy Shevchenko <andy.shevchenko@gmail.com>", to: []string{"Andrew Morton <akpm@linux-foundation.org>"},
				cc: []string{"Lukasz Luba <lukasz.luba@arm.com>", "open list <linux-kernel@vger.kernel.org>",
					"Daniel Lezcano <daniel.lezcano@linaro.org>", `"rafael@kernel.org" <rafael@kernel.org>`,
					"Andy Shevchenko <andriy.shevchenko@linux.intel.com>"},
				msgID:   "<CAHp75Vd5u1jHKPALfBTTqEoXf-4OAdLhsn3A-fzPw3Me=7hhMA@mail.gmail.com>",
				inReply: "<20210303163125.dcc0a086a939a58ed30750e8@linux-foundation.org>",
				subject: "Re: [PATCH 1/2] units: Add the HZ_PER_KHZ macro", lastReply: "250 OK id=1lHkUh-008hPw-NY",
				path: []string{"217.146.107.83", "23.128.96.18", "23.128.96.19"}, tls: "F", nFuids: 1,
			}, {
				helo: "vger.kernel.org", mailfrom: "linux-kernel-owner@vger.kernel.org",
				rcptto: []string{"trafficwatcher@foundit.scootmail.com"}, date: "Thu,  4 Mar 2021 10:38:07 +0100",
				from: "Alejandro Colomar <alx.manpages@gmail.com>",
				to: []string{"Amir Goldstein <amir73il@gmail.com>", "Luis Henriques <lhenriques@suse.de>", "linux-man@vger.kernel.org",
					"Steve French <sfrench@samba.org>", "Michael Kerrisk <mtk.manpages@gmail.com>"},
				cc: []string{"samba-technical <samba-technical@lists.samba.org>", "Anna Schumaker <anna.schumaker@netapp.com>",
					"Linux NFS Mailing List <linux-nfs@vger.kernel.org>", "linux-fsdevel <linux-fsdevel@vger.kernel.org>",
					"Alexander Viro <viro@zeniv.linux.org.uk>", "Trond Myklebust <trond.myklebust@hammerspace.com>",
					"Andreas Dilger <adilger@dilger.ca>", "Luis Lozano <llozano@chromium.org>", "Ian Lance Taylor <iant@google.com>",
					"Olga Kornievskaia <aglo@umich.edu>", "Miklos Szeredi <miklos@szeredi.hu>", "linux-kernel <linux-kernel@vger.kernel.org>",
					"Alejandro Colomar <alx.manpages@gmail.com>", "Walter Harms <wharms@bfs.de>", "Christoph Hellwig <hch@infradead.org>",
					"Nicolas Boichat <drinkcat@chromium.org>", "ceph-devel <ceph-devel@vger.kernel.org>",
					`"Darrick J. Wong" <darrick.wong@oracle.com>`, "Jeff Layton <jlayton@kernel.org>", "Greg KH <gregkh@linuxfoundation.org>",
					"Dave Chinner <dchinner@redhat.com>", "CIFS <linux-cifs@vger.kernel.org>"},
				msgID: "<20210304093806.10589-1-alx.manpages@gmail.com>", inReply: "<20210224142307.7284-1-lhenriques@suse.de>",
				subject:   "[RFC v4] copy_file_range.2: Update cross-filesystem support for 5.12",
				path:      []string{"217.146.107.83", "23.128.96.18", "23.128.96.19", "170.253.51.130"},
				userAgent: "git-send-email 2.30.1.721.g45526154a5", tls: "F", nFuids: 1,
			}},
			files: []zeekFile{{depth: "1", mimeType: "text/plain"}, {depth: "2"}},
		},
		{
			// scripts.base.protocols.smtp.bdat-multipart-chunked
			file: "zeek__rfc3030-bdat-multipart-chunked.pcap",
			txns: []zeekTxn{{
				helo: "localhost", mailfrom: "zeek@localhost", rcptto: []string{"root@localhost"},
				date: "Tue, 12 Dec 2023 17:37:16 +0100", from: "Arne Welzel <arne.welzel@corelight.com>",
				to:    []string{"Arne Welzel <arne.welzel@corelight.com>"},
				msgID: "<CADsmdyWKpbe9NVsh29VkbMCRZRfXUUXH+316vKFgDGHtJxwoAw@mail.gmail.com>", subject: "Zeek Logo",
				lastReply: "250 2.0.0 Ok: 3462 bytes queued as E4F471CA025", path: []string{"127.0.0.1", "127.0.0.1"},
				tls: "F", nFuids: 2,
			}},
			files: []zeekFile{
				{depth: "2", mimeType: "text/plain", sha1: "5cd7c323275d114627acbae92abc666d4335c8bb"},
				{depth: "3", mimeType: "image/png", filename: "zeek-logo.png", sha1: "e9a752f145e10688ab485277a723ecbcfb5c8a63"},
			},
		},
		{
			// scripts.base.protocols.smtp.one-side (no server packets: no
			// replies, so no last_reply; the bodies are empty: no files).
			file:    "zeek__smtp-one-side-only.pcap",
			noFiles: true,
			txns: []zeekTxn{
				{helo: "enzo.icir.org", mailfrom: "robin@icir.org", rcptto: []string{"robin@icir.org"}, from: "robin@icir.org",
					to: []string{"robin@icir.org"}, subject: "Hello1!", path: []string{"192.150.186.11", "192.150.187.22"}, tls: "F"},
				{helo: "enzo.icir.org", mailfrom: "robin@icir.org", rcptto: []string{"rsommer@lbl.gov"}, from: "robin@icir.org",
					to: []string{"rsommer@lbl.gov"}, subject: "Hello2!", path: []string{"192.150.186.11", "192.150.187.22"}, tls: "F"},
			},
		},
		{
			// scripts.base.protocols.smtp.mail-transactions-invalid
			file:    "zeek__smtp-mail-transactions-invalid.pcap",
			noFiles: true,
			txns: []zeekTxn{
				{helo: "Bob-PC", mailfrom: "bob@example.org", rcptto: []string{"alice@example.org"}, lastReply: "250 OK id=1pgobK-001mwq-ED",
					path: []string{"127.0.0.1", "127.0.0.1"}, tls: "F"},
				{helo: "Bob-PC", rcptto: []string{"alice@example.org"}, lastReply: "500 unrecognized command",
					path: []string{"127.0.0.1", "127.0.0.1"}, tls: "F"},
				{helo: "Bob-PC", mailfrom: "bob@example.org", lastReply: "500 unrecognized command",
					path: []string{"127.0.0.1", "127.0.0.1"}, tls: "F"},
				{helo: "Bob-PC", mailfrom: "bob@example.org", rcptto: []string{"alice@example.org"}, lastReply: "250 OK id=1pgobM-001mwq-Vc",
					path: []string{"127.0.0.1", "127.0.0.1"}, tls: "F"},
			},
		},
		{
			// scripts.base.protocols.smtp.bdat-cmd-invalid: three
			// connections, each one record.
			file: "zeek__smtp-bdat-cmd-invalid.pcapng",
			txns: []zeekTxn{
				{helo: "localhost", mailfrom: "zeek@localhost", rcptto: []string{"root@localhost"},
					lastReply: "521 5.5.4 Syntax: BDAT count [LAST]", path: []string{"127.0.0.1", "127.0.0.1"}, tls: "F"},
				{helo: "localhost", mailfrom: "zeek@localhost", rcptto: []string{"root@localhost"},
					lastReply: "521 5.5.4 Syntax: BDAT count [LAST]", path: []string{"127.0.0.1", "127.0.0.1"}, tls: "F"},
				{helo: "localhost", mailfrom: "zeek@localhost", rcptto: []string{"root@localhost"},
					lastReply: "521 5.5.4 Syntax: BDAT count [LAST]", path: []string{"127.0.0.1", "127.0.0.1"}, tls: "F"},
			},
		},
		{
			// scripts.base.protocols.smtp.starttls
			file: "zeek__smtp-starttls.pcap",
			txns: []zeekTxn{{helo: "openssl.client.net", lastReply: "220 2.0.0 Ready to start TLS",
				path: []string{"74.125.142.26", "192.168.4.149"}, tls: "T"}},
		},
		{
			// scripts.base.protocols.smtp.bdat-gap: a BDAT chunk with a
			// gap, then the message again by DATA. Zeek keeps one record for
			// both, so the DATA message is its second MIME entity and its
			// headers are not logged (entity_count > 1); smtpscope logs
			// them (header fields not compared). Zeek's first file is the
			// BDAT part (1000 bytes missing, no hash); the second, the DATA
			// message, has the hash smtpscope's one part has.
			file: "zeek__smtp-bdat-gap.pcap",
			txns: []zeekTxn{{helo: "sender.example.com", mailfrom: "sender@example.com", rcptto: []string{"recipient@example.com"},
				lastReply: "250 OK: message queued", path: []string{"10.0.0.2", "10.0.0.1"}, tls: "F", nFuids: -1}},
			files: []zeekFile{{sha1: "07b5c067ebd5b1d9473a8b4cdec43ee837778c40"}},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			dir := zeekLogs(t, filepath.Join(corpus, c.file))
			smtp := readLog(t, dir, "smtp")
			if len(smtp.Rows) != len(c.txns) {
				t.Fatalf("smtp.log has %d records, Zeek's %d", len(smtp.Rows), len(c.txns))
			}
			for i, w := range c.txns {
				row := smtp.Rows[i]
				check := func(field string, want []string, asSet bool) {
					got, ok, err := smtp.Value(row, field)
					if err != nil {
						t.Errorf("record %d %s: %v", i, field, err)
					}
					if !ok {
						got = nil
					}
					if asSet {
						got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
					}
					if !slices.Equal(got, want) {
						t.Errorf("record %d %s = %q, Zeek's %q", i, field, got, want)
					}
				}
				one := func(s string) []string {
					if s == "" {
						return nil
					}
					return []string{s}
				}
				check("helo", one(w.helo), false)
				check("mailfrom", one(w.mailfrom), false)
				check("rcptto", w.rcptto, true)
				if c.file != "zeek__smtp-bdat-gap.pcap" {
					check("date", one(w.date), false)
					check("from", one(w.from), false)
					check("to", w.to, true)
					check("cc", w.cc, true)
					check("msg_id", one(w.msgID), false)
					check("in_reply_to", one(w.inReply), false)
					check("subject", one(w.subject), false)
				}
				if !(c.file == "zeek__smtp-bdat-pipeline-8bitmime.pcap" && i == 1) {
					check("last_reply", one(w.lastReply), false)
				}
				check("path", w.path, false)
				check("user_agent", one(w.userAgent), false)
				check("tls", one(w.tls), false)
				if w.nFuids >= 0 {
					fu, _, _ := smtp.Value(row, "fuids")
					if len(fu) != w.nFuids {
						t.Errorf("record %d: %d fuids, Zeek's %d", i, len(fu), w.nFuids)
					}
				}
			}
			if c.noFiles {
				if _, err := os.Stat(filepath.Join(dir, "files.log")); err == nil {
					t.Errorf("files.log written; Zeek's has no files")
				}
				return
			}
			if c.files == nil {
				return
			}
			files := readLog(t, dir, "files")
			if len(files.Rows) != len(c.files) {
				t.Fatalf("files.log has %d records, Zeek's %d", len(files.Rows), len(c.files))
			}
			fuids := map[string]bool{}
			for _, r := range smtp.Rows {
				v, _, _ := smtp.Value(r, "fuids")
				for _, f := range v {
					fuids[f] = true
				}
			}
			for i, w := range c.files {
				got := files.Cut("depth", "mime_type", "filename", "sha1", "fuid", "source")[i]
				for j, want := range []string{w.depth, w.mimeType, w.filename, w.sha1} {
					if want == "" && j != 2 {
						continue
					}
					if want == "" {
						want = "-"
					}
					if got[j] != want {
						t.Errorf("file %d %s = %q, Zeek's %q", i, []string{"depth", "mime_type", "filename", "sha1"}[j], got[j], want)
					}
				}
				if !fuids[got[4]] || got[5] != "SMTP" {
					t.Errorf("file %d: fuid %s (source %s) is not in smtp.log's fuids", i, got[4], got[5])
				}
			}
		})
	}

	// scripts.base.protocols.smtp.starttls: ssl.log and x509.log.
	t.Run("zeek__smtp-starttls.pcap/ssl+x509", func(t *testing.T) {
		dir := zeekLogs(t, filepath.Join(corpus, "zeek__smtp-starttls.pcap"))
		ssl := readLog(t, dir, "ssl")
		got := ssl.Cut("version", "cipher", "resumed", "established")
		if len(got) != 1 || strings.Join(got[0], " ") != "TLSv12 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 F T" {
			t.Errorf("ssl.log: %q", got)
		}
		x := readLog(t, dir, "x509")
		want := [][]string{
			{"3", "325D8297987D50B0", "CN=mx.google.com,O=Google Inc,L=Mountain View,ST=California,C=US",
				"CN=Google Internet Authority G2,O=Google Inc,C=US", "1378726355.000000", "1410262355.000000",
				"rsaEncryption", "sha1WithRSAEncryption", "rsa", "2048", "65537", "F", "-"},
			{"3", "023A69", "CN=Google Internet Authority G2,O=Google Inc,C=US", "CN=GeoTrust Global CA,O=GeoTrust Inc.,C=US",
				"1365174955.000000", "1428160555.000000", "rsaEncryption", "sha1WithRSAEncryption", "rsa", "2048", "65537", "T", "0"},
			{"3", "12BBE6", "CN=GeoTrust Global CA,O=GeoTrust Inc.,C=US", "OU=Equifax Secure Certificate Authority,O=Equifax,C=US",
				"1021953600.000000", "1534824000.000000", "rsaEncryption", "sha1WithRSAEncryption", "rsa", "2048", "65537", "T", "-"},
		}
		gotX := x.Cut("certificate.version", "certificate.serial", "certificate.subject", "certificate.issuer",
			"certificate.not_valid_before", "certificate.not_valid_after", "certificate.key_alg", "certificate.sig_alg",
			"certificate.key_type", "certificate.key_length", "certificate.exponent", "basic_constraints.ca",
			"basic_constraints.path_len")
		if !slices.EqualFunc(gotX, want, slices.Equal[[]string]) {
			t.Errorf("x509.log:\n got %q\nwant %q", gotX, want)
		}
		dns, _, _ := x.Value(x.Rows[0], "san.dns")
		if len(dns) != 20 || dns[0] != "aspmx.l.google.com" || dns[15] != "mx.google.com" {
			t.Errorf("san.dns = %q", dns)
		}
	})
}

func readLog(t *testing.T, dir, path string) *zeek.Table {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, path+".log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := zeek.ReadTSV(f)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}
