package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeLinks: every relative link and image in README.md names a file
// in the repository (the diagram the README shows is a golden file that
// dissect/diagram's tests keep current).
func TestReadmeLinks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\]\(([^)#\s]+)`).FindAllStringSubmatch(string(b), -1)
	n := 0
	for _, m := range links {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		n++
		if _, err := os.Stat(filepath.Join("..", target)); err != nil {
			t.Errorf("README.md links to %s: %v", target, err)
		}
	}
	if n == 0 {
		t.Errorf("README.md has no relative link; the demo diagram image is missing")
	}
}
