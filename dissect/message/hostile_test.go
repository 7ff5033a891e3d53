package message

import (
	"encoding/base64"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

func TestSafeFilename(t *testing.T) {
	cases := []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{"../../x", "x"},
		{`..\..\windows\system32\evil.dll`, "evil.dll"},
		{"/etc/passwd", "passwd"},
		{"C:\\boot.ini", "boot.ini"},
		{"a\x00b.txt", "a_b.txt"},
		{`a\x00b.txt`, "x00b.txt"}, // the sanitized form of a NUL
		{"..", "fallback"},
		{"...hidden", "hidden"},
		{"", "fallback"},
		{"/", "fallback"},
		{"inv\u202eoice.exe.pdf", "inv_oice.exe.pdf"},
		{"a<b>c:d|e?f*.txt", "a_b_c_d_e_f_.txt"},
		{"trailing. . ", "trailing"},
	}
	for _, c := range cases {
		if got := SafeFilename(c.in, "fallback"); got != c.want {
			t.Errorf("SafeFilename(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := SafeFilename(strings.Repeat("é", 300)+".pdf", "f")
	if len(long) > maxName || !strings.HasSuffix(long, ".pdf") || !strings.HasPrefix(long, "é") || strings.ContainsRune(long, '\uFFFD') {
		t.Errorf("overlong name: %d bytes %q…, want <= %d with .pdf kept", len(long), long[:10], maxName)
	}
}

// Hostile names are kept for display (sanitized) and never used as paths.
func TestHostileFilenamesKeptSanitized(t *testing.T) {
	msg := "Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Disposition: attachment; filename=\"../../x\"\r\n\r\n1\r\n" +
		"--b\r\nContent-Disposition: attachment; filename=\"/etc/cron.d/job\"\r\n\r\n2\r\n" +
		"--b\r\nContent-Disposition: attachment; filename*=UTF-8''a%00b%1b%5b31m.txt\r\n\r\n3\r\n" +
		"--b\r\nContent-Disposition: attachment; filename=\"" + strings.Repeat("n", 5000) + ".exe\"\r\n\r\n4\r\n" +
		"--b--\r\n"
	m := parse(msg, 0, Options{})
	want := []string{"../../x", "/etc/cron.d/job", `a\x00b\x1b[31m.txt`}
	for i, w := range want {
		if got := m.Parts[i+1].Filename; got != w {
			t.Errorf("part %d filename %q, want %q", i+1, got, w)
		}
	}
	if got := SafeFilename(m.Parts[4].Filename, "f"); len(got) > maxName || !strings.HasSuffix(got, ".exe") {
		t.Errorf("overlong filename made %d bytes", len(got))
	}
}

func TestTenThousandParts(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("Content-Type: multipart/mixed; boundary=b\r\n\r\n")
	for i := 0; i < 10000; i++ {
		sb.WriteString("--b\r\nContent-Type: text/plain\r\n\r\npart " + strconv.Itoa(i) + "\r\n")
	}
	sb.WriteString("--b--\r\n")
	m := parse(sb.String(), 0, Options{})
	if len(m.Parts) != DefaultMaxParts {
		t.Fatalf("parts = %d, want %d", len(m.Parts), DefaultMaxParts)
	}
	// The message itself and 999 children are recorded; 9001 counted.
	if n := m.Limits[wire.LimitMIMEParts]; n != 10001-DefaultMaxParts {
		t.Errorf("mime-parts hits = %d, want %d", n, 10001-DefaultMaxParts)
	}
	if last := m.Parts[len(m.Parts)-1]; last.Preview != "part 998" {
		t.Errorf("last recorded part = %q, want part 998", last.Preview)
	}
}

func TestNestedThousandDeep(t *testing.T) {
	var sb strings.Builder
	for i := 0; i < 1000; i++ {
		sb.WriteString("Content-Type: multipart/mixed; boundary=b" + strconv.Itoa(i) + "\r\n\r\n--b" + strconv.Itoa(i) + "\r\n")
	}
	sb.WriteString("Content-Type: text/plain\r\n\r\ndeep\r\n")
	for i := 999; i >= 0; i-- {
		sb.WriteString("--b" + strconv.Itoa(i) + "--\r\n")
	}
	p := New(Options{})
	p.Write([]byte(sb.String()))
	if len(p.stack) > DefaultMaxDepth+1 {
		t.Errorf("stack depth %d, want <= %d", len(p.stack), DefaultMaxDepth+1)
	}
	m := p.Close()
	if m.Limits[wire.LimitMIMEDepth] != 1 || len(m.Parts) != DefaultMaxDepth+1 {
		t.Errorf("depth limit hits %d, parts %d: want 1 and %d", m.Limits[wire.LimitMIMEDepth], len(m.Parts), DefaultMaxDepth+1)
	}
	if last := m.Parts[len(m.Parts)-1]; last.Depth != DefaultMaxDepth || last.Multipart || last.Size == 0 {
		t.Errorf("deepest part %+v: want an opaque leaf at depth %d", last, DefaultMaxDepth)
	}
}

// A 300 MB base64 attachment, generated on the fly, costs no more memory
// than a small one: the heap allocated while it streams is bounded.
func TestHugeBase64PartBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("300 MB through the decoder and three hashes")
	}
	const total = 300 << 20
	p := New(Options{})
	p.Write([]byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" +
		"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.bin\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n"))
	// 57 input bytes make one 76-character line; a block of 1000 lines is
	// written repeatedly, in pieces that do not fall on line ends.
	raw := make([]byte, 57*1000)
	for i := range raw {
		raw[i] = byte(i * 31)
	}
	var block []byte
	for i := 0; i < len(raw); i += 57 {
		block = append(block, base64.StdEncoding.EncodeToString(raw[i:i+57])...)
		block = append(block, '\r', '\n')
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var decoded int64
	for decoded < total {
		for b := block; len(b) > 0; {
			n := min(len(b), 65521)
			p.Write(b[:n])
			b = b[n:]
		}
		decoded += int64(len(raw))
	}
	runtime.ReadMemStats(&after)
	p.Write([]byte("--b--\r\n"))
	m := p.Close()
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("streaming %d MB allocated %d bytes, want < 1 MiB", decoded>>20, alloc)
	}
	if pt := m.Parts[1]; pt.Size != decoded || pt.SHA256 == "" || pt.Filename != "big.bin" {
		t.Errorf("part: size %d (want %d), sha256 %q", pt.Size, decoded, pt.SHA256)
	}
}
