package message

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"runtime"
	"testing"
)

// Hashing a large part on its own goroutine gives the sums of hashing it in
// place, for every size around the thresholds and any split of the bytes.
func TestAsyncHashesSame(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 3))
	data := make([]byte, 600<<10)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	sizes := []int{0, 1, hashInline - 1, hashInline, hashInline + 1, hashInline + hashChunk, hashInline + 3*hashChunk + 5, len(data)}
	for _, n := range sizes {
		want := [3]string{hexOf(md5.Sum(data[:n])), hexOf(sha1.Sum(data[:n])), hexOf(sha256.Sum256(data[:n]))}
		for _, async := range []bool{false, true} {
			var h partHashes
			h.init(async, false)
			for round := 0; round < 2; round++ { // and again after reset
				h.reset()
				for b := data[:n]; len(b) > 0; {
					k := min(len(b), 1+r.IntN(70000))
					h.write(b[:k])
					b = b[k:]
				}
				m, s1, s256 := h.sums()
				if got := [3]string{m, s1, s256}; got != want {
					t.Fatalf("size %d async %v round %d: %v, want %v", n, async, round, got, want)
				}
				if h.w != nil {
					t.Fatal("the goroutine outlives sums")
				}
			}
		}
	}
}

// A part abandoned mid-way (a new part begins) ends its goroutine at once.
func TestAsyncHashesReset(t *testing.T) {
	before := runtime.NumGoroutine()
	var h partHashes
	h.init(true, false)
	h.reset()
	h.write(make([]byte, hashInline+2*hashChunk))
	if h.w == nil || runtime.NumGoroutine() != before+1 {
		t.Fatalf("no goroutine for a large part (%d, %d)", runtime.NumGoroutine(), before)
	}
	w := h.w
	h.reset()
	select {
	case <-w.done:
	default:
		t.Fatal("reset left the goroutine running")
	}
	if h.w != nil {
		t.Fatal("reset kept the worker")
	}
	h.write([]byte("small"))
	m, _, _ := h.sums()
	if want := hexOf(md5.Sum([]byte("small"))); m != want {
		t.Fatalf("md5 after reset %s, want %s", m, want)
	}
}

func hexOf[T [16]byte | [20]byte | [32]byte](b T) string {
	switch v := any(b).(type) {
	case [16]byte:
		return hex.EncodeToString(v[:])
	case [20]byte:
		return hex.EncodeToString(v[:])
	case [32]byte:
		return hex.EncodeToString(v[:])
	}
	return ""
}

// With Options.NoHashes the sums are empty and nothing runs.
func TestNoHashes(t *testing.T) {
	var h partHashes
	h.init(true, true)
	h.reset()
	h.write(make([]byte, hashInline+3*hashChunk))
	if m, s1, s256 := h.sums(); h.w != nil || m != "" || s1 != "" || s256 != "" {
		t.Fatalf("sums %q %q %q, worker %v", m, s1, s256, h.w)
	}
}
