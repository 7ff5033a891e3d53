package bpf

// frame reads a packet the way the BPF machine does: a read past the end
// sets bad, and a bad read rejects the packet whatever else holds.
type frame struct {
	b   []byte
	bad bool
}

func (f *frame) u8(off int) uint32 {
	if off < 0 || off+1 > len(f.b) {
		f.bad = true
		return 0
	}
	return uint32(f.b[off])
}

func (f *frame) u16(off int) uint32 {
	if off < 0 || off+2 > len(f.b) {
		f.bad = true
		return 0
	}
	return uint32(f.b[off])<<8 | uint32(f.b[off+1])
}

func (f *frame) u32(off int) uint32 {
	if off < 0 || off+4 > len(f.b) {
		f.bad = true
		return 0
	}
	return uint32(f.b[off])<<24 | uint32(f.b[off+1])<<16 | uint32(f.b[off+2])<<8 | uint32(f.b[off+3])
}

// matcher evaluates the tree in the order the generated code does, doing
// the same loads, so that Match and the kernel agree on every packet,
// short ones included.
type matcher struct {
	f     frame
	l3    int
	etype uint32
}

// match runs the prologue, then the expression.
func match(n *node, b []byte) bool {
	m := &matcher{f: frame{b: b}}
	m.etype = m.f.u16(etherTypeOff)
	m.l3 = l3Plain
	if !m.f.bad && m.etype == etherTypeVLAN {
		m.etype = m.f.u16(vlanInnerOff)
		m.l3 = l3VLAN
	}
	if m.f.bad {
		return false
	}
	r := m.eval(n)
	return r && !m.f.bad
}

// eval evaluates n; it stops early once a read went past the end.
func (m *matcher) eval(n *node) bool {
	if m.f.bad {
		return false
	}
	switch n.kind {
	case nodeAnd:
		for _, k := range n.kids {
			if !m.eval(k) {
				return false
			}
		}
		return true
	case nodeOr:
		for _, k := range n.kids {
			if m.eval(k) {
				return true
			}
		}
		return false
	case nodeNot:
		return !m.eval(n.kids[0])
	case nodeTCP:
		switch m.etype {
		case etherTypeIPv4:
			return m.f.u8(m.l3+9) == protoTCP
		case etherTypeIPv6:
			return m.f.u8(m.l3+6) == protoTCP
		}
		return false
	case nodePort:
		return m.port(n)
	case nodeHost, nodeNet:
		return m.addr(n)
	}
	return false
}

// isProto mirrors gen.protos.
func isProto(p uint32, tcpOnly bool) bool {
	if tcpOnly {
		return p == protoTCP
	}
	return p == protoTCP || p == protoUDP || p == protoSCTP
}

// port mirrors gen.port.
func (m *matcher) port(n *node) bool {
	var l4 int
	switch m.etype {
	case etherTypeIPv4:
		if !isProto(m.f.u8(m.l3+9), n.tcp) || m.f.bad {
			return false
		}
		if m.f.u16(m.l3+6)&0x1fff != 0 || m.f.bad {
			return false
		}
		ihl := int(m.f.u8(m.l3)&0x0f) << 2
		l4 = m.l3 + ihl
	case etherTypeIPv6:
		if !isProto(m.f.u8(m.l3+6), n.tcp) || m.f.bad {
			return false
		}
		l4 = m.l3 + ipv6HeaderLen
	default:
		return false
	}
	one := func(off int) bool {
		p := m.f.u16(l4 + off)
		return !m.f.bad && p >= uint32(n.lo) && p <= uint32(n.hi)
	}
	return m.both(n.dir, 0, 2, one)
}

// both mirrors gen.both.
func (m *matcher) both(d dir, srcOff, dstOff int, one func(off int) bool) bool {
	switch d {
	case dirSrc:
		return one(srcOff)
	case dirDst:
		return one(dstOff)
	case dirBoth:
		return one(srcOff) && one(dstOff)
	}
	return one(srcOff) || one(dstOff)
}

// addr mirrors gen.addr.
func (m *matcher) addr(n *node) bool {
	srcOff, dstOff := 12, 16
	if n.prefix.Addr().Is4() {
		if m.etype != etherTypeIPv4 {
			return false
		}
	} else {
		if m.etype != etherTypeIPv6 {
			return false
		}
		srcOff, dstOff = 8, 24
	}
	words := prefixWords(n.prefix)
	one := func(off int) bool {
		for i, w := range words {
			if w.mask == 0 {
				continue
			}
			if m.f.u32(m.l3+off+4*i)&w.mask != w.val || m.f.bad {
				return false
			}
		}
		return true
	}
	return m.both(n.dir, srcOff, dstOff, one)
}
