package message

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"runtime"
)

// partHashes computes the MD5, SHA-1 and SHA-256 of a part's decoded
// content (Zeek's files.log hashes). The three together cost more than
// all the rest of the dissection (about 2.5 ns a byte), so with
// Options.HashAsync a part larger than hashInline (8 KiB) is hashed on a goroutine
// of its own, on the other core, while the capture is read on: its bytes
// are copied into at most hashBuffers buffers of hashChunk bytes (a writer
// waits for a free one, so memory stays bounded), and sums waits for the
// result. The sums are the same either way.
type partHashes struct {
	md5, sha1, sha256 hash.Hash
	async             bool
	off               bool // Options.NoHashes
	size              int64
	w                 *hashWorker // the goroutine while one runs
	buf               []byte      // bytes not handed over yet
}

// hashWorker is the goroutine of one large part: it owns the hashes
// between start and end.
type hashWorker struct {
	work, free chan []byte
	done       chan struct{}
	cleanup    runtime.Cleanup
}

// Bounds of asynchronous hashing.
const (
	hashInline  = 8 << 10 // parts up to this size are hashed in place (text, mostly)
	hashChunk   = 32 << 10
	hashBuffers = 3
)

func (h *partHashes) init(async, off bool) {
	h.md5, h.sha1, h.sha256 = md5.New(), sha1.New(), sha256.New()
	h.async, h.off = async, off
}

// reset starts a new part (a goroutine still running for an abandoned one
// is ended first).
func (h *partHashes) reset() {
	h.end()
	h.md5.Reset()
	h.sha1.Reset()
	h.sha256.Reset()
	h.size = 0
}

func (h *partHashes) write(b []byte) {
	if h.off {
		return
	}
	h.size += int64(len(b))
	if h.w == nil && (!h.async || h.size <= hashInline) {
		h.md5.Write(b)
		h.sha1.Write(b)
		h.sha256.Write(b)
		return
	}
	if h.w == nil {
		h.start()
	}
	for len(b) > 0 {
		if h.buf == nil {
			h.buf = <-h.w.free
		}
		n := copy(h.buf[len(h.buf):cap(h.buf)], b)
		h.buf, b = h.buf[:len(h.buf)+n], b[n:]
		if len(h.buf) == cap(h.buf) {
			h.w.work <- h.buf
			h.buf = nil
		}
	}
}

// start hands the hashes to a new goroutine. Should the part never be
// finished (its parser dropped), the goroutine ends when the worker is
// garbage.
func (h *partHashes) start() {
	w := &hashWorker{work: make(chan []byte, hashBuffers), free: make(chan []byte, hashBuffers), done: make(chan struct{})}
	for range hashBuffers {
		w.free <- make([]byte, 0, hashChunk)
	}
	go func(md, s1, s256 hash.Hash, work <-chan []byte, free chan<- []byte, done chan<- struct{}) {
		defer close(done)
		for b := range work {
			md.Write(b)
			s1.Write(b)
			s256.Write(b)
			free <- b[:0]
		}
	}(h.md5, h.sha1, h.sha256, w.work, w.free, w.done)
	w.cleanup = runtime.AddCleanup(w, func(work chan []byte) { close(work) }, w.work)
	h.w = w
}

// end hands over what is left and waits for the goroutine: the hashes are
// the caller's again.
func (h *partHashes) end() {
	w := h.w
	if w == nil {
		return
	}
	if len(h.buf) > 0 {
		w.work <- h.buf
	}
	h.buf, h.w = nil, nil
	w.cleanup.Stop()
	close(w.work)
	<-w.done
}

// sums returns the three hashes of the part, in hex.
func (h *partHashes) sums() (md5Hex, sha1Hex, sha256Hex string) {
	if h.off {
		return "", "", ""
	}
	h.end()
	return hex.EncodeToString(h.md5.Sum(nil)), hex.EncodeToString(h.sha1.Sum(nil)), hex.EncodeToString(h.sha256.Sum(nil))
}
