package filter

import (
	"strings"
)

// tokKind is what a token is.
type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokWord           // a bare word: field name, value, key:value or text
	tokString         // a "quoted" string (text is unquoted)
	tokLParen
	tokRParen
	tokNot // ! (alone, before a term)
	tokAnd // &&
	tokOr  // ||
	tokOp  // == = != < <= > >=
)

type token struct {
	kind tokKind
	text string // the word, the unquoted string, or the operator
	off  int    // byte offset in the source
	n    int    // length in the source, in bytes
}

// isWordByte reports whether c can be part of a bare word.
func isWordByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '(', ')', '=', '<', '>', '!', '"', '&', '|':
		return false
	}
	return true
}

// lex splits src into tokens, or returns the first lexical error.
func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '(':
			toks = append(toks, token{tokLParen, "(", i, 1})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")", i, 1})
			i++
		case c == '"':
			s, n, err := unquote(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokString, s, i, n})
			i += n
		case c == '&' || c == '|':
			if i+1 < len(src) && src[i+1] == c {
				k := tokAnd
				if c == '|' {
					k = tokOr
				}
				toks = append(toks, token{k, src[i : i+2], i, 2})
				i += 2
				break
			}
			op := "&&"
			if c == '|' {
				op = "||"
			}
			return nil, errAt(src, i, 1, "%q alone is not an operator: write %s or %s", string(c), op, wordOf(op))
		case c == '=' || c == '<' || c == '>' || c == '!':
			n := 1
			if i+1 < len(src) && src[i+1] == '=' {
				n = 2
			} else if c == '=' && i+1 < len(src) && src[i+1] == '~' {
				return nil, errAt(src, i, 2, "=~ is not an operator: write matches")
			}
			if c == '!' && n == 1 {
				toks = append(toks, token{tokNot, "!", i, 1})
			} else {
				toks = append(toks, token{tokOp, src[i : i+n], i, n})
			}
			i += n
		default:
			for i < len(src) && isWordByte(src[i]) {
				i++
			}
			toks = append(toks, token{tokWord, src[start:i], start, i - start})
		}
		if len(toks) > 4*MaxTerms {
			return nil, errAt(src, start, i-start, "more than %d terms", MaxTerms)
		}
	}
	return append(toks, token{tokEOF, "", len(src), 0}), nil
}

func wordOf(op string) string {
	if op == "&&" {
		return "and"
	}
	return "or"
}

// unquote reads the quoted string at src[i] ('"'): \" and \\ are escapes.
// It returns the string and the length of its source.
func unquote(src string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '"':
			return b.String(), j + 1 - i, nil
		case '\\':
			if j+1 < len(src) && (src[j+1] == '"' || src[j+1] == '\\') {
				j++
			}
		}
		b.WriteByte(src[j])
	}
	return "", 0, errAt(src, i, 1, "this quote is never closed")
}
