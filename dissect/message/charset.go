package message

import (
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// wordDecoder decodes RFC 2047 encoded words in any charset golang.org/x/text
// knows (mime.WordDecoder alone knows UTF-8, ISO-8859-1 and US-ASCII).
func wordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: func(charset string, in io.Reader) (io.Reader, error) {
		enc, err := lookup(charset)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(in), nil
	}}
}

// lookup finds a charset by its MIME name (RFC 2978) or a WHATWG label.
func lookup(name string) (encoding.Encoding, error) {
	name = strings.TrimSpace(strings.ToLower(name))
	if e, err := htmlindex.Get(name); err == nil {
		return e, nil
	}
	if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("message: unknown charset %q", name)
}

// toUTF8 converts text in charset to UTF-8. An unknown charset leaves the
// bytes as they are (the sanitizer then shows what is not UTF-8) and is
// reported; a cut multi-byte sequence at the end is dropped.
func toUTF8(b []byte, charset string) (string, error) {
	switch charset {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return string(trimPartialRune(b)), nil
	}
	enc, err := lookup(charset)
	if err != nil {
		return string(trimPartialRune(b)), err
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return string(trimPartialRune(b)), fmt.Errorf("message: charset %q: %w", charset, err)
	}
	return string(out), nil
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b (a
// preview cut in the middle of a character).
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}
