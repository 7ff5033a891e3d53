package main

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// expectation is what one generated capture must contain.
type expectation struct {
	file     string
	conns    int
	keys     []string // key log labels, sorted and deduplicated; nil: no key log
	holes    int      // byte ranges missing from the client streams
	reorders int      // client segments captured out of order
	retrans  int      // server segments captured twice
	c2s      []string // in the client's cleartext (all connections)
	s2c      []string // in the server's cleartext
	notC2S   []string // never in the client's cleartext
	c2sSeg   string   // one client segment carries exactly this
	s2cSeg   string   // one server segment carries exactly this
}

func expectations() []expectation {
	// RFC 8446, Section 7.1 secrets as the NSS key log names them.
	tls13Labels := []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
		"SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0"}
	return append([]expectation{{
		file: "plain25.pcap", conns: 1,
		c2s: []string{"EHLO client.example.org\r\n", "RCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\nDATA\r\n",
			"\r\n..this line starts with a dot", "\r\n.\r\nQUIT\r\n", "Message-ID: <", "Date: Thu, 15 Jan 2026"},
		s2c: []string{"220 mx.example.net ESMTP", "250-SIZE 10240000\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n",
			"354 ", "221 2.0.0 Bye\r\n"},
		notC2S: []string{"STARTTLS", "AUTH"},
	}, {
		file: "starttls587-tls13.pcap", conns: 1, keys: tls13Labels,
		c2s:    []string{"EHLO client.example.org\r\nSTARTTLS\r\n\x16\x03\x01"},
		s2c:    []string{"250 STARTTLS\r\n220 2.0.0 Ready to start TLS\r\n\x16\x03\x03"},
		notC2S: []string{"AUTH", "MAIL FROM"},
	}, {
		file: "starttls587-tls12.pcap", conns: 1, keys: []string{"CLIENT_RANDOM"},
		c2s:    []string{"STARTTLS\r\n\x16\x03\x01"},
		s2c:    []string{"220 2.0.0 Ready to start TLS\r\n\x16\x03\x03"},
		notC2S: []string{"AUTH", "MAIL FROM"},
	}, {
		file: "smtps465-tls13-ipv6.pcap", conns: 1, keys: tls13Labels,
		notC2S: []string{"EHLO", "AUTH"},
	}, {
		file: "pipelining25.pcap", conns: 1,
		c2sSeg: "MAIL FROM:<alice@example.net> BODY=8BITMIME\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<nobody@example.com>\r\nDATA\r\n",
		s2cSeg: "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table\r\n354 End data with <CR><LF>.<CR><LF>\r\n",
	}, {
		file: "chunking25.pcap", conns: 1,
		c2s:    []string{"RCPT TO:<bob@example.com>\r\nBDAT 190\r\nFrom: Alice", " LAST\r\n", "\r\n.this line starts with a dot", "QUIT\r\n"},
		s2c:    []string{"250 CHUNKING\r\n", "250 2.0.0 Ok: 190 octets received\r\n"},
		notC2S: []string{"DATA\r\n", "\r\n..this"},
		c2sSeg: "BDAT 190\r\n",
	}, {
		file: "rejected-data25.pcap", conns: 1,
		c2s:    []string{"RCPT TO:<nobody@example.com>\r\nDATA\r\nRSET\r\nQUIT\r\n"},
		s2c:    []string{"550 5.1.1 ", "554 5.5.1 Error: no valid recipients\r\n250 2.0.0 Ok\r\n221 "},
		notC2S: []string{"From:"},
	}, {
		file: "gap25.pcap", conns: 1, holes: 1,
		c2s: []string{"DATA\r\n", "\r\n.\r\nQUIT\r\n"},
	}, {
		file: "out-of-order25.pcap", conns: 1, reorders: 1, retrans: 1,
		c2s: []string{"\r\n..this line starts with a dot", "40: the quick brown fox jumps over the lazy dog, segment filler.\r\n.\r\nQUIT\r\n"},
		s2c: []string{"354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as "},
	}, {
		file: "attack-overlap25.pcap", conns: 1,
		c2s: []string{"DATA\r\n", "\r\n.\r\nQUIT\r\n"},
	}, {
		file: "demo.pcap", conns: 3, keys: []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_RANDOM", "CLIENT_TRAFFIC_SECRET_0",
			"SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0"},
		c2s: []string{"AUTH LOGIN\r\nYm9iQGV4YW1wbGUuY29t\r\naHVudGVyMg==\r\nMAIL FROM:<bob@example.com>",
			"EHLO relay.example.org\r\nSTARTTLS\r\n\x16\x03\x01"},
		s2c: []string{"250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n"},
	}}, attackExpectations()...)
}

// attackExpectations covers the hand-written attack scenarios (attacks.go).
func attackExpectations() []expectation {
	return []expectation{{
		file: "attack-stripped587.pcap", conns: 1,
		s2c:    []string{"250-XXXXXXXA\r\n250 AUTH PLAIN LOGIN\r\n"},
		c2s:    []string{"AUTH PLAIN AGFsaWNlQGV4YW1wbGUubmV0AGNvcnJlY3QgaG9yc2UgYmF0dGVyeSBzdGFwbGU=\r\n", "MAIL FROM:<alice@example.net>"},
		notC2S: []string{"STARTTLS"},
	}, {
		file: "attack-refused25.pcap", conns: 1,
		c2s: []string{"STARTTLS\r\n", "\r\n.\r\n"},
		s2c: []string{"454 4.7.0 TLS not available"},
	}, {
		file: "attack-cmdinject25.pcap", conns: 1,
		c2sSeg: "STARTTLS\r\nRSET\r\n",
		s2cSeg: "220 2.0.0 Ready to start TLS\r\n",
		c2s:    []string{"STARTTLS\r\nRSET\r\n\x16\x03\x01"},
	}, {
		file: "attack-respinject587.pcap", conns: 1,
		s2cSeg: "220 2.0.0 Ready to start TLS\r\n250 2.0.0 Ok: injected reply\r\n",
	}, {
		file: "attack-plainauth25.pcap", conns: 1,
		c2s:    []string{"AUTH PLAIN ", "DATA\r\n"},
		notC2S: []string{"STARTTLS"},
	}, {
		file: "attack-tls10-rc4-25.pcap", conns: 1,
		// RFC 5246, Section 7.4.1.3: ServerHello, version 3,1, suite 0x0005 after a 32-byte session ID.
		s2c: []string{"\x16\x03\x01\x00\x4e\x02\x00\x00\x46\x03\x01"},
		c2s: []string{"STARTTLS\r\n\x16\x03\x01"},
	}, {
		file: "attack-tlsfail-retry25.pcap", conns: 2,
		s2c: []string{"220 2.0.0 Ready to start TLS\r\n\x15\x03\x03\x00\x02\x02\x28"},
		c2s: []string{"MAIL FROM:<alice@example.net>"},
	}, {
		file: "attack-smuggling25.pcap", conns: 1,
		c2s: []string{"Hi Bob.\r\n\n.\nMAIL FROM:<ceo@example.net>\r\n", "Pay the invoice today.\r\n.\r\nQUIT\r\n"},
	}}
}

func TestGenerate(t *testing.T) {
	dir1, dir2 := t.TempDir(), t.TempDir()
	if err := generate(dir1); err != nil {
		t.Fatal(err)
	}
	if err := generate(dir2); err != nil {
		t.Fatal(err)
	}
	t.Run("deterministic", func(t *testing.T) { compareRuns(t, dir1, dir2) })
	// The embedded files must be what the generator writes today (go generate ./pcaps/).
	// Only generated files are compared: the recorded-* captures next to them
	// come from real software (README.md, "Recorded captures"), and the
	// generator must never write one.
	t.Run("committed files up to date", func(t *testing.T) { compareRuns(t, dir1, filepath.Join("..", "..")) })
	if recorded, _ := filepath.Glob(filepath.Join(dir1, "recorded-*")); len(recorded) > 0 {
		t.Errorf("the generator wrote %q, a name reserved for recorded captures", recorded)
	}
	var names []string
	for _, e := range expectations() {
		names = append(names, e.file)
		t.Run(e.file, func(t *testing.T) { checkCapture(t, dir1, e) })
	}
	got, _ := filepath.Glob(filepath.Join(dir1, "*.pcap"))
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("generated %q, want %q", got, names)
	}
}

// compareRuns checks that two runs agree on every size, time and frame:
// byte for byte where no TLS is involved.
func compareRuns(t *testing.T, dir1, dir2 string) {
	entries, err := os.ReadDir(dir1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		a, _ := os.ReadFile(filepath.Join(dir1, name))
		b, err := os.ReadFile(filepath.Join(dir2, name))
		if err != nil {
			t.Errorf("%s: in %s, not in %s", name, dir1, dir2)
			continue
		}
		_, statErr := os.Stat(filepath.Join(dir1, strings.TrimSuffix(name, ".pcap")+".keys"))
		plain := strings.HasSuffix(name, ".pcap") && statErr != nil
		switch {
		case name == "README.md" || plain:
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between %s and %s", name, dir1, dir2)
			}
		case strings.HasSuffix(name, ".keys"):
			if la, lb := keyLabels(string(a)), keyLabels(string(b)); !slices.Equal(la, lb) {
				t.Errorf("%s: labels %q in %s, %q in %s", name, la, dir1, lb, dir2)
			}
		default:
			fa, fb := readCapture(t, filepath.Join(dir1, name)), readCapture(t, filepath.Join(dir2, name))
			if len(fa) != len(fb) || len(a) != len(b) {
				t.Errorf("%s: %d frames (%d bytes), then %d frames (%d bytes)", name, len(fa), len(a), len(fb), len(b))
				continue
			}
			for i := range fa {
				if len(fa[i].data) != len(fb[i].data) || !fa[i].t.Equal(fb[i].t) || fa[i].flow != fb[i].flow {
					t.Errorf("%s frame %d: %d bytes at %v %s, then %d bytes at %v %s", name, i+1,
						len(fa[i].data), fa[i].t, fa[i].flow, len(fb[i].data), fb[i].t, fb[i].flow)
				}
			}
		}
	}
}

// keyLabels returns the label of every key log line, in order.
func keyLabels(log string) []string {
	var out []string
	for line := range strings.Lines(log) {
		label, _, _ := strings.Cut(line, " ")
		out = append(out, label)
	}
	return out
}

func checkCapture(t *testing.T, dir string, e expectation) {
	path := filepath.Join(dir, e.file)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if limit := maxScenario; info.Size() > int64(limit) && (e.file != "demo.pcap" || info.Size() > maxDemo) {
		t.Errorf("%s is %d bytes, over the limit", e.file, info.Size())
	}
	frames := readCapture(t, path)
	checkTCP(t, frames, e.conns)
	streams := reassemble(frames)
	var c2sText, s2cText bytes.Buffer
	var holes, reorders, retrans int
	var randoms []string
	for flow, s := range streams {
		serverSide := strings.Contains(strings.SplitN(flow, ">", 2)[0], ":25") ||
			strings.Contains(strings.SplitN(flow, ">", 2)[0], ":587") || strings.Contains(strings.SplitN(flow, ">", 2)[0], ":465")
		if serverSide {
			s2cText.Write(s.data)
			s2cText.WriteString("\n--\n")
			retrans += s.retrans
			continue
		}
		c2sText.Write(s.data)
		c2sText.WriteString("\n--\n")
		holes += s.holes
		reorders += s.reorders
		if i := bytes.Index(s.data, []byte{0x16, 0x03, 0x01}); i >= 0 && len(s.data) >= i+43 && s.data[i+5] == 1 {
			// RFC 8446, Section 4.1.2: record header (5), handshake header (4), legacy_version (2), random (32).
			randoms = append(randoms, hex.EncodeToString(s.data[i+11:i+43]))
		}
	}
	if holes != e.holes || reorders != e.reorders || retrans != e.retrans {
		t.Errorf("holes %d, reorders %d, retransmissions %d; want %d, %d, %d", holes, reorders, retrans, e.holes, e.reorders, e.retrans)
	}
	for _, s := range e.c2s {
		if !bytes.Contains(c2sText.Bytes(), []byte(s)) {
			t.Errorf("client bytes lack %q", s)
		}
	}
	for _, s := range e.s2c {
		if !bytes.Contains(s2cText.Bytes(), []byte(s)) {
			t.Errorf("server bytes lack %q", s)
		}
	}
	for _, s := range e.notC2S {
		if bytes.Contains(c2sText.Bytes(), []byte(s)) {
			t.Errorf("client bytes show %q in clear", s)
		}
	}
	checkSegments(t, frames, e)
	checkKeys(t, strings.TrimSuffix(path, ".pcap")+".keys", e.keys, randoms)
}

// checkSegments finds the single segments the expectation names.
func checkSegments(t *testing.T, frames []captured, e expectation) {
	for _, want := range []string{e.c2sSeg, e.s2cSeg} {
		if want == "" {
			continue
		}
		if !slices.ContainsFunc(frames, func(f captured) bool { return string(f.payload) == want }) {
			t.Errorf("no segment carries exactly %q", want)
		}
	}
}

// checkKeys checks the key log's labels and that every line belongs to a
// ClientHello of the capture.
func checkKeys(t *testing.T, path string, labels, randoms []string) {
	raw, err := os.ReadFile(path)
	if labels == nil {
		if err == nil {
			t.Errorf("%s exists for a capture without TLS", path)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	got := keyLabels(string(raw))
	slices.Sort(got)
	if got = slices.Compact(got); !slices.Equal(got, labels) {
		t.Errorf("key log labels %q, want %q", got, labels)
	}
	for line := range strings.Lines(string(raw)) {
		f := strings.Fields(line)
		if len(f) != 3 || !slices.Contains(randoms, f[1]) {
			t.Errorf("key log line %q matches no ClientHello random in %q", line, randoms)
		}
	}
}

// checkTCP checks each connection's handshake and teardown, time order,
// and that no ACK covers bytes never sent.
func checkTCP(t *testing.T, frames []captured, conns int) {
	byConn := map[string][]captured{}
	var order []string
	for i, f := range frames {
		if i > 0 && f.t.Before(frames[i-1].t) {
			t.Errorf("frame %d goes back in time", f.n)
		}
		if byConn[f.conn] == nil {
			order = append(order, f.conn)
		}
		byConn[f.conn] = append(byConn[f.conn], f)
	}
	if len(order) != conns {
		t.Errorf("%d connections, want %d", len(order), conns)
	}
	for _, c := range order {
		fs := byConn[c]
		syn, synAck, ack := fs[0].tcp, fs[1].tcp, fs[2].tcp
		// RFC 9293, Section 3.5: SYN, SYN-ACK, ACK.
		if !syn.SYN || syn.ACK || !fs[0].mssOpt || !synAck.SYN || !synAck.ACK || !fs[1].mssOpt ||
			synAck.Ack != syn.Seq+1 || ack.SYN || !ack.ACK || ack.Ack != synAck.Seq+1 || len(fs[2].payload) != 0 {
			t.Errorf("%s: frames %d-%d are not a three-way handshake with MSS", c, fs[0].n, fs[2].n)
		}
		sent := map[string]uint32{} // highest sequence number sent per flow, including FIN
		for _, f := range fs {
			end := f.tcp.Seq + uint32(len(f.payload))
			if f.tcp.SYN || f.tcp.FIN {
				end++
			}
			if int32(end-sent[f.flow]) > 0 || sent[f.flow] == 0 {
				sent[f.flow] = end
			}
		}
		fins := 0
		for _, f := range fs {
			if f.tcp.FIN {
				fins++
			}
			rev := reverseFlow(f.flow)
			if f.tcp.ACK && int32(f.tcp.Ack-sent[rev]) > 0 {
				t.Errorf("%s frame %d acknowledges %d, beyond the peer's %d", c, f.n, f.tcp.Ack, sent[rev])
			}
		}
		last := fs[len(fs)-1]
		if fins != 2 || last.tcp.FIN || len(last.payload) != 0 {
			t.Errorf("%s: %d FINs, last frame %d FIN=%v len %d; want a FIN each way and a final ACK", c, fins, last.n, last.tcp.FIN, len(last.payload))
		}
	}
}

// reverseFlow turns "a>b" into "b>a".
func reverseFlow(flow string) string {
	a, b, _ := strings.Cut(flow, ">")
	return b + ">" + a
}
