package cmd

import (
	"fmt"
	"os"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
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

// demoKeys returns the key log the demo's generator wrote, for commands run
// on the embedded demo without --keylog.
func (e *env) demoKeys() (*tlsdecrypt.KeyLog, error) {
	keys := tlsdecrypt.NewKeyLog(tlsdecrypt.KeyLogOptions{})
	kf, err := pcaps.FS().Open(pcaps.KeyLog(pcaps.Demo()))
	if err != nil {
		return nil, fmt.Errorf("cmd: demo key log: %w", err)
	}
	defer kf.Close()
	if err := keys.Read(kf); err != nil {
		return nil, fmt.Errorf("cmd: demo key log: %w", err)
	}
	return keys, nil
}
