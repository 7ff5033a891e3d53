package bpf

import "testing"

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"tcp", DefaultSMTP, "src or dst portrange 1-1024 and not host 2001:db8::1",
		"(net 10.0.0.0/8 || ! dst host 192.0.2.1) && tcp", "port 25 or udp", "((((tcp))))", "tcp port 25 or 587"} {
		f.Add(s)
	}
	pkts := []pkt{c4, s6, u4, vlan(c6), fr4, ip4}
	var frames [][]byte
	for _, p := range pkts {
		frames = append(frames, p.build(f))
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Compile(expr)
		if err != nil {
			return
		}
		for _, b := range frames {
			for _, n := range []int{len(b), 14, 20, 40, 54} {
				if n > len(b) {
					continue
				}
				if vm, got := runVM(t, flt, b[:n]), flt.Match(b[:n]); vm != got {
					t.Fatalf("%q on %x: vm = %v, Match = %v", expr, b[:n], vm, got)
				}
			}
		}
	})
}
