package smtp

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// scanResult is everything a body scan decides.
type scanResult struct {
	consumed  int
	done      bool
	size      int64
	smuggle   Smuggling
	keep      string
	emitted   string
	cand      Smuggling
	candSize  int64
	tail      string
	truncated bool
}

// scanBody feeds data in pieces of at most step bytes.
func scanBody(data []byte, step int, keepBody bool) scanResult {
	var r scanResult
	var out bytes.Buffer
	sc := bodyScanner{out: func(b []byte) { out.Write(b) }}
	sc.reset(1 << 20)
	sc.keepBody = keepBody
	for len(data) > 0 {
		n, done := sc.feed(data[:min(step, len(data))])
		data, r.consumed = data[n:], r.consumed+n
		if done {
			r.done = true
			break
		}
	}
	sc.flush()
	r.size, r.smuggle, r.keep, r.emitted = sc.size, sc.smuggle, string(sc.keep), out.String()
	r.cand, r.candSize, r.tail, r.truncated = sc.cand, sc.candSize, string(sc.tail), sc.truncated
	return r
}

// TestPlainLinesSameAsLineByLine: the run-of-plain-lines fast path past
// the header section decides exactly what the line-by-line scan decides
// (sizes, dot-unstuffed bytes handed on, smuggling evidence, the end of
// data and the look-alike's tail) on random bodies made of the awkward
// pieces: dots at line starts, bare CR and LF, "\r.\r", lines of one
// length, fed whole, in segments and byte by byte.
func TestPlainLinesSameAsLineByLine(t *testing.T) {
	pieces := []string{"\r\n", "\r\n", "\r\n", "QUJDREVGR0hJSktMTU5PUFFS", "abc", ".", "..", "\r", "\n", "\r.\r", "\n.\n",
		"\r\n.\r\n", "\r\n\r\n", "x\r\ny\r\n", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpB\r\n"}
	r := rand.New(rand.NewPCG(14, 2))
	for iter := 0; iter < 4000; iter++ {
		var b bytes.Buffer
		b.WriteString("Subject: x\r\n\r\n")
		if r.IntN(3) == 0 {
			b.Reset() // the header section ends late, or never
			b.WriteString("Subject: y\r\n")
		}
		for n := r.IntN(60); n > 0; n-- {
			if r.IntN(3) == 0 {
				// a run of equal lines, sometimes with a surprise inside
				line := bytes.Repeat([]byte("Q"), 1+r.IntN(80))
				for k := r.IntN(30); k > 0; k-- {
					b.Write(line)
					b.WriteString("\r\n")
				}
				continue
			}
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		if r.IntN(2) == 0 {
			b.WriteString("\r\n.\r\nQUIT\r\n")
		}
		data := b.Bytes()
		for _, keepBody := range []bool{false, true} {
			want := scanBody(data, 1, keepBody)
			for _, step := range []int{len(data) + 1, 1448, 7, 64} {
				if got := scanBody(data, step, keepBody); got != want {
					t.Fatalf("body %q, pieces of %d, keepBody %v:\n got %+v\nwant %+v", data, step, keepBody, got, want)
				}
			}
		}
	}
}
