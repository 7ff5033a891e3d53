package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// expandHome replaces a leading "~" or "~/" with the home directory, as a
// shell would (the key log path is typed in the UI, not by a shell).
func expandHome(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return p
	}
	return home + p[1:]
}

// maxCompletions bounds the directory entries one Tab looks at.
const maxCompletions = 4096

// completePath completes the path being typed: to the one entry that
// starts with its last element (with "/" after a directory), or to the
// longest prefix the candidates share. It returns the new text and the
// candidates' names (sorted; none when nothing matches). "~" is kept as
// typed.
func completePath(text string) (string, []string) {
	dir, base := filepath.Split(text)
	readDir := expandHome(dir)
	if readDir == "" {
		readDir = "."
	}
	if text == "~" {
		return "~/", nil
	}
	f, err := os.Open(readDir)
	if err != nil {
		return text, nil
	}
	defer f.Close()
	ents, _ := f.ReadDir(maxCompletions)
	var names []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, base) || (strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		if e.IsDir() || isDirLink(filepath.Join(readDir, n), e) {
			n += "/"
		}
		names = append(names, n)
	}
	slices.Sort(names)
	switch len(names) {
	case 0:
		return text, nil
	case 1:
		return dir + names[0], names
	}
	common := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, common) {
			common = common[:len(common)-1]
		}
	}
	return dir + common, names
}

// isDirLink reports whether entry e of path p is a symbolic link to a
// directory.
func isDirLink(p string, e os.DirEntry) bool {
	if e.Type()&os.ModeSymlink == 0 {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
