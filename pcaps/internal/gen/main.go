// Command gen writes smtpscope's sample captures: each scenario is a real
// conversation between net/smtp (or a raw line client) and a small SMTP
// server, over an in-memory connection with crypto/tls on both sides,
// recorded write by write and written as Ethernet/IP/TCP packets to a pcap,
// with the TLS secrets in an NSS key log next to it.
//
// Usage (from pcaps/, via go generate):
//
//	go run ./internal/gen -out .
//
// Every size, sequence number, time and frame number is the same on every
// run; only the TLS key material and ciphertext change.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", ".", "directory to write the captures, key logs and README.md into")
	flag.Parse()
	if err := generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// generate writes every scenario's NAME.pcap (and NAME.keys when it has TLS)
// and README.md into dir.
func generate(dir string) error {
	cert, pool, err := serverCert()
	if err != nil {
		return err
	}
	var rows []readmeRow
	for _, sc := range scenarios(cert, pool) {
		out, err := sc.build()
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, sc.name+".pcap"), out.pcap, 0o644); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		keys := ""
		if len(out.keys) > 0 {
			keys = sc.name + ".keys"
			if err := os.WriteFile(filepath.Join(dir, keys), out.keys, 0o644); err != nil {
				return fmt.Errorf("gen: %w", err)
			}
		}
		rows = append(rows, readmeRow{file: sc.name + ".pcap", keys: keys, frames: out.frames,
			sessions: len(sc.sessions), size: len(out.pcap), about: sc.about})
	}
	return os.WriteFile(filepath.Join(dir, "README.md"), []byte(readme(rows)), 0o644)
}
