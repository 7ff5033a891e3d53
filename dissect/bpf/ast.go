package bpf

import "net/netip"

// nodeKind is the kind of an expression node.
type nodeKind int

// Node kinds.
const (
	nodeAnd nodeKind = iota
	nodeOr
	nodeNot
	nodeTCP  // IP protocol is TCP
	nodePort // transport port in [lo, hi]
	nodeHost // address equals
	nodeNet  // address within prefix
)

// dir is a src/dst qualifier.
type dir int

// Directions (pcap-filter(7): the default is "src or dst").
const (
	dirEither dir = iota // src or dst
	dirSrc
	dirDst
	dirBoth // src and dst
)

// node is one node of the expression tree. And and Or are n-ary so that
// long chains stay flat; only parentheses and "not" add depth, and the
// parser bounds that.
type node struct {
	kind   nodeKind
	kids   []*node
	dir    dir
	tcp    bool // port: only TCP (else TCP, UDP or SCTP)
	lo, hi uint16
	prefix netip.Prefix // host: a full-length prefix
}
