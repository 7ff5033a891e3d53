package smtp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// corpusDir is the shared capture corpus, next to the module root.
const corpusDir = "../../../shared/corpus/public"

// packetReader is what pcapgo's readers have in common.
type packetReader interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

// tcpConn is a test-only, naive TCP reassembly of one connection: in-order
// segments are fed, retransmissions dropped, holes reported as gaps.
type tcpConn struct {
	stream   int
	client   string
	next     [2]uint32
	started  [2]bool
	conn     *Conn
	items    []string
	auths    []Auth
	anomaly  map[string]int
	starttls bool
}

// corpusItems parses a capture and returns, per TCP stream, the SMTP items
// as "C frame VERB" and "S frame CODE", plus the connections.
func corpusItems(t *testing.T, path string) []*tcpConn {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	magic, _ := br.Peek(4)
	var r packetReader
	if bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err = pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
	} else {
		r, err = pcapgo.NewReader(br)
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	conns := map[string]*tcpConn{}
	var order []*tcpConn
	var frame int64
	for {
		data, ci, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Logf("%s: frame %d: %v", path, frame+1, err)
			break
		}
		frame++
		pkt := gopacket.NewPacket(data, r.LinkType(), gopacket.NoCopy)
		tl, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		nl := pkt.NetworkLayer()
		if tl == nil || nl == nil {
			continue
		}
		src := nl.NetworkFlow().Src().String() + ":" + tl.SrcPort.String()
		dst := nl.NetworkFlow().Dst().String() + ":" + tl.DstPort.String()
		key := src + "-" + dst
		if src > dst {
			key = dst + "-" + src
		}
		tc := conns[key]
		if tc == nil {
			client := src
			if tl.SYN && tl.ACK || tl.SrcPort == 25 || tl.SrcPort == 587 || tl.SrcPort == 465 || tl.SrcPort == 2525 {
				client = dst
			}
			tc = &tcpConn{stream: len(order), client: client, anomaly: map[string]int{}}
			tc.conn = NewConn(Options{}, SinkFunc(tc.event))
			conns[key] = tc
			order = append(order, tc)
		}
		dir := wire.ClientToServer
		if src != tc.client {
			dir = wire.ServerToClient
		}
		pos := wire.Pos{Frame: frame, Time: ci.Timestamp}
		seq := tl.Seq
		if tl.SYN {
			tc.next[dir], tc.started[dir] = seq+1, true
			continue
		}
		payload := tl.Payload
		if len(payload) == 0 {
			continue
		}
		if !tc.started[dir] {
			tc.next[dir], tc.started[dir] = seq, true
		}
		diff := int32(seq - tc.next[dir])
		if diff < 0 { // retransmission or overlap
			if int(-diff) >= len(payload) {
				continue
			}
			payload = payload[-diff:]
			diff = 0
		}
		if diff > 0 {
			tc.conn.Gap(dir, int(diff), pos)
		}
		tc.next[dir] = seq + uint32(diff) + uint32(len(payload))
		if diff > 0 {
			tc.next[dir] = seq + uint32(len(tl.Payload))
		}
		tc.conn.Feed(dir, payload, pos)
	}
	for _, tc := range order {
		tc.conn.Close(wire.Pos{Frame: frame})
	}
	return order
}

func (tc *tcpConn) event(e *Event) {
	switch e.Kind {
	case EvCommand:
		tc.items = append(tc.items, fmt.Sprintf("C %d %s", e.Pos.Frame, verb4(e.Command.Verb)))
	case EvReply:
		tc.items = append(tc.items, fmt.Sprintf("S %d %d", e.Pos.Frame, e.Reply.Code))
	case EvAuth:
		tc.auths = append(tc.auths, e.Auth)
	case EvAnomaly:
		tc.anomaly[e.Anomaly.Code]++
	case EvStartTLS:
		tc.starttls = true
	}
}

// tsharkItems reads the JSON-lines SMTP items of a ground-truth file.
func tsharkItems(t *testing.T, path string) map[int][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][]string{}
	_, rest, ok := strings.Cut(string(data), "## SMTP items")
	if !ok {
		return out
	}
	for _, line := range strings.Split(rest, "\n")[1:] {
		if strings.HasPrefix(line, "##") {
			break
		}
		var it struct {
			Frame   int64  `json:"frame"`
			Stream  int    `json:"stream"`
			Dir     string `json:"dir"`
			Command string `json:"command"`
			Code    int    `json:"code"`
		}
		if json.Unmarshal([]byte(line), &it) != nil {
			continue
		}
		if it.Dir == "C" {
			out[it.Stream] = append(out[it.Stream], fmt.Sprintf("C %d %s", it.Frame, verb4(strings.ToUpper(it.Command))))
		} else {
			out[it.Stream] = append(out[it.Stream], fmt.Sprintf("S %d %d", it.Frame, it.Code))
		}
	}
	return out
}

// TestCorpus runs every capture of the shared corpus through the parser: it
// must not panic, must stay within the anomaly limit, and must agree with
// tshark item by item on the captures listed as exact. Differences on the
// others are logged (tshark misses pipelined QUITs, shows rejected DATA
// bytes as a message, ...).
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("shared corpus not found at %s (it lives next to the module root): %v", corpusDir, err)
	}
	// Captures where smtpscope and tshark 4.0 legitimately differ; every
	// other capture must match tshark item by item.
	divergent := map[string]string{
		"arkime__smtp-decrypted.pcap":                                                  "tshark decrypts the STARTTLS part with embedded secrets",
		"certgrep__sess_smtps.pcapng":                                                  "implicit TLS: the builder never feeds it to this package",
		"chrissanders-packets__mail_sender_server_2.pcapng":                            "tshark misses the QUIT pipelined after the final dot",
		"smtp-nel-filter__smtp_2.pcap":                                                 "tshark misses commands pipelined after the final dot",
		"suricata-verify__issue-4220-01-ids__1flowB.pcap":                              "tshark misses two replies",
		"suricata-verify__smtp-data-rejected__10.7.29.101_49898-178.63.41.150_25.pcap": "DATA got 5xx: the lines after it are commands, tshark shows a body",
		"suricata-verify__smtp-errors__smtperr.pcap":                                   "binary garbage: tshark shows nothing",
		"suricata-verify__smtp-pipelining__input.pcap":                                 "tshark misses pipelined commands",
		"zeek__smtp-bdat-cmd-invalid.pcapng":                                           "tshark hides the QUIT after a malformed BDAT",
		"zeek__smtp-bdat-gap.pcap":                                                     "354 after a gap: the body is recovered, not read as commands",
		"zeek__smtp-bdat-pipeline-8bitmime.pcap":                                       "tshark misses pipelined MAIL/RCPT/BDAT",
		"zeek__smtp-mail-transactions-invalid.pcap":                                    "DATA got 503: the lines after it are commands (answered 500), tshark hides them",
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".keylog") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			conns := corpusItems(t, path)
			want := tsharkItems(t, path+".tshark.txt")
			for _, tc := range conns {
				n := 0
				for _, c := range tc.anomaly {
					n += c
				}
				if n > DefaultMaxAnomalies {
					t.Errorf("stream %d: %d anomalies, want at most %d", tc.stream, n, DefaultMaxAnomalies)
				}
				w := want[tc.stream]
				if len(w) == 0 {
					continue // not SMTP for tshark (HTTP, implicit TLS, ...)
				}
				got := slices.Clone(tc.items)
				slices.Sort(got)
				ws := slices.Clone(w)
				slices.Sort(ws)
				if !slices.Equal(got, ws) {
					msg := fmt.Sprintf("%s stream %d: items differ from tshark:\n got %v\nwant %v\nanomalies %v",
						name, tc.stream, diff(got, ws), diff(ws, got), tc.anomaly)
					if reason, ok := divergent[name]; ok {
						t.Log(reason + ": " + msg)
					} else {
						t.Error(msg)
					}
				}
			}
		})
	}
}

// verb4 cuts a verb to 4 bytes: tshark shows STARTTLS as "STAR".
func verb4(v string) string {
	if len(v) > 4 {
		return v[:4]
	}
	return v
}

// diff returns the items of a not in b.
func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// TestCorpusFacts checks what the corpus captures are known to contain.
func TestCorpusFacts(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("shared corpus not found at %s (it lives next to the module root): %v", corpusDir, err)
	}
	conns := func(name string) []*tcpConn { return corpusItems(t, filepath.Join(corpusDir, name)) }
	for _, tc := range conns("zeek__smtp-bdat-cmd-invalid.pcapng") {
		if n := tc.anomaly[AnoBDATBadSize]; n != 1 || !slices.ContainsFunc(tc.items, func(s string) bool {
			return strings.HasSuffix(s, " QUIT")
		}) {
			t.Errorf("bdat-cmd-invalid stream %d: %d %s anomalies and items %v, want 1 and a QUIT", tc.stream, n,
				AnoBDATBadSize, tc.items)
		}
	}
	for _, f := range []struct{ file, mech string }{
		{"bruteshark__SMTP_-_Auth_Plain.pcap", "PLAIN"},
		{"bruteshark__SMTP_-_Auth_Cram_MD5.pcap", "CRAM-MD5"},
	} {
		found := false
		for _, tc := range conns(f.file) {
			for _, a := range tc.auths {
				if a.Mechanism == f.mech && a.User != "" && (a.Password == "" || a.Password == mask) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s exchange with a decoded user and a masked password", f.file, f.mech)
		}
	}
	for _, tc := range conns("zeek__smtp-starttls.pcap") {
		if !tc.starttls {
			t.Errorf("zeek__smtp-starttls.pcap stream %d: no EvStartTLS", tc.stream)
		}
	}
}
