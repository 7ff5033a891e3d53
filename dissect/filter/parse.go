package filter

import (
	"regexp"
	"slices"
	"strings"
)

// Bounds on what one filter can ask for.
const (
	MaxLen   = 4096 // bytes of filter text
	MaxTerms = 64   // comparisons, words and key:value terms
	MaxDepth = 32   // nesting of parentheses and negations
)

type nodeOp uint8

const (
	opAnd nodeOp = iota
	opOr
	opNot
	opCmp  // field comparison
	opText // a word anywhere in the session
)

type cmpOp uint8

const (
	cmpEq cmpOp = iota
	cmpNe
	cmpLt
	cmpLe
	cmpGt
	cmpGe
	cmpContains
	cmpMatches
	cmpIn
	cmpTrue // the bare field: bool true or count > 0
)

type node struct {
	op   nodeOp
	kids []*node
	f    *field
	cmp  cmpOp
	str  string // lower-cased text operand
	re   *regexp.Regexp
	lo   int64 // numeric operand; lo..hi for in
	hi   int64
}

// Filter is a parsed filter. The zero value and nil select everything.
type Filter struct {
	src   string
	root  *node
	words []string
}

// Parse parses src; an empty or blank src selects everything. Errors are
// *Error.
func Parse(src string) (*Filter, error) {
	if len(src) > MaxLen {
		return nil, errAt(src, MaxLen, 1, "the filter is longer than %d characters", MaxLen)
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	f := &Filter{src: src}
	if p.peek().kind == tokEOF {
		return f, nil
	}
	root, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, p.errTok(t, "this ) has no ( before it")
		}
		return nil, p.errTok(t, "unexpected %q", t.text)
	}
	f.root, f.words = root, p.words
	return f, nil
}

// String returns the filter's source.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	return f.src
}

// Empty reports whether the filter selects every session.
func (f *Filter) Empty() bool { return f == nil || f.root == nil }

// Words returns the words a search in a session's lines looks for: the
// plain words and the text of positive command, recipient, sender,
// subject and SNI terms, lower-cased.
func (f *Filter) Words() []string {
	if f == nil {
		return nil
	}
	return slices.Clone(f.words)
}

type parser struct {
	src   string
	toks  []token
	pos   int
	terms int
	words []string
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *parser) errTok(t token, format string, args ...any) error {
	return errAt(p.src, t.off, t.n, format, args...)
}

func isKeyword(t token, kw string) bool { return t.kind == tokWord && strings.EqualFold(t.text, kw) }

func (p *parser) or(depth int) (*node, error) {
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokOr && !isKeyword(t, "or") {
			return left, nil
		}
		p.next()
		if err := p.need(t, "or"); err != nil {
			return nil, err
		}
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		left = join(opOr, left, right)
	}
}

// need fails when the expression ends or closes right after op.
func (p *parser) need(op token, what string) error {
	switch t := p.peek(); t.kind {
	case tokEOF:
		return errAt(p.src, len(p.src), 1, "something must follow %q", what)
	case tokRParen:
		return p.errTok(t, "something must come between %q and )", what)
	case tokOr:
		return p.errTok(t, "%q cannot follow %q", t.text, op.text)
	}
	if t := p.peek(); isKeyword(t, "or") || isKeyword(t, "and") || t.kind == tokAnd {
		return p.errTok(t, "%q cannot follow %q", t.text, op.text)
	}
	return nil
}

func join(op nodeOp, a, b *node) *node {
	if a.op == op {
		a.kids = append(a.kids, b)
		return a
	}
	return &node{op: op, kids: []*node{a, b}}
}

// startsTerm reports whether t can begin a term (for and by juxtaposition).
func startsTerm(t token) bool {
	switch t.kind {
	case tokWord:
		return !isKeyword(t, "or") && !isKeyword(t, "and")
	case tokString, tokLParen, tokNot:
		return true
	}
	return false
}

func (p *parser) and(depth int) (*node, error) {
	left, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind == tokAnd || isKeyword(t, "and") {
			p.next()
			if err := p.need(t, "and"); err != nil {
				return nil, err
			}
		} else if !startsTerm(t) {
			if t.kind == tokOp {
				return nil, p.errTok(t, "%s needs a field name before it", t.text)
			}
			return left, nil
		}
		right, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		left = join(opAnd, left, right)
	}
}

func (p *parser) unary(depth int) (*node, error) {
	t := p.peek()
	if depth >= MaxDepth {
		return nil, p.errTok(t, "nested deeper than %d", MaxDepth)
	}
	if t.kind == tokNot || isKeyword(t, "not") {
		p.next()
		if err := p.need(t, "not"); err != nil {
			return nil, err
		}
		save := len(p.words)
		k, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		p.words = p.words[:save] // a negated word is not searched for
		return &node{op: opNot, kids: []*node{k}}, nil
	}
	return p.primary(depth)
}

func (p *parser) primary(depth int) (*node, error) {
	t := p.next()
	switch t.kind {
	case tokEOF:
		return nil, errAt(p.src, len(p.src), 1, "the filter ends too early")
	case tokLParen:
		if p.peek().kind == tokRParen {
			return nil, p.errTok(p.peek(), "nothing between ( and )")
		}
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tokRParen {
			if c.kind == tokEOF {
				return nil, p.errTok(t, "this ( is never closed")
			}
			return nil, p.errTok(c, "unexpected %q (a ) was expected)", c.text)
		}
		p.next()
		return n, nil
	case tokRParen:
		return nil, p.errTok(t, "this ) has no ( before it")
	case tokOp:
		return nil, p.errTok(t, "%s needs a field name before it", t.text)
	case tokOr, tokAnd:
		return nil, p.errTok(t, "%q needs something before it", t.text)
	case tokString:
		return p.text(t, t.text)
	}
	if isKeyword(t, "or") || isKeyword(t, "and") {
		return nil, p.errTok(t, "%q needs something before it", t.text)
	}
	// A comparison: FIELD OP VALUE, FIELD in LO..HI.
	if nt := p.peek(); nt.kind == tokOp || isKeyword(nt, "contains") || isKeyword(nt, "matches") || isKeyword(nt, "in") {
		f, ok := lookup(t.text)
		if !ok {
			if nt.kind == tokOp && !strings.Contains(t.text, ":") {
				return nil, p.unknown(t, t.text)
			}
		} else {
			return p.comparison(f, t)
		}
	}
	if name, val, ok := strings.Cut(t.text, ":"); ok && isIdent(name) && !strings.Contains(val, ":") {
		return p.keyValue(t, name, val)
	}
	if f, ok := lookup(t.text); ok && f.bare {
		return p.add(t, &node{op: opCmp, f: f, cmp: cmpTrue})
	}
	return p.text(t, t.text)
}

// isIdent reports whether s looks like a field name (a letter first, then
// letters, digits, '_' and '.').
func isIdent(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func (p *parser) add(t token, n *node) (*node, error) {
	p.terms++
	if p.terms > MaxTerms {
		return nil, p.errTok(t, "more than %d terms", MaxTerms)
	}
	return n, nil
}

func (p *parser) text(t token, s string) (*node, error) {
	if s == "" {
		return nil, p.errTok(t, "empty text")
	}
	low := strings.ToLower(s)
	p.words = append(p.words, low)
	return p.add(t, &node{op: opText, str: low})
}

func (p *parser) unknown(t token, name string) error {
	if near := nearest(strings.ToLower(name)); near != "" {
		return p.errTok(t, "unknown field %q (did you mean %s?)", name, near)
	}
	return p.errTok(t, "unknown field %q (the fields: smtpscope report --filter help)", name)
}

// comparison parses the operator and value after field name t.
func (p *parser) comparison(f *field, name token) (*node, error) {
	opTok := p.next()
	n := &node{op: opCmp, f: f}
	switch strings.ToLower(opTok.text) {
	case "==", "=":
		n.cmp = cmpEq
	case "!=":
		n.cmp = cmpNe
	case "<":
		n.cmp = cmpLt
	case "<=":
		n.cmp = cmpLe
	case ">":
		n.cmp = cmpGt
	case ">=":
		n.cmp = cmpGe
	case "contains":
		n.cmp = cmpContains
	case "matches":
		n.cmp = cmpMatches
	case "in":
		n.cmp = cmpIn
	}
	switch {
	case f.kind == kindString && n.cmp >= cmpLt && n.cmp <= cmpGe:
		return nil, p.errTok(opTok, "%s is text: compare it with ==, !=, contains or matches", f.name)
	case f.kind == kindString && n.cmp == cmpIn:
		return nil, p.errTok(opTok, "%s is text: in takes numbers (frame in 100..200)", f.name)
	case f.kind != kindString && (n.cmp == cmpContains || n.cmp == cmpMatches):
		return nil, p.errTok(opTok, "%s is %s: %s works on text", f.name, f.kind, opTok.text)
	}
	v := p.next()
	switch v.kind {
	case tokEOF:
		return nil, errAt(p.src, len(p.src), 1, "%s %s needs a value", name.text, opTok.text)
	case tokWord, tokString:
	default:
		return nil, p.errTok(v, "%s %s needs a value before %q", name.text, opTok.text, v.text)
	}
	if n.cmp == cmpIn {
		return p.span(n, v)
	}
	if err := p.operand(n, v, v.text); err != nil {
		return nil, err
	}
	if n.cmp == cmpEq || n.cmp == cmpContains {
		p.searchable(n)
	}
	return p.add(name, n)
}

// span reads LO..HI (one word, or LO .. HI) for in.
func (p *parser) span(n *node, v token) (*node, error) {
	lo, hi, ok := strings.Cut(v.text, "..")
	hiOff := v.off + len(lo) + 2
	if !ok {
		if dots := p.peek(); dots.kind == tokWord && strings.HasPrefix(dots.text, "..") {
			p.next()
			hi, hiOff = dots.text[2:], dots.off+2
			if hi == "" {
				h := p.next()
				if h.kind != tokWord {
					return nil, p.errTok(h, "in needs a range: LOW..HIGH")
				}
				hi, hiOff = h.text, h.off
			}
		} else {
			return nil, p.errTok(v, "in needs a range: LOW..HIGH (frame in 100..200)")
		}
	}
	a, okA := parseNum(n.f.kind, lo)
	if !okA {
		return nil, errAt(p.src, v.off, len(lo), "%q is not %s", lo, n.f.kind)
	}
	b, okB := parseNum(n.f.kind, hi)
	if !okB {
		return nil, errAt(p.src, hiOff, len(hi), "%q is not %s", hi, n.f.kind)
	}
	if a > b {
		return nil, errAt(p.src, v.off, hiOff+len(hi)-v.off, "the range %s..%s is empty", lo, hi)
	}
	n.lo, n.hi = a, b
	return p.add(v, n)
}

// operand reads the value of a comparison.
func (p *parser) operand(n *node, v token, text string) error {
	if n.f.kind == kindString {
		n.str = strings.ToLower(text)
		if n.f.name == "tls" && n.str == "plain" {
			n.str = "none"
		}
		if n.cmp == cmpMatches {
			if len(text) > 256 {
				return p.errTok(v, "the pattern is longer than 256 characters")
			}
			re, err := regexp.Compile("(?i)" + text)
			if err != nil {
				return p.errTok(v, "%q is not a regular expression", text)
			}
			n.re = re
			return nil
		}
		if n.f.enum != nil && (n.cmp == cmpEq || n.cmp == cmpNe) && !slices.Contains(n.f.enum, n.str) {
			return p.errTok(v, "%s %q (want %s)", n.f.name, text, orList(n.f.enum))
		}
		return nil
	}
	num, ok := parseNum(n.f.kind, text)
	if !ok {
		if text == "" {
			return p.errTok(v, "%s needs a value", n.f.name)
		}
		return p.errTok(v, "%s: %q is not %s", n.f.name, text, n.f.kind)
	}
	n.lo = num
	return nil
}

func orList(vals []string) string {
	if len(vals) < 2 {
		return strings.Join(vals, "")
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}

// searchable adds the text of a positive term on a line's contents to the
// search words.
func (p *parser) searchable(n *node) {
	switch n.f.name {
	case "commands.verb", "messages.rcpt_to", "messages.mail_from", "messages.subject", "tls.sni":
		p.words = append(p.words, n.str)
	}
}

// keyValue parses the original key:value terms (port:587 tls:none
// cmd:AUTH); any field name works as a key.
func (p *parser) keyValue(t token, name, val string) (*node, error) {
	f, ok := lookup(name)
	if !ok {
		return nil, p.unknown(token{off: t.off, n: len(name)}, name)
	}
	v := token{kind: tokWord, text: val, off: t.off + len(name) + 1, n: len(val)}
	if val == "" {
		return nil, errAt(p.src, t.off, t.n, "%q needs a value", name+":")
	}
	n := &node{op: opCmp, f: f, cmp: cmpEq}
	if f.kind != kindString && strings.Contains(val, "..") {
		n.cmp = cmpIn
		return p.span(n, v)
	}
	switch {
	case f.name == "findings.code":
		// finding:crit is a severity, finding:starttls a code.
		n.cmp = cmpContains
		n.str = strings.ToLower(val)
		if r, ok := parseNum(kindSeverity, val); ok {
			sev := &node{op: opCmp, f: mustLookup("findings.severity"), cmp: cmpEq, lo: r}
			return p.add(t, &node{op: opOr, kids: []*node{n, sev}})
		}
		return p.add(t, n)
	case f.kind == kindString && f.enum == nil && f.name != "commands.verb":
		n.cmp = cmpContains
	}
	if err := p.operand(n, v, val); err != nil {
		return nil, err
	}
	p.searchable(n)
	return p.add(t, n)
}

func mustLookup(name string) *field {
	f, ok := lookup(name)
	if !ok {
		panic("filter: no field " + name)
	}
	return f
}

// nearest returns the field name closest to name (at most two edits), or "".
func nearest(name string) string {
	best, bestD := "", 3
	for i := range fields {
		for _, n := range append([]string{fields[i].name}, fields[i].alias...) {
			if d := distance(name, n, bestD); d < bestD {
				best, bestD = fields[i].name, d
			}
		}
	}
	return best
}

// distance is the edit distance of a and b, or limit when it is at least limit.
func distance(a, b string, limit int) int {
	if len(a) > 64 || len(b) > 64 {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
