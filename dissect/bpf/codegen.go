package bpf

import (
	"fmt"
	"net/netip"

	"golang.org/x/net/bpf"
)

// Frame layout constants.
const (
	etherTypeOff  = 12     // IEEE 802.3: destination and source MAC first
	etherTypeVLAN = 0x8100 // IEEE 802.1Q tag protocol identifier
	vlanInnerOff  = 16     // EtherType after one 802.1Q tag
	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86dd
	l3Plain       = 14
	l3VLAN        = 18
	ipv6HeaderLen = 40 // RFC 8200, Section 3

	// Scratch memory slots set by the prologue.
	memL3   = 0 // offset of the IP header
	memType = 1 // EtherType (inside the VLAN tag, if any)

	// maxInsns is the kernel's BPF_MAXINSNS.
	maxInsns = 4096
	// maxSkip is the longest conditional jump classic BPF encodes.
	maxSkip = 255
)

// IP protocol numbers (IANA "Assigned Internet Protocol Numbers").
const (
	protoTCP  = 6
	protoUDP  = 17
	protoSCTP = 132
)

// label names a position in the program being generated.
type label int

// op is one instruction of the intermediate code: a plain instruction, a
// conditional jump to two labels, an unconditional jump, or a label mark.
type op struct {
	ins    bpf.Instruction
	cond   bool
	test   bpf.JumpTest
	val    uint32
	jt, jf label
	jump   bool
	to     label
	mark   bool
	at     label
}

// gen accumulates intermediate code.
type gen struct {
	ops    []op
	labels int
}

func (g *gen) label() label { g.labels++; return label(g.labels - 1) }

func (g *gen) emit(ins ...bpf.Instruction) {
	for _, i := range ins {
		g.ops = append(g.ops, op{ins: i})
	}
}

func (g *gen) br(test bpf.JumpTest, val uint32, t, f label) {
	g.ops = append(g.ops, op{cond: true, test: test, val: val, jt: t, jf: f})
}

func (g *gen) ja(t label) { g.ops = append(g.ops, op{jump: true, to: t}) }

func (g *gen) place(l label) { g.ops = append(g.ops, op{mark: true, at: l}) }

// compile generates the whole program for n.
func compile(n *node) ([]bpf.Instruction, error) {
	g := &gen{}
	yes, no, body := g.label(), g.label(), g.label()
	// Prologue: find the IP header behind zero or one 802.1Q tag.
	g.emit(bpf.LoadAbsolute{Off: etherTypeOff, Size: 2})
	vlan, plain := g.label(), g.label()
	g.br(bpf.JumpEqual, etherTypeVLAN, vlan, plain)
	g.place(vlan)
	g.emit(bpf.LoadAbsolute{Off: vlanInnerOff, Size: 2}, bpf.StoreScratch{Src: bpf.RegA, N: memType},
		bpf.LoadConstant{Dst: bpf.RegA, Val: l3VLAN}, bpf.StoreScratch{Src: bpf.RegA, N: memL3})
	g.ja(body)
	g.place(plain)
	g.emit(bpf.StoreScratch{Src: bpf.RegA, N: memType},
		bpf.LoadConstant{Dst: bpf.RegA, Val: l3Plain}, bpf.StoreScratch{Src: bpf.RegA, N: memL3})
	g.place(body)
	g.node(n, yes, no)
	g.place(yes)
	g.emit(bpf.RetConstant{Val: Snaplen})
	g.place(no)
	g.emit(bpf.RetConstant{Val: 0})
	return g.layout()
}

// node generates code that jumps to t when n holds and to f otherwise,
// evaluating left to right with short circuits (Match does the same).
// Recursion follows the parsed tree, whose depth the parser bounds.
func (g *gen) node(n *node, t, f label) {
	switch n.kind {
	case nodeAnd:
		for _, k := range n.kids[:len(n.kids)-1] {
			next := g.label()
			g.node(k, next, f)
			g.place(next)
		}
		g.node(n.kids[len(n.kids)-1], t, f)
	case nodeOr:
		for _, k := range n.kids[:len(n.kids)-1] {
			next := g.label()
			g.node(k, t, next)
			g.place(next)
		}
		g.node(n.kids[len(n.kids)-1], t, f)
	case nodeNot:
		g.node(n.kids[0], f, t)
	case nodeTCP:
		g.tcp(t, f)
	case nodePort:
		g.port(n, t, f)
	case nodeHost, nodeNet:
		g.addr(n, t, f)
	}
}

// family jumps to v4 or v6 by EtherType, else to f.
func (g *gen) family(v4, v6, f label) {
	g.emit(bpf.LoadScratch{Dst: bpf.RegA, N: memType})
	next := g.label()
	g.br(bpf.JumpEqual, etherTypeIPv4, v4, next)
	g.place(next)
	g.br(bpf.JumpEqual, etherTypeIPv6, v6, f)
}

// loadX sets X to the IP header offset.
func (g *gen) loadX() {
	g.emit(bpf.LoadScratch{Dst: bpf.RegA, N: memL3}, bpf.TAX{})
}

// tcp tests the IP protocol (RFC 791, Section 3.1: protocol at offset 9;
// RFC 8200, Section 3: next header at offset 6).
func (g *gen) tcp(t, f label) {
	v4, v6 := g.label(), g.label()
	g.family(v4, v6, f)
	g.place(v4)
	g.loadX()
	g.emit(bpf.LoadIndirect{Off: 9, Size: 1})
	g.br(bpf.JumpEqual, protoTCP, t, f)
	g.place(v6)
	g.loadX()
	g.emit(bpf.LoadIndirect{Off: 6, Size: 1})
	g.br(bpf.JumpEqual, protoTCP, t, f)
}

// protos jumps to ok when A is one of the port-carrying protocols.
func (g *gen) protos(tcpOnly bool, ok, f label) {
	if tcpOnly {
		g.br(bpf.JumpEqual, protoTCP, ok, f)
		return
	}
	a, b := g.label(), g.label()
	g.br(bpf.JumpEqual, protoTCP, ok, a)
	g.place(a)
	g.br(bpf.JumpEqual, protoUDP, ok, b)
	g.place(b)
	g.br(bpf.JumpEqual, protoSCTP, ok, f)
}

// port tests transport ports. TCP, UDP and SCTP all start with source and
// destination port (RFC 9293, Section 3.1; RFC 768; RFC 9260, Section 3.1).
func (g *gen) port(n *node, t, f label) {
	v4, v6 := g.label(), g.label()
	g.family(v4, v6, f)

	g.place(v4)
	g.loadX()
	g.emit(bpf.LoadIndirect{Off: 9, Size: 1})
	p4, q4 := g.label(), g.label()
	g.protos(n.tcp, p4, f)
	g.place(p4)
	// RFC 791, Section 3.1: flags and fragment offset at 6; a non-zero
	// offset means no transport header in this fragment.
	g.emit(bpf.LoadIndirect{Off: 6, Size: 2})
	g.br(bpf.JumpBitsSet, 0x1fff, f, q4)
	g.place(q4)
	// IHL (low nibble of byte 0) in 32-bit words.
	g.emit(bpf.LoadIndirect{Off: 0, Size: 1}, bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0x0f},
		bpf.ALUOpConstant{Op: bpf.ALUOpShiftLeft, Val: 2}, bpf.ALUOpX{Op: bpf.ALUOpAdd}, bpf.TAX{})
	g.ports(n, t, f)

	g.place(v6)
	g.loadX()
	g.emit(bpf.LoadIndirect{Off: 6, Size: 1})
	p6 := g.label()
	g.protos(n.tcp, p6, f)
	g.place(p6)
	g.emit(bpf.LoadScratch{Dst: bpf.RegA, N: memL3}, bpf.ALUOpConstant{Op: bpf.ALUOpAdd, Val: ipv6HeaderLen}, bpf.TAX{})
	g.ports(n, t, f)
}

// ports tests the port fields at X+0 (source) and X+2 (destination).
func (g *gen) ports(n *node, t, f label) {
	one := func(off uint32, t, f label) {
		g.emit(bpf.LoadIndirect{Off: off, Size: 2})
		g.inRange(n.lo, n.hi, t, f)
	}
	g.both(n.dir, 0, 2, one, t, f)
}

// both combines a source and a destination test per the direction.
func (g *gen) both(d dir, srcOff, dstOff uint32, one func(off uint32, t, f label), t, f label) {
	switch d {
	case dirSrc:
		one(srcOff, t, f)
	case dirDst:
		one(dstOff, t, f)
	case dirBoth:
		m := g.label()
		one(srcOff, m, f)
		g.place(m)
		one(dstOff, t, f)
	default:
		m := g.label()
		one(srcOff, t, m)
		g.place(m)
		one(dstOff, t, f)
	}
}

// inRange jumps to t when lo <= A <= hi.
func (g *gen) inRange(lo, hi uint16, t, f label) {
	if lo == hi {
		g.br(bpf.JumpEqual, uint32(lo), t, f)
		return
	}
	m := g.label()
	g.br(bpf.JumpGreaterOrEqual, uint32(lo), m, f)
	g.place(m)
	g.br(bpf.JumpGreaterThan, uint32(hi), f, t)
}

// addr tests IP addresses against a prefix (a host is a full-length one).
// RFC 791, Section 3.1: IPv4 source at 12, destination at 16; RFC 8200,
// Section 3: IPv6 source at 8, destination at 24.
func (g *gen) addr(n *node, t, f label) {
	ok := g.label()
	g.emit(bpf.LoadScratch{Dst: bpf.RegA, N: memType})
	srcOff, dstOff := uint32(12), uint32(16)
	if n.prefix.Addr().Is4() {
		g.br(bpf.JumpEqual, etherTypeIPv4, ok, f)
	} else {
		g.br(bpf.JumpEqual, etherTypeIPv6, ok, f)
		srcOff, dstOff = 8, 24
	}
	g.place(ok)
	g.loadX()
	words := prefixWords(n.prefix)
	one := func(off uint32, t, f label) {
		for i, w := range words {
			if w.mask == 0 {
				continue
			}
			g.emit(bpf.LoadIndirect{Off: off + uint32(4*i), Size: 4})
			if w.mask != 0xffffffff {
				g.emit(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: w.mask})
			}
			next := g.label()
			g.br(bpf.JumpEqual, w.val, next, f)
			g.place(next)
		}
		g.ja(t)
	}
	g.both(n.dir, srcOff, dstOff, one, t, f)
}

// layout resolves labels to jump offsets. A conditional jump farther than
// 255 instructions becomes "jif +0/+1; ja T; ja F"; lengthening one jump
// can lengthen others, so it repeats until nothing changes.
func (g *gen) layout() ([]bpf.Instruction, error) {
	long := make([]bool, len(g.ops))
	pos := make([]int, len(g.ops))
	at := make([]int, g.labels)
	for {
		n := 0
		for i, o := range g.ops {
			pos[i] = n
			switch {
			case o.mark:
				at[o.at] = n
			case o.cond && long[i]:
				n += 3
			default:
				n++
			}
		}
		if n > maxInsns {
			return nil, fmt.Errorf("bpf: filter needs %d instructions, more than the kernel's %d", n, maxInsns)
		}
		changed := false
		for i, o := range g.ops {
			if o.cond && !long[i] && (at[o.jt]-pos[i]-1 > maxSkip || at[o.jf]-pos[i]-1 > maxSkip) {
				long[i] = true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	var prog []bpf.Instruction
	for i, o := range g.ops {
		here := pos[i]
		switch {
		case o.mark:
		case o.jump:
			prog = append(prog, bpf.Jump{Skip: uint32(at[o.to] - here - 1)})
		case o.cond && long[i]:
			prog = append(prog, bpf.JumpIf{Cond: o.test, Val: o.val, SkipTrue: 0, SkipFalse: 1},
				bpf.Jump{Skip: uint32(at[o.jt] - here - 2)}, bpf.Jump{Skip: uint32(at[o.jf] - here - 3)})
		case o.cond:
			prog = append(prog, bpf.JumpIf{Cond: o.test, Val: o.val,
				SkipTrue: uint8(at[o.jt] - here - 1), SkipFalse: uint8(at[o.jf] - here - 1)})
		default:
			prog = append(prog, o.ins)
		}
	}
	return prog, nil
}

// word is one 32-bit word of an address prefix.
type word struct{ mask, val uint32 }

// prefixWords splits a prefix into masked 32-bit words (1 for IPv4, 4 for
// IPv6), in network byte order.
func prefixWords(p netip.Prefix) []word {
	b := p.Addr().AsSlice()
	bits := p.Bits()
	ws := make([]word, len(b)/4)
	for i := range ws {
		v := uint32(b[4*i])<<24 | uint32(b[4*i+1])<<16 | uint32(b[4*i+2])<<8 | uint32(b[4*i+3])
		var m uint32
		switch n := bits - 32*i; {
		case n >= 32:
			m = 0xffffffff
		case n > 0:
			m = ^uint32(0) << (32 - n)
		}
		ws[i] = word{mask: m, val: v & m}
	}
	return ws
}
