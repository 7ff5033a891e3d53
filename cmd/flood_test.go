package cmd

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// writeSYNFlood writes a pcap of n SYN-only TCP connections to port 25,
// each from its own client address and port, 1 ms apart: the flood of
// issue 12's defect 1 (each flow used to own an SMTP parser and a session).
func writeSYNFlood(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 262144)
	binary.LittleEndian.PutUint32(hdr[20:], 1) // LINKTYPE_ETHERNET
	w.Write(hdr)
	pkt := make([]byte, 14+20+20)
	pkt[12], pkt[13] = 0x08, 0x00 // IPv4
	ip := pkt[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], 40)
	ip[8], ip[9] = 64, 6 // TTL, TCP
	copy(ip[16:], []byte{192, 0, 2, 25})
	tcp := ip[20:]
	binary.BigEndian.PutUint16(tcp[2:], 25)
	tcp[12], tcp[13] = 5<<4, 0x02 // data offset 5, SYN
	binary.BigEndian.PutUint16(tcp[14:], 64240)
	rec := make([]byte, 16)
	for i := 0; i < n; i++ {
		copy(ip[12:], []byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		binary.BigEndian.PutUint16(tcp[0:], uint16(1024+i%60000))
		binary.BigEndian.PutUint32(tcp[4:], uint32(i)*2654435761)
		us := int64(i) * 1000
		binary.LittleEndian.PutUint32(rec[0:], uint32(1700000000+us/1e6))
		binary.LittleEndian.PutUint32(rec[4:], uint32(us%1e6))
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(pkt)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(pkt)))
		w.Write(rec)
		w.Write(pkt)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// floodChild is the environment variable that makes TestSYNFloodMemory
// run the report itself (in a child process, whose peak RSS the parent
// reads from its rusage).
const floodChild = "SMTPSCOPE_FLOOD_CHILD"

// TestSYNFloodMemory is issue 12's defect 1: 200,000 SYN-only flows (the
// flow cap is 100,000) must stay under 256 MiB of peak RSS, and the flows
// given up must be counted, with the default budget and with a small
// --max-memory.
func TestSYNFloodMemory(t *testing.T) {
	if args := os.Getenv(floodChild); args != "" {
		var errOut bytes.Buffer
		st := Main(strings.Split(args, "\n"), nil, io.Discard, &errOut)
		os.Stderr.Write(errOut.Bytes())
		os.Exit(st)
	}
	if testing.Short() {
		t.Skip("writes a 14 MB capture and runs it twice")
	}
	path := filepath.Join(t.TempDir(), "synflood.pcap")
	writeSYNFlood(t, path, 200_000)
	for _, tt := range []struct {
		args  []string
		limit string
	}{
		{[]string{"report", "--json", path}, "flows="},
		{[]string{"report", "--json", "--max-memory", "32MiB", path}, "max-memory="},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSYNFloodMemory$")
		cmd.Env = append(os.Environ(), floodChild+"="+strings.Join(tt.args, "\n"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%q: %v\n%s", tt.args, err, stderr.String())
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
		t.Logf("%q: peak RSS %d MiB; %s", tt.args, rss>>20, strings.TrimSpace(stderr.String()))
		if rss >= 256<<20 {
			t.Errorf("%q: peak RSS %d MiB, want < 256 MiB", tt.args, rss>>20)
		}
		if !strings.Contains(stderr.String(), tt.limit) {
			t.Errorf("%q: stderr %q does not count %q", tt.args, stderr.String(), tt.limit)
		}
	}
}
