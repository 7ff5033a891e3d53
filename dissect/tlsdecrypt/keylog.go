package tlsdecrypt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Key log limits (ARCHITECTURE.md, "Limits"): each is configurable in
// KeyLogOptions and every hit is counted in KeyLogStats.
const (
	// DefaultMaxKeyLogBytes bounds the text read into one KeyLog.
	DefaultMaxKeyLogBytes = 64 << 20
	// DefaultMaxKeyLogLines bounds the lines read into one KeyLog.
	DefaultMaxKeyLogLines = 1_000_000
	// maxLineLen bounds one key log line; the longest valid line
	// (CLIENT_HANDSHAKE_TRAFFIC_SECRET, 64 + 96 hex digits) has 192 bytes.
	maxLineLen = 1024
	// maxBadLines bounds the bad lines kept with their line numbers; the
	// rest are only counted.
	maxBadLines = 100
)

// KeyLogOptions are the limits of a KeyLog. Zero fields take the defaults.
type KeyLogOptions struct {
	MaxBytes int64 // text read, over every Read and AddDSB call
	MaxLines int64 // lines read, over every Read and AddDSB call
}

// BadLine is a key log line that was ignored, and why.
type BadLine struct {
	Line   int    // 1-based line number within its source
	Reason string // sanitized
}

// KeyLogStats counts what a KeyLog read.
type KeyLogStats struct {
	Bytes   int64 // text read
	Lines   int64 // lines read (including comments and blank lines)
	Entries int64 // secrets stored (a repeated line counts once per line)
	Bad     int64 // lines ignored as malformed or unsupported
	// BadLines holds the first bad lines with their line numbers.
	BadLines []BadLine
	// Truncated is set when a limit stopped reading; the rest was ignored.
	Truncated bool
	// CutBy names the limit that stopped reading ("bytes" or "lines"),
	// CutLimit its value and CutLine the line of its source where it
	// stopped; set with Truncated.
	CutBy    string
	CutLimit int64
	CutLine  int
}

// CutNote says in one plain sentence where and why reading stopped, or ""
// when nothing was cut (issue 12, defect 2: a cut is never silent).
func (s KeyLogStats) CutNote() string {
	if !s.Truncated {
		return ""
	}
	what := itoa(int(s.CutLimit)) + " lines"
	if s.CutBy == "bytes" {
		what = sizeText(s.CutLimit)
	}
	return "key log cut at its limit of " + what + " (line " + itoa(s.CutLine) +
		"): later secrets were not read; raise --keylog-max-" + s.CutBy
}

// sizeText spells a byte count in MiB when it is a whole number of them.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return itoa(int(n>>20)) + " MiB"
	}
	return itoa(int(n)) + " bytes"
}

// Secrets are the key log entries of one TLS connection, keyed by its
// ClientHello.random. Absent secrets are nil. The slices are shared: do not
// modify them.
type Secrets struct {
	// MasterSecret is the TLS ≤ 1.2 master secret (label CLIENT_RANDOM),
	// 48 bytes (RFC 5246, Section 8.1).
	MasterSecret []byte
	// TLS 1.3 secrets (RFC 8446, Section 7.1), one hash length each.
	ClientHandshake []byte // CLIENT_HANDSHAKE_TRAFFIC_SECRET
	ServerHandshake []byte // SERVER_HANDSHAKE_TRAFFIC_SECRET
	ClientTraffic0  []byte // CLIENT_TRAFFIC_SECRET_0
	ServerTraffic0  []byte // SERVER_TRAFFIC_SECRET_0
	Exporter        []byte // EXPORTER_SECRET
	EarlyExporter   []byte // EARLY_EXPORTER_SECRET
	ClientEarly     []byte // CLIENT_EARLY_TRAFFIC_SECRET
}

// KeyLog holds the secrets of an NSS key log, by client random. It is not
// safe for concurrent use; a KeyLog that is only looked up may be shared.
type KeyLog struct {
	opts    KeyLogOptions
	secrets map[[32]byte]*Secrets
	stats   KeyLogStats
}

// NewKeyLog returns an empty key log with the given limits.
func NewKeyLog(opts KeyLogOptions) *KeyLog {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxKeyLogBytes
	}
	if opts.MaxLines <= 0 {
		opts.MaxLines = DefaultMaxKeyLogLines
	}
	return &KeyLog{opts: opts, secrets: make(map[[32]byte]*Secrets)}
}

// ParseKeyLog reads an NSS key log (the SSLKEYLOGFILE format) with the
// default limits. Malformed lines are counted in Stats, never fatal; the
// error is only for a failing reader.
func ParseKeyLog(r io.Reader) (*KeyLog, error) {
	k := NewKeyLog(KeyLogOptions{})
	if err := k.Read(r); err != nil {
		return k, err
	}
	return k, nil
}

// Read adds the entries of a key log text to k; line numbers in Stats count
// from 1 for each call. Only an error of r is returned.
func (k *KeyLog) Read(r io.Reader) error {
	br := bufio.NewReaderSize(r, maxLineLen)
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		long := false
		for errors.Is(err, bufio.ErrBufferFull) {
			// An overlong line: count its bytes, keep nothing.
			if !k.count(int64(len(line)), n) {
				return nil
			}
			long = true
			line, err = br.ReadSlice('\n')
		}
		if len(line) > 0 {
			if !k.count(int64(len(line)), n) || !k.countLine(n) {
				return nil
			}
			if long {
				k.bad(n, "line longer than "+itoa(maxLineLen)+" bytes")
			} else {
				k.addLine(n, line)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("tlsdecrypt: reading key log: %w", err)
		}
	}
}

// AddDSB adds the payload of a pcapng Decryption Secrets Block of secrets
// type TLS Key Log (0x544c534b), which holds key log text
// (draft-ietf-opsawg-pcapng, Section 4.7).
func (k *KeyLog) AddDSB(payload []byte) {
	// A bytes.Reader never fails.
	_ = k.Read(bytes.NewReader(payload))
}

// count adds n bytes read and reports whether the byte limit still holds.
func (k *KeyLog) count(n int64, line int) bool {
	if k.stats.Truncated {
		return false
	}
	if k.stats.Bytes+n > k.opts.MaxBytes {
		k.cut("bytes", k.opts.MaxBytes, line)
		return false
	}
	k.stats.Bytes += n
	return true
}

// countLine counts a line and reports whether the line limit still holds.
func (k *KeyLog) countLine(line int) bool {
	if k.stats.Lines >= k.opts.MaxLines {
		k.cut("lines", k.opts.MaxLines, line)
		return false
	}
	k.stats.Lines++
	return true
}

// cut records that a limit stopped reading.
func (k *KeyLog) cut(by string, limit int64, line int) {
	k.stats.Truncated = true
	k.stats.CutBy, k.stats.CutLimit, k.stats.CutLine = by, limit, line
}

// bad records an ignored line.
func (k *KeyLog) bad(n int, reason string) {
	k.stats.Bad++
	if len(k.stats.BadLines) < maxBadLines {
		k.stats.BadLines = append(k.stats.BadLines, BadLine{Line: n, Reason: reason})
	}
}

// addLine parses one line and stores its secret.
func (k *KeyLog) addLine(n int, line []byte) {
	e, reason := parseLine(line)
	switch {
	case reason != "":
		k.bad(n, reason)
		return
	case e.label == labelNone:
		return // comment or blank line
	}
	s := k.secrets[e.random]
	if s == nil {
		s = &Secrets{}
		k.secrets[e.random] = s
	}
	// The last line wins, as in Wireshark.
	*e.label.field(s) = e.secret
	k.stats.Entries++
}

// Add merges the entries of other into k (other's win on conflict). Limits
// apply to text read, not to merged entries; other is not modified.
func (k *KeyLog) Add(other *KeyLog) {
	if other == nil || other == k {
		return
	}
	for r, o := range other.secrets {
		s := k.secrets[r]
		if s == nil {
			s = &Secrets{}
			k.secrets[r] = s
		}
		for l := labelFirst; l <= labelLast; l++ {
			if v := *l.field(o); v != nil {
				*l.field(s) = v
			}
		}
	}
	st := other.stats
	k.stats.Entries += st.Entries
	k.stats.Bad += st.Bad
	for _, b := range st.BadLines {
		if len(k.stats.BadLines) < maxBadLines {
			k.stats.BadLines = append(k.stats.BadLines, b)
		}
	}
	if st.Truncated && !k.stats.Truncated {
		k.stats.Truncated, k.stats.CutBy, k.stats.CutLimit, k.stats.CutLine = true, st.CutBy, st.CutLimit, st.CutLine
	}
}

// Lookup returns the secrets logged for a ClientHello.random.
func (k *KeyLog) Lookup(clientRandom [32]byte) (Secrets, bool) {
	if k == nil {
		return Secrets{}, false
	}
	s, ok := k.secrets[clientRandom]
	if !ok {
		return Secrets{}, false
	}
	return *s, true
}

// Len returns the number of client randoms with secrets.
func (k *KeyLog) Len() int {
	if k == nil {
		return 0
	}
	return len(k.secrets)
}

// Stats returns what k read so far.
func (k *KeyLog) Stats() KeyLogStats {
	st := k.stats
	st.BadLines = append([]BadLine(nil), st.BadLines...)
	return st
}
