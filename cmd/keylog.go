package cmd

import (
	"fmt"
	"os"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
)

// loadKeyLog reads an NSS key log (SSLKEYLOGFILE); "" means none. Bad lines
// are reported on stderr, never fatal.
func (e *env) loadKeyLog(path string) (*tlsdecrypt.KeyLog, error) {
	keys := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
	if path == "" {
		return keys, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cmd: key log: %w", err)
	}
	defer f.Close()
	if err := keys.Read(f); err != nil {
		return nil, fmt.Errorf("cmd: key log %s: %w", path, err)
	}
	st := keys.Stats()
	for i, bad := range st.BadLines {
		if i == 5 {
			fmt.Fprintf(e.stderr, "smtpscope: %s: %d more bad lines\n", sanitize.String(path), len(st.BadLines)-i)
			break
		}
		fmt.Fprintf(e.stderr, "smtpscope: %s: line %d: %s\n", sanitize.String(path), bad.Line, sanitize.String(bad.Reason))
	}
	return keys, nil
}
