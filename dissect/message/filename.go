package message

import (
	"strings"
	"unicode/utf8"
)

// maxName bounds a file name made by SafeFilename, in bytes (most file
// systems allow 255).
const maxName = 200

// SafeFilename turns a file name given in a message (Part.Filename, which
// the sender chose) into one that is safe to create inside a directory:
// only its last path element (after "/" or "\"), no control bytes, no
// characters Windows forbids, no leading dots (no hidden files, no ".."),
// at most 200 bytes with the extension kept. It returns fallback when
// nothing is left.
func SafeFilename(name, fallback string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			b.WriteByte('_')
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2060, r == 0xfeff:
			// Bidi and invisible characters could disguise the extension.
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(b.String(), ". ")
	s = strings.TrimRight(s, ". ")
	if len(s) > maxName {
		ext := ""
		if i := strings.LastIndexByte(s, '.'); i >= 0 && len(s)-i <= 16 {
			ext = s[i:]
		}
		head := s[:maxName-len(ext)]
		for len(head) > 0 && !utf8.ValidString(head) {
			head = head[:len(head)-1]
		}
		s = head + ext
	}
	if s == "" {
		return fallback
	}
	return s
}
