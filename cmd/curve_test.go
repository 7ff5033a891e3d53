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

	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/zeek"
)

// ssl.log's curve is the group tshark decodes, stream by stream: the
// ServerHello key_share group (tls.handshake.extensions_key_share_group,
// TLS 1.3) or the ServerKeyExchange named curve
// (tls.handshake.server_named_curve, TLS 1.2 ECDHE), the last one seen.
func TestCurveMatchesTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed")
	}
	files, _ := filepath.Glob(filepath.Join("..", "pcaps", "*.pcap*"))
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "public", "*.pcap*"))
	compared := 0
	for _, f := range append(files, corpus...) {
		if strings.HasSuffix(f, ".txt") || strings.HasSuffix(f, ".keylog") {
			continue
		}
		args := []string{"-n", "-r", f, "-Y", "tls.handshake.type == 2 || tls.handshake.type == 12", "-T", "fields",
			"-e", "tcp.stream", "-e", "tls.handshake.extensions_key_share_group", "-e", "tls.handshake.server_named_curve"}
		if strings.Contains(f, "certgrep__sess_smtps") {
			args = append(args, "-d", "tcp.port==587,tls")
		}
		out, err := exec.Command(tshark, args...).Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", f, err)
		}
		want := map[string]string{}
		for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
			fs := strings.Split(l, "\t")
			if len(fs) < 3 {
				continue
			}
			for _, v := range append(strings.Split(fs[1], ","), strings.Split(fs[2], ",")...) {
				if g, err := strconv.ParseUint(v, 0, 16); err == nil {
					want[fs[0]] = tlsname.GroupName(uint16(g))
				}
			}
		}
		dir := t.TempDir()
		var rep, errOut bytes.Buffer
		Main([]string{"report", "--zeek", dir, "--zeek-format", "json", f}, nil, &rep, &errOut)
		b, err := os.ReadFile(filepath.Join(dir, "ssl.log"))
		if os.IsNotExist(err) {
			b = nil
		} else if err != nil {
			t.Fatal(err)
		}
		rows, err := zeek.ReadJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			stream := fmt.Sprint(r["smtpscope_stream"])
			got, _ := r["curve"].(string)
			if got != want[stream] {
				t.Errorf("%s stream %s: curve %q, tshark %q", filepath.Base(f), stream, got, want[stream])
			}
			if got != "" {
				compared++
			}
		}
	}
	t.Logf("%d curves compared", compared)
	if compared < 5 {
		t.Errorf("only %d curves compared", compared)
	}
}
