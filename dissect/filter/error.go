package filter

import (
	"fmt"
	"unicode/utf8"
)

// Error is a filter that cannot be parsed: Msg says why in plain words,
// Offset is the byte offset in Src of the part it is about (len(Src) for
// "the filter ended too early"), Len that part's length in bytes (at least 1).
type Error struct {
	Src    string
	Offset int
	Len    int
	Msg    string
}

// Error returns "filter: column N: MSG"; errtext takes the package off.
func (e *Error) Error() string {
	return fmt.Sprintf("filter: column %d: %s", e.Column(), e.Msg)
}

// Column is the 1-based column (in characters) the error points at.
func (e *Error) Column() int {
	off := min(max(e.Offset, 0), len(e.Src))
	return utf8.RuneCountInString(e.Src[:off]) + 1
}

func errAt(src string, off, n int, format string, args ...any) *Error {
	if n < 1 {
		n = 1
	}
	return &Error{Src: src, Offset: off, Len: n, Msg: fmt.Sprintf(format, args...)}
}
