package tlsdecrypt

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/flow"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// tcpConn is the ordered data of one TCP connection of a capture.
type tcpConn struct {
	chunks []chunk
	frames []int64
}

func (c *tcpConn) TCP(flow.Event) {}
func (c *tcpConn) Data(dir wire.Dir, data []byte, pos wire.Pos) {
	c.chunks = append(c.chunks, chunk{dir: dir, data: bytes.Clone(data)})
	c.frames = append(c.frames, pos.Frame)
}
func (c *tcpConn) Close(wire.Pos) {}

type collector struct{ conns []*tcpConn }

func (h *collector) Open(*flow.Conn) flow.Consumer {
	c := &tcpConn{}
	h.conns = append(h.conns, c)
	return c
}

// readCapture reassembles every TCP connection of a capture file, and
// returns them with the capture's pcapng Decryption Secrets.
func readCapture(t *testing.T, path string) ([]*tcpConn, [][]byte) {
	t.Helper()
	f, err := capture.Open(path, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := &collector{}
	tr := flow.NewTracker(flow.Options{}, h)
	d := capture.NewDecoder(capture.DecoderOptions{})
	for {
		fr, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if seg, ok := d.Decode(fr); ok {
			tr.Packet(seg.Net, seg.TCP, wire.Pos{Frame: fr.Number, Time: fr.Time})
		}
	}
	tr.Flush()
	return h.conns, f.Secrets()
}

// tlsStart returns the offset of the first TLS handshake record header
// (22, 3, x) in a direction's bytes: 0 for implicit TLS, after the 220 to
// STARTTLS otherwise (SMTP text never holds the byte 0x16).
func tlsStart(b []byte) int {
	for i := 0; i+2 < len(b); i++ {
		if b[i] == tlsrec.TypeHandshake && b[i+1] == 3 && b[i+2] <= 4 {
			return i
		}
	}
	return -1
}

// decryptTCP feeds the TLS part of a TCP connection to a Conn.
func decryptTCP(keys *KeyLog, c *tcpConn) result {
	f := newFeeder(keys)
	var started [2]bool
	for i, ch := range c.chunks {
		data := ch.data
		if !started[ch.dir] {
			at := tlsStart(data)
			if at < 0 {
				continue
			}
			started[ch.dir] = true
			data = data[at:]
		}
		f.parsers[ch.dir].Feed(data, wire.Pos{Frame: c.frames[i]})
	}
	return f.close()
}

func TestSampleCaptures(t *testing.T) {
	tests := []struct {
		file  string
		conns int      // TLS connections expected to decrypt
		want  []string // in the client's plaintext of each
		reply []string // in the server's
	}{
		{"starttls587-tls13", 1, []string{"EHLO ", "AUTH PLAIN ", "MAIL FROM:", "RCPT TO:", "DATA\r\n", "QUIT\r\n"}, []string{"235 ", "354 ", "221 "}},
		{"starttls587-tls12", 1, []string{"EHLO ", "AUTH LOGIN", "MAIL FROM:", "QUIT\r\n"}, []string{"334 ", "235 ", "221 "}},
		{"smtps465-tls13-ipv6", 1, []string{"EHLO ", "AUTH PLAIN ", "MAIL FROM:", "QUIT\r\n"}, []string{"220 ", "235 ", "221 "}},
		{"demo", 2, []string{"EHLO ", "MAIL FROM:", "QUIT\r\n"}, []string{"250", "221 "}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			dir := filepath.Join("..", "..", "pcaps")
			kl, err := os.ReadFile(filepath.Join(dir, tt.file+".keys"))
			if err != nil {
				t.Fatal(err)
			}
			keys := mustKeyLog(t, kl)
			conns, _ := readCapture(t, filepath.Join(dir, tt.file+".pcap"))
			n := 0
			for _, c := range conns {
				res := decryptTCP(keys, c)
				if res.status.Version == 0 {
					continue // no TLS
				}
				n++
				if !res.status.Decrypting || res.status.Failed != 0 {
					t.Errorf("status %+v", res.status)
				}
				for _, w := range tt.want {
					if !bytes.Contains(res.app[wire.ClientToServer], []byte(w)) {
						t.Errorf("client plaintext lacks %q:\n%s", w, res.app[wire.ClientToServer])
					}
				}
				for _, w := range tt.reply {
					if !bytes.Contains(res.app[wire.ServerToClient], []byte(w)) {
						t.Errorf("server plaintext lacks %q:\n%s", w, res.app[wire.ServerToClient])
					}
				}
			}
			if n != tt.conns {
				t.Errorf("%d TLS connections, want %d", n, tt.conns)
			}
		})
	}
}

// TestPublicCorpus decrypts wireshark-notes' smtp-ssl capture with its key
// log; its .tshark.txt lists what tshark decrypts: EHLO lekensteyn, MAIL
// FROM, 250 OK and 421 lost input connection.
func TestPublicCorpus(t *testing.T) {
	tests := []struct {
		file         string
		client, serv []string
	}{
		{"wireshark-notes__smtp-ssl.pcapng", []string{"EHLO lekensteyn\n", "MAIL FROM: <peter@lekensteyn.nl>\n"}, []string{"250-ubuntu Hello", "250 OK\r\n", "421 ubuntu lost input connection"}},
		{"wireshark-notes__smtp2525-ssl.pcapng", []string{"EHLO"}, []string{"250"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := ""
			for _, dir := range []string{"/work/shared/corpus/public", filepath.Join("..", "..", "pcaps")} {
				if _, err := os.Stat(filepath.Join(dir, tt.file)); err == nil {
					path = filepath.Join(dir, tt.file)
					break
				}
			}
			if path == "" {
				t.Skip("corpus file absent")
			}
			kl, err := os.ReadFile(path + ".keylog")
			if err != nil {
				t.Skip("key log absent")
			}
			keys := mustKeyLog(t, kl)
			conns, secrets := readCapture(t, path)
			for _, s := range secrets {
				keys.AddDSB(s)
			}
			decrypted := 0
			for _, c := range conns {
				res := decryptTCP(keys, c)
				if res.status.Version == 0 {
					continue
				}
				t.Logf("%s: version %04x suite %04x, %d records decrypted, client %q", tt.file, res.status.Version, res.status.Suite, res.status.Decrypted, firstLine(res.app[0]))
				if res.status.Failed != 0 || res.status.Decrypted == 0 {
					t.Errorf("status %+v", res.status)
				}
				for _, w := range tt.client {
					if !bytes.Contains(res.app[wire.ClientToServer], []byte(w)) {
						t.Errorf("client plaintext lacks %q:\n%s", w, res.app[wire.ClientToServer])
					}
				}
				for _, w := range tt.serv {
					if !bytes.Contains(res.app[wire.ServerToClient], []byte(w)) {
						t.Errorf("server plaintext lacks %q:\n%s", w, res.app[wire.ServerToClient])
					}
				}
				decrypted++
			}
			if decrypted == 0 {
				t.Error("no TLS connection found")
			}
		})
	}
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}
