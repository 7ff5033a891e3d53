package bpf

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// Snaplen is the capture length the compiled program accepts packets with
// (the value tcpdump and Wireshark use).
const Snaplen = 262144

// Default filters when none is given: the SMTP ports of FINDINGS.md ("Port
// roles") plus the common alternative 2525, or every TCP packet.
const (
	DefaultSMTP = "tcp port 25 or tcp port 465 or tcp port 587 or tcp port 2525"
	DefaultAny  = "tcp"
)

// Default returns the filter used when the user gives none: DefaultAny
// with anyPort, else DefaultSMTP.
func Default(anyPort bool) string {
	if anyPort {
		return DefaultAny
	}
	return DefaultSMTP
}

// Filter is a compiled capture filter: a classic BPF program and the same
// predicate in Go. A Filter is immutable and safe for concurrent use.
type Filter struct {
	expr string
	root *node
	prog []bpf.Instruction
	raw  []bpf.RawInstruction
}

// Compile parses expr and compiles it. Errors are *Error values naming the
// unsupported word and its position, or a size error.
func Compile(expr string) (*Filter, error) {
	root, err := parse(expr)
	if err != nil {
		return nil, err
	}
	prog, err := compile(root)
	if err != nil {
		return nil, err
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("bpf: assembling %q: %w", expr, err)
	}
	return &Filter{expr: expr, root: root, prog: prog, raw: raw}, nil
}

// String returns the expression the filter was compiled from.
func (f *Filter) String() string { return f.expr }

// Instructions returns the program (for bpf.NewVM); do not modify it.
func (f *Filter) Instructions() []bpf.Instruction { return f.prog }

// Raw returns the assembled program (for SO_ATTACH_FILTER); do not modify
// it.
func (f *Filter) Raw() []bpf.RawInstruction { return f.raw }

// Match reports whether the Ethernet frame passes the filter: exactly what
// the BPF program decides, including rejecting a frame too short for a
// field the expression reads.
func (f *Filter) Match(frame []byte) bool { return match(f.root, frame) }
