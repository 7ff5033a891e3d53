package bpf

import (
	"errors"
	"strings"
	"testing"
)

// Test packets: a client 192.0.2.1:40000 talking to 198.51.100.25:25, and
// the same over IPv6.
var (
	c4  = pkt{src: "192.0.2.1", dst: "198.51.100.25", sp: 40000, dp: 25}
	s4  = pkt{src: "198.51.100.25", dst: "192.0.2.1", sp: 25, dp: 40000}
	c6  = pkt{v6: true, src: "2001:db8::1", dst: "2001:db8:1::25", sp: 40000, dp: 587}
	s6  = pkt{v6: true, src: "2001:db8:1::25", dst: "2001:db8::1", sp: 587, dp: 40000}
	u4  = pkt{udp: true, src: "192.0.2.1", dst: "198.51.100.25", sp: 5353, dp: 25}
	u6  = pkt{v6: true, udp: true, src: "2001:db8::1", dst: "2001:db8:1::25", sp: 5353, dp: 587}
	ip4 = pkt{ipOpts: true, src: "192.0.2.1", dst: "198.51.100.25", sp: 40000, dp: 25}
	fr4 = pkt{fragOff: 100, src: "192.0.2.1", dst: "198.51.100.25", sp: 40000, dp: 25}
)

func vlan(p pkt) pkt { p.vlan = true; return p }

func TestCompileMatch(t *testing.T) {
	tests := []struct {
		expr string
		p    pkt
		want bool
	}{
		{"tcp", c4, true}, {"tcp", c6, true}, {"tcp", u4, false}, {"tcp", u6, false},
		{"tcp", vlan(c4), true}, {"tcp", vlan(u6), false}, {"tcp", vlan(c6), true},
		{"port 25", c4, true}, {"port 25", s4, true}, {"port 25", u4, true}, {"port 587", u6, true},
		{"port 26", c4, false}, {"tcp port 25", u4, false}, {"tcp port 25", c4, true},
		{"tcp port 587", c6, true}, {"tcp port 587", s6, true}, {"tcp port 25", c6, false},
		{"tcp port 25", ip4, true}, {"tcp port 40000", ip4, true}, {"tcp port 25", fr4, false},
		{"tcp port 25", vlan(c4), true}, {"tcp port 587", vlan(s6), true}, {"tcp port 25", vlan(u4), false},
		{"src port 25", c4, false}, {"src port 25", s4, true}, {"dst port 25", c4, true}, {"dst port 25", s4, false},
		{"tcp src port 587", s6, true}, {"tcp dst port 587", s6, false},
		{"src or dst port 25", s4, true}, {"src and dst port 25", s4, false},
		{"src and dst portrange 25-40000", c4, true}, {"src and dst portrange 26-40000", c4, false},
		{"portrange 20-30", c4, true}, {"portrange 30-20", c4, true}, {"portrange 26-39999", c4, false},
		{"portrange 587-587", c6, true}, {"tcp portrange 580-590", u6, false}, {"dst portrange 1-1024", s6, false},
		{"host 192.0.2.1", c4, true}, {"host 192.0.2.1", s4, true}, {"host 192.0.2.2", c4, false},
		{"src host 192.0.2.1", c4, true}, {"src host 192.0.2.1", s4, false}, {"dst host 192.0.2.1", s4, true},
		{"host 192.0.2.1", c6, false}, {"host 2001:db8::1", c6, true}, {"host 2001:db8::1", s6, true},
		{"host 2001:db8::2", c6, false}, {"src host 2001:db8::1", s6, false}, {"dst host 2001:db8::1", s6, true},
		{"host 2001:db8::1", c4, false}, {"host 2001:db8::1", vlan(c6), true}, {"host 192.0.2.1", vlan(s4), true},
		{"src and dst host 192.0.2.1", c4, false},
		{"net 192.0.2.0/24", c4, true}, {"net 192.0.3.0/24", c4, false}, {"src net 198.51.100.0/24", c4, false},
		{"dst net 198.51.100.0/22", c4, true}, {"net 0.0.0.0/0", c4, true}, {"net 0.0.0.0/0", c6, false},
		{"net 2001:db8::/32", c6, true}, {"net 2001:db8:1::/48", s6, true}, {"src net 2001:db8:1::/48", c6, false},
		{"net 2001:db9::/32", c6, false}, {"net 2001:db8::/31", c6, true}, {"net 2001:db8::1/128", c6, true},
		{"net ::/0", c6, true}, {"net ::/0", c4, false}, {"net 2001:db8::/33", vlan(c6), true},
		{"tcp and port 25", c4, true}, {"tcp && port 25", u4, false}, {"port 26 or port 25", c4, true},
		{"port 26 || port 27", c4, false}, {"not port 25", c4, false}, {"! port 25", c6, true},
		{"not tcp", u4, true}, {"!tcp", c6, false}, {"not not tcp", c4, true},
		{"(port 25 or port 587) and host 192.0.2.1", c4, true},
		{"(port 25 or port 587) and host 192.0.2.1", c6, false},
		{"port 25 or port 587 and host 192.0.2.1", c4, true},
		{"not (port 25 or port 587)", c6, false}, {"tcp and not (host 192.0.2.9 or net 2001:db8:1::/48)", c4, true},
		{"tcp and not (host 192.0.2.9 or net 2001:db8:1::/48)", c6, false},
		{DefaultSMTP, c4, true}, {DefaultSMTP, c6, true}, {DefaultSMTP, u4, false},
		{DefaultSMTP, pkt{src: "10.0.0.1", dst: "10.0.0.2", sp: 1, dp: 2525}, true},
		{DefaultSMTP, pkt{src: "10.0.0.1", dst: "10.0.0.2", sp: 465, dp: 3}, true},
		{DefaultSMTP, pkt{src: "10.0.0.1", dst: "10.0.0.2", sp: 443, dp: 3}, false},
		{DefaultAny, u6, false}, {DefaultAny, s6, true},
	}
	for _, tt := range tests {
		f, err := Compile(tt.expr)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.expr, err)
		}
		b := tt.p.build(t)
		vm, got := runVM(t, f, b), f.Match(b)
		if vm != tt.want || got != tt.want {
			t.Errorf("%q on %+v: vm = %v, Match = %v, want %v", tt.expr, tt.p, vm, got, tt.want)
		}
		// Every truncation: the VM and Match still agree (short packets).
		for n := 0; n < len(b); n++ {
			if vm, got := runVM(t, f, b[:n]), f.Match(b[:n]); vm != got {
				t.Errorf("%q on %+v cut to %d: vm = %v, Match = %v", tt.expr, tt.p, n, vm, got)
			}
		}
	}
}

func TestNonIPFrames(t *testing.T) {
	arp := make([]byte, 60)
	arp[12], arp[13] = 0x08, 0x06
	for _, e := range []string{"tcp", "port 25", "host 192.0.2.1", "net ::/0", "not tcp"} {
		f, err := Compile(e)
		if err != nil {
			t.Fatal(err)
		}
		want := e == "not tcp"
		if vm, got := runVM(t, f, arp), f.Match(arp); vm != want || got != want {
			t.Errorf("%q on ARP: vm = %v, Match = %v, want %v", e, vm, got, want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"udp", `bpf: unsupported word "udp" at 1`},
		{"tcp port 25 or udp port 53", `bpf: unsupported word "udp" at 16`},
		{"port smtp", `bpf: not a port number "smtp" at 6`},
		{"port 65536", `bpf: not a port number "65536" at 6`},
		{"port -1", `bpf: not a port number "-1" at 6`},
		{"portrange 5", `bpf: not a port range "5" at 11`},
		{"portrange 1-x", `bpf: not a port range "1-x" at 11`},
		{"host mail.example", `bpf: not an IP address (host names are not resolved) "mail.example" at 6`},
		{"host fe80::1%eth0", `bpf: unsupported character "%" at 13`},
		{"net 10.0.0.1/8", `bpf: non-network bits set in "10.0.0.1/8" at 5`},
		{"net 10.0.0.0", `bpf: not a CIDR prefix "10.0.0.0" at 5`},
		{"tcp host 10.0.0.1", `bpf: "tcp" cannot qualify "host" at 5`},
		{"ip", `bpf: unsupported word "ip" at 1`},
		{"tcp port 25 or 587", `bpf: unsupported word "587" at 16`},
		{"", `bpf: empty expression at 1 (end of expression)`},
		{"port", `bpf: unexpected end of expression at 5 (end of expression)`},
		{"(port 25", `bpf: missing ")" for "(" at 1`},
		{"port 25)", `bpf: unexpected ")" at 8`},
		{"port 25 and", `bpf: unexpected end of expression at 12 (end of expression)`},
		{"port 25 & port 26", `bpf: unsupported word "&" at 9`},
		{"src", `bpf: unexpected end of expression at 4 (end of expression)`},
		{"src tcp", `bpf: unsupported word "tcp" at 5`},
		{"vlan and tcp", `bpf: unsupported word "vlan" at 1`},
		{strings.Repeat("(", 40) + "tcp" + strings.Repeat(")", 40), `bpf: nesting deeper than 32 "(" at 33`},
		{strings.Repeat("not ", 40) + "tcp", `bpf: nesting deeper than 32 "not" at 129`},
		{strings.Repeat("tcp or ", 64) + "tcp", `bpf: more than 64 tests "tcp" at 449`},
	}
	for _, tt := range tests {
		_, err := Compile(tt.expr)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Compile(%q) = %v, want %s", tt.expr, err, tt.want)
			continue
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Compile(%q) error %T is not *Error", tt.expr, err)
		}
	}
}

// TestLongJumps forces conditional jumps past 255 instructions, which need
// the long form.
func TestLongJumps(t *testing.T) {
	var parts []string
	for i := 0; i < 40; i++ {
		parts = append(parts, "net 2001:db8:"+strings.Repeat("1", 1+i%3)+"::/48")
	}
	expr := "tcp port 25 and (" + strings.Join(parts, " or ") + ")"
	f, err := Compile(expr)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Instructions()) < 300 {
		t.Fatalf("program has %d instructions; the test needs more than 255", len(f.Instructions()))
	}
	for _, p := range []pkt{c4, c6, s6, {v6: true, src: "2001:db8:111::1", dst: "2001:db8:1::25", sp: 25, dp: 9}} {
		b := p.build(t)
		if vm, got := runVM(t, f, b), f.Match(b); vm != got {
			t.Errorf("on %+v: vm = %v, Match = %v", p, vm, got)
		}
	}
	if b := (pkt{v6: true, src: "2001:db8:111::1", dst: "2001:db9::25", sp: 25, dp: 9}).build(t); !f.Match(b) || !runVM(t, f, b) {
		t.Errorf("last alternative of a long program does not match")
	}
}

func TestDefault(t *testing.T) {
	if Default(false) != DefaultSMTP || Default(true) != "tcp" {
		t.Errorf("Default = %q, %q", Default(false), Default(true))
	}
	f, err := Compile(Default(false))
	if err != nil || f.String() != DefaultSMTP || len(f.Raw()) != len(f.Instructions()) {
		t.Errorf("Compile(default) = %v, %v", f, err)
	}
}
