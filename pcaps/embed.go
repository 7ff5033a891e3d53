// Package pcaps holds smtpscope's sample captures: small scenario pcaps that
// the project generates itself (see internal/gen and README.md), and a few
// pcapng files recorded on loopback from real software (recorded-*.pcapng),
// embedded in the binary as the demo and used by golden tests. Captures with
// TLS have their NSS key log next to them (NAME.keys for NAME.pcap or
// NAME.pcapng).
package pcaps

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

//go:generate go run ./internal/gen -out .

// files is the embedded captures and key logs; a package variable because
// the embed directive needs one. It is never modified.
//
//go:embed *.pcap *.pcapng *.keys
var files embed.FS

// demoName is the capture smtpscope opens when given no file.
const demoName = "demo.pcap"

// FS returns the embedded captures and key logs, read-only, at the root.
func FS() fs.FS { return files }

// Names returns the names of the embedded captures (*.pcap and *.pcapng),
// sorted.
func Names() []string {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries { // ReadDir returns entries sorted by name
		if isCapture(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// Demo returns the name of the default capture: several interleaved
// sessions, one good and one bad, with its key log.
func Demo() string { return demoName }

// KeyLog returns the name of the key log that decrypts the capture name, or
// "" when it has none (no TLS).
func KeyLog(name string) string {
	if !isCapture(name) {
		return ""
	}
	keys := strings.TrimSuffix(name, path.Ext(name)) + ".keys"
	if _, err := fs.Stat(files, keys); err != nil {
		return ""
	}
	return keys
}

// isCapture reports whether name is a capture file: classic pcap or pcapng.
func isCapture(name string) bool {
	ext := path.Ext(name)
	return ext == ".pcap" || ext == ".pcapng"
}
