package bpf

import "fmt"

// tokKind is the kind of a token.
type tokKind int

// Token kinds.
const (
	tokEOF tokKind = iota
	tokWord
	tokLParen
	tokRParen
	tokNot // "!" or "not"
	tokAnd // "&&" or "and"
	tokOr  // "||" or "or"
)

// token is one lexeme with its 1-based byte position in the expression.
type token struct {
	kind tokKind
	text string
	pos  int
}

// maxExprLen bounds the expression text.
const maxExprLen = 4096

// lex splits an expression into tokens.
func lex(s string) ([]token, error) {
	if len(s) > maxExprLen {
		return nil, fmt.Errorf("bpf: expression longer than %d bytes", maxExprLen)
	}
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "(", i + 1})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")", i + 1})
			i++
		case c == '!':
			toks = append(toks, token{tokNot, "!", i + 1})
			i++
		case c == '&' || c == '|':
			if i+1 >= len(s) || s[i+1] != c {
				return nil, &Error{Msg: "unsupported word", Word: s[i : i+1], Pos: i + 1}
			}
			k := tokAnd
			if c == '|' {
				k = tokOr
			}
			toks = append(toks, token{k, s[i : i+2], i + 1})
			i += 2
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			w := s[i:j]
			k := tokWord
			switch w {
			case "and":
				k = tokAnd
			case "or":
				k = tokOr
			case "not":
				k = tokNot
			}
			toks = append(toks, token{k, w, i + 1})
			i = j
		default:
			j := i + 1
			for j < len(s) && s[j] >= 0x80 { // keep a UTF-8 sequence whole
				j++
			}
			return nil, &Error{Msg: "unsupported character", Word: s[i:j], Pos: i + 1}
		}
	}
	return append(toks, token{tokEOF, "", len(s) + 1}), nil
}

// isWordByte reports whether c can be part of a word: letters, digits and
// the punctuation of addresses, prefixes and ranges.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == ':' || c == '/' || c == '-' || c == '_'
}

// Error is a filter expression the compiler does not accept.
type Error struct {
	Msg  string // e.g. "unsupported word"
	Word string // the offending text (empty at the end of the input)
	Pos  int    // 1-based byte position in the expression
}

// Error formats as `bpf: unsupported word "udp" at 1`.
func (e *Error) Error() string {
	if e.Word == "" {
		return fmt.Sprintf("bpf: %s at %d (end of expression)", e.Msg, e.Pos)
	}
	return fmt.Sprintf("bpf: %s %q at %d", e.Msg, e.Word, e.Pos)
}
