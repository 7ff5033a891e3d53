package tlsdecrypt

import (
	"bytes"
	"encoding/hex"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// label is a key log line label (NSS key log format).
type label uint8

const (
	labelNone label = iota // comment or blank line
	labelClientRandom
	labelClientHandshake
	labelServerHandshake
	labelClientTraffic0
	labelServerTraffic0
	labelExporter
	labelEarlyExporter
	labelClientEarly

	labelFirst = labelClientRandom
	labelLast  = labelClientEarly
)

// labelOf maps the label text of a line.
func labelOf(s []byte) label {
	switch string(s) {
	case "CLIENT_RANDOM":
		return labelClientRandom
	case "CLIENT_HANDSHAKE_TRAFFIC_SECRET":
		return labelClientHandshake
	case "SERVER_HANDSHAKE_TRAFFIC_SECRET":
		return labelServerHandshake
	case "CLIENT_TRAFFIC_SECRET_0":
		return labelClientTraffic0
	case "SERVER_TRAFFIC_SECRET_0":
		return labelServerTraffic0
	case "EXPORTER_SECRET":
		return labelExporter
	case "EARLY_EXPORTER_SECRET":
		return labelEarlyExporter
	case "CLIENT_EARLY_TRAFFIC_SECRET":
		return labelClientEarly
	}
	return labelNone
}

// field returns the Secrets field a label fills.
func (l label) field(s *Secrets) *[]byte {
	switch l {
	case labelClientRandom:
		return &s.MasterSecret
	case labelClientHandshake:
		return &s.ClientHandshake
	case labelServerHandshake:
		return &s.ServerHandshake
	case labelClientTraffic0:
		return &s.ClientTraffic0
	case labelServerTraffic0:
		return &s.ServerTraffic0
	case labelExporter:
		return &s.Exporter
	case labelEarlyExporter:
		return &s.EarlyExporter
	}
	return &s.ClientEarly
}

// entry is one parsed key log line.
type entry struct {
	label  label
	random [32]byte
	secret []byte
}

// parseLine parses one key log line: "<label> <client_random hex> <secret
// hex>". It returns labelNone for comments and blank lines, or a reason
// (sanitized) for a line it ignores.
func parseLine(line []byte) (entry, string) {
	var e entry
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] == '#' {
		return e, ""
	}
	f := bytes.Fields(line)
	if len(f) != 3 {
		return e, "want 3 fields, got " + itoa(len(f)) + ": " + quote(line)
	}
	e.label = labelOf(f[0])
	if e.label == labelNone {
		// Also RSA and "RSA Session-ID:" lines of Wireshark's own format.
		return e, "unsupported label " + quote(f[0])
	}
	if hex.DecodedLen(len(f[1])) != len(e.random) {
		return e, "client random is not 32 bytes of hex: " + quote(f[1])
	}
	if _, err := hex.Decode(e.random[:], f[1]); err != nil {
		return e, "client random is not hex: " + quote(f[1])
	}
	n := hex.DecodedLen(len(f[2]))
	switch {
	case e.label == labelClientRandom && n != 48:
		// RFC 5246, Section 8.1: the master secret is 48 bytes.
		return e, "master secret is not 48 bytes of hex: " + quote(f[2])
	case e.label != labelClientRandom && n != 32 && n != 48:
		// RFC 8446, Section 7.1: a secret is Hash.length bytes (SHA-256
		// or SHA-384 for the defined suites).
		return e, "secret is not 32 or 48 bytes of hex: " + quote(f[2])
	}
	e.secret = make([]byte, n)
	if _, err := hex.Decode(e.secret, f[2]); err != nil {
		return e, "secret is not hex: " + quote(f[2])
	}
	return e, ""
}

// quote shows at most 40 bytes of untrusted text.
func quote(b []byte) string {
	if len(b) > 40 {
		return sanitize.String(strconv.Quote(string(b[:40])) + "...")
	}
	return sanitize.String(strconv.Quote(string(b)))
}

func itoa(n int) string { return strconv.Itoa(n) }
