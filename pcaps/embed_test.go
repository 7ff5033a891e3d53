package pcaps

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

func TestEmbeddedFiles(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %q, not sorted", names)
	}
	if !slices.Contains(names, Demo()) {
		t.Errorf("Names() = %q lacks Demo() = %q", names, Demo())
	}
	entries, err := fs.ReadDir(FS(), ".")
	if err != nil {
		t.Fatal(err)
	}
	var pcaps, keys int
	for _, e := range entries {
		name := e.Name()
		data, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 {
			t.Errorf("%s is empty", name)
		}
		switch {
		case strings.HasSuffix(name, ".pcap") || strings.HasSuffix(name, ".pcapng"):
			pcaps++
			if !slices.Contains(names, name) {
				t.Errorf("Names() = %q lacks embedded %s", names, name)
			}
			checkPcapHeader(t, name, data)
		case strings.HasSuffix(name, ".keys"):
			keys++
			base := strings.TrimSuffix(name, ".keys")
			if KeyLog(base+".pcap") != name && KeyLog(base+".pcapng") != name {
				t.Errorf("KeyLog(%q) and KeyLog(%q) are not %q", base+".pcap", base+".pcapng", name)
			}
			checkKeyLog(t, name, string(data))
		default:
			t.Errorf("unexpected embedded file %s", name)
		}
	}
	if pcaps != len(names) || pcaps < 10 || keys == 0 {
		t.Errorf("embedded %d captures and %d key logs; Names() has %d", pcaps, keys, len(names))
	}
}

// checkPcapHeader checks the magic number of a classic pcap (microsecond or
// nanosecond, either byte order) or a pcapng section header block.
func checkPcapHeader(t *testing.T, name string, data []byte) {
	t.Helper()
	if len(data) < 24 {
		t.Errorf("%s: %d bytes, shorter than a pcap header", name, len(data))
		return
	}
	switch binary.LittleEndian.Uint32(data) {
	case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a:
	default:
		t.Errorf("%s starts with % x, not a pcap magic", name, data[:4])
	}
}

// checkKeyLog checks that every line of an NSS key log is "LABEL random
// secret" and that it holds TLS 1.3 or TLS 1.2 secrets.
func checkKeyLog(t *testing.T, name, log string) {
	t.Helper()
	if !strings.Contains(log, "CLIENT_HANDSHAKE_TRAFFIC_SECRET ") && !strings.Contains(log, "CLIENT_RANDOM ") {
		t.Errorf("%s has neither CLIENT_HANDSHAKE_TRAFFIC_SECRET nor CLIENT_RANDOM lines", name)
	}
	for line := range strings.Lines(log) {
		f := strings.Fields(line)
		if len(f) != 3 || len(f[1]) != 64 || !bytes.ContainsAny([]byte(f[0]), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("%s: malformed key log line %q", name, line)
		}
	}
}

func TestKeyLog(t *testing.T) {
	tests := []struct{ in, want string }{
		{"demo.pcap", "demo.keys"},
		{"plain25.pcap", ""},
		{"missing.pcap", ""},
		{"demo.keys", ""},
		{"recorded-postfix-curl587.pcapng", "recorded-postfix-curl587.keys"},
		{"recorded-postfix-swaks25.pcapng", ""},
		{"recorded-postfix-curl587", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := KeyLog(tt.in); got != tt.want {
			t.Errorf("KeyLog(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
