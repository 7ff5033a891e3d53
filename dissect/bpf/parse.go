package bpf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Parser limits: input-controlled nesting and size are bounded.
const (
	// maxDepth bounds nested parentheses and "not"s.
	maxDepth = 32
	// maxPrimitives bounds the number of tests, so that the program stays
	// far below the kernel's BPF_MAXINSNS (4096).
	maxPrimitives = 64
)

// parser is a recursive-descent parser over tokens.
type parser struct {
	toks  []token
	i     int
	depth int
	prims int
}

// parse parses a whole expression.
func parse(expr string) (*node, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tokEOF {
		return nil, &Error{Msg: "empty expression", Pos: 1}
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// unexpected reports t where it does not fit.
func (p *parser) unexpected(t token) error {
	if t.kind == tokEOF {
		return &Error{Msg: "unexpected end of expression", Pos: t.pos}
	}
	if t.kind == tokWord {
		return &Error{Msg: "unsupported word", Word: t.text, Pos: t.pos}
	}
	return &Error{Msg: "unexpected", Word: t.text, Pos: t.pos}
}

// or parses and { or and }.
func (p *parser) or() (*node, error) { return p.chain(tokOr, nodeOr, p.and) }

// and parses unary { and unary }.
func (p *parser) and() (*node, error) { return p.chain(tokAnd, nodeAnd, p.unary) }

// chain parses operand { op operand } into one node of kind (or the single
// operand): a loop, not recursion, for long and/or chains.
func (p *parser) chain(op tokKind, kind nodeKind, operand func() (*node, error)) (*node, error) {
	n, err := operand()
	if err != nil {
		return nil, err
	}
	var kids []*node
	for p.peek().kind == op {
		p.next()
		m, err := operand()
		if err != nil {
			return nil, err
		}
		if kids == nil {
			kids = []*node{n}
		}
		kids = append(kids, m)
	}
	if kids == nil {
		return n, nil
	}
	return &node{kind: kind, kids: kids}, nil
}

// unary parses not, parentheses and primitives, bounding their nesting.
func (p *parser) unary() (*node, error) {
	t := p.peek()
	switch t.kind {
	case tokNot, tokLParen:
		p.depth++
		if p.depth > maxDepth {
			return nil, &Error{Msg: fmt.Sprintf("nesting deeper than %d", maxDepth), Word: t.text, Pos: t.pos}
		}
		defer func() { p.depth-- }()
		p.next()
		if t.kind == tokNot {
			n, err := p.unary()
			if err != nil {
				return nil, err
			}
			return &node{kind: nodeNot, kids: []*node{n}}, nil
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tokRParen {
			if c.kind == tokEOF {
				return nil, &Error{Msg: "missing \")\" for", Word: "(", Pos: t.pos}
			}
			return nil, p.unexpected(c)
		}
		p.next()
		return n, nil
	case tokWord:
		p.prims++
		if p.prims > maxPrimitives {
			return nil, &Error{Msg: fmt.Sprintf("more than %d tests", maxPrimitives), Word: t.text, Pos: t.pos}
		}
		return p.primitive()
	}
	return nil, p.unexpected(t)
}

// primitive parses one test with its qualifiers (pcap-filter(7),
// "primitives").
func (p *parser) primitive() (*node, error) {
	tcp := false
	if p.peek().text == "tcp" {
		p.next()
		tcp = true
		switch p.peek().text {
		case "src", "dst", "port", "portrange":
		case "host", "net":
			t := p.peek()
			return nil, &Error{Msg: "\"tcp\" cannot qualify", Word: t.text, Pos: t.pos}
		default:
			if p.peek().kind == tokWord {
				return nil, p.unexpected(p.peek())
			}
			return &node{kind: nodeTCP}, nil
		}
	}
	d := p.direction()
	t := p.next()
	if t.kind != tokWord {
		return nil, p.unexpected(t)
	}
	switch t.text {
	case "port", "portrange":
		arg := p.next()
		if arg.kind != tokWord {
			return nil, p.unexpected(arg)
		}
		lo, hi, err := parsePorts(arg, t.text == "portrange")
		if err != nil {
			return nil, err
		}
		return &node{kind: nodePort, dir: d, tcp: tcp, lo: lo, hi: hi}, nil
	case "host":
		arg := p.next()
		if arg.kind != tokWord {
			return nil, p.unexpected(arg)
		}
		a, err := netip.ParseAddr(arg.text)
		if err != nil || a.Zone() != "" {
			return nil, &Error{Msg: "not an IP address (host names are not resolved)", Word: arg.text, Pos: arg.pos}
		}
		a = a.Unmap()
		return &node{kind: nodeHost, dir: d, prefix: netip.PrefixFrom(a, a.BitLen())}, nil
	case "net":
		arg := p.next()
		if arg.kind != tokWord {
			return nil, p.unexpected(arg)
		}
		pf, err := netip.ParsePrefix(arg.text)
		if err != nil {
			return nil, &Error{Msg: "not a CIDR prefix", Word: arg.text, Pos: arg.pos}
		}
		if pf.Masked() != pf {
			// pcap-filter rejects "non-network bits set" rather than
			// guessing which network was meant.
			return nil, &Error{Msg: "non-network bits set in", Word: arg.text, Pos: arg.pos}
		}
		if pf.Addr().Is4In6() {
			return nil, &Error{Msg: "IPv4-mapped prefix not supported", Word: arg.text, Pos: arg.pos}
		}
		return &node{kind: nodeNet, dir: d, prefix: pf}, nil
	}
	return nil, p.unexpected(t)
}

// direction parses an optional src/dst qualifier.
func (p *parser) direction() dir {
	switch p.peek().text {
	case "src":
		p.next()
		if p.isCombined("dst") {
			return p.combined()
		}
		return dirSrc
	case "dst":
		p.next()
		if p.isCombined("src") {
			return p.combined()
		}
		return dirDst
	}
	return dirEither
}

// isCombined reports whether "or OTHER" / "and OTHER" follows.
func (p *parser) isCombined(other string) bool {
	k := p.peek().kind
	return (k == tokOr || k == tokAnd) && p.i+1 < len(p.toks) && p.toks[p.i+1].text == other
}

// combined consumes "or X" / "and X".
func (p *parser) combined() dir {
	op := p.next()
	p.next()
	if op.kind == tokAnd {
		return dirBoth
	}
	return dirEither
}

// parsePorts parses "N" or, for portrange, "A-B" (decimal, 0–65535).
func parsePorts(t token, isRange bool) (uint16, uint16, error) {
	if !isRange {
		n, ok := parsePort(t.text)
		if !ok {
			return 0, 0, &Error{Msg: "not a port number", Word: t.text, Pos: t.pos}
		}
		return n, n, nil
	}
	a, b, found := strings.Cut(t.text, "-")
	lo, ok1 := parsePort(a)
	hi, ok2 := parsePort(b)
	if !found || !ok1 || !ok2 {
		return 0, 0, &Error{Msg: "not a port range", Word: t.text, Pos: t.pos}
	}
	if lo > hi { // libpcap swaps a reversed range
		lo, hi = hi, lo
	}
	return lo, hi, nil
}

// parsePort parses a decimal port number.
func parsePort(s string) (uint16, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 65535 {
		return 0, false
	}
	return uint16(n), true
}
