package cmd

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// pickCapture lists files (numbered from 1, with their sizes) on stderr and
// reads the number of the one to open from stdin: `smtpscope --pick
// FILE...` or a directory, for a set of rotated captures too large to
// read as one.
func (e *env) pickCapture(files []string) (string, error) {
	for i, f := range files {
		size := ""
		if fi, err := os.Stat(f); err == nil {
			size = "  " + strconv.FormatInt(fi.Size(), 10) + " bytes"
		}
		fmt.Fprintf(e.stderr, "%3d  %s%s\n", i+1, sanitize.String(f), size)
	}
	fmt.Fprintf(e.stderr, "open which capture (1-%d)? ", len(files))
	if e.stdin == nil {
		return "", fmt.Errorf("cmd: --pick: no input to read the choice from")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("cmd: --pick: reading the choice: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || n < 1 || n > len(files) {
		return "", fmt.Errorf("cmd: --pick: %q is not a number from 1 to %d", sanitize.String(strings.TrimSpace(line)), len(files))
	}
	return files[n-1], nil
}
