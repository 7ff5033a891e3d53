package cmd

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/zeek"
)

// conn.log's orig_pkts, resp_pkts, orig_ip_bytes and resp_ip_bytes are
// what tshark counts per direction of each TCP stream: frames, and the IP
// datagram lengths (ip.len; 40 + ipv6.plen), headers included as Zeek
// counts them. tshark's conv,tcp "Bytes" are frame lengths (link header and
// Ethernet padding included), so the IP lengths are read frame by frame.
func TestConnPacketsMatchTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed")
	}
	samples := []string{"plain25.pcap", "gap25.pcap", "out-of-order25.pcap", "attack-overlap25.pcap",
		"smtps465-tls13-ipv6.pcap", "recorded-postfix-curl587.pcapng", "recorded-postfix-snaplen54-25.pcap"}
	compared := 0
	for _, name := range samples {
		f := filepath.Join("..", "pcaps", name)
		out, err := exec.Command(tshark, "-n", "-r", f, "-Y", "tcp", "-T", "fields",
			"-e", "tcp.stream", "-e", "tcp.srcport", "-e", "ip.len", "-e", "ipv6.plen").Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", name, err)
		}
		// want[stream/srcport] = {frames, ip bytes}
		want := map[string][2]int64{}
		for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
			fs := strings.Split(l, "\t")
			if len(fs) < 4 {
				t.Fatalf("%s: tshark line %q", name, l)
			}
			var n int64
			if fs[2] != "" {
				n, _ = strconv.ParseInt(strings.Split(fs[2], ",")[0], 10, 64)
			} else {
				n, _ = strconv.ParseInt(strings.Split(fs[3], ",")[0], 10, 64)
				n += 40
			}
			k := fs[0] + "/" + fs[1]
			w := want[k]
			want[k] = [2]int64{w[0] + 1, w[1] + n}
		}
		dir := t.TempDir()
		var rep, errOut bytes.Buffer
		Main([]string{"report", "--zeek", dir, "--zeek-format", "json", f}, nil, &rep, &errOut)
		b, err := os.ReadFile(filepath.Join(dir, "conn.log"))
		if err != nil {
			t.Fatalf("%s: %v (%s)", name, err, errOut.String())
		}
		rows, err := zeek.ReadJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			stream := fmt.Sprint(r["smtpscope_stream"])
			orig := want[stream+"/"+fmt.Sprint(r["id.orig_p"])]
			resp := want[stream+"/"+fmt.Sprint(r["id.resp_p"])]
			got := fmt.Sprintf("%v %v %v %v", r["orig_pkts"], r["orig_ip_bytes"], r["resp_pkts"], r["resp_ip_bytes"])
			if w := fmt.Sprint(orig[0], orig[1], resp[0], resp[1]); got != w {
				t.Errorf("%s stream %s: orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes = %s, tshark %s", name, stream, got, w)
			}
			compared++
		}
	}
	if compared < len(samples) {
		t.Errorf("only %d connections compared", compared)
	}
}
