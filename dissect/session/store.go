package session

import (
	"github.com/smtpscope/smtpscope/dissect/wire"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Progress describes how far reading a capture has got.
type Progress struct {
	Source     string // file name or interface
	Bytes      int64  // bytes of the capture read so far
	TotalBytes int64  // file size, 0 when unknown (stdin, live)
	// Decompressed counts the bytes after gzip decompression, 0 when the
	// capture is not gzipped (shown so that a decompression bomb is seen).
	Decompressed int64
	Packets      int64         // frames read
	Sessions     int           // SMTP sessions found
	Streams      int64         // TCP connections seen
	Elapsed      time.Duration // wall time since reading started
	Done         bool          // the whole input was read
	// Limits counts each limit that was hit, by name (e.g. "flows",
	// "reassembly-total", "smtp-line"); never silent.
	Limits wire.Counts
	// Errors holds decode errors (sanitized text naming file and offset).
	Errors []string
	// Drops is the kernel's drop counter for live captures.
	Drops int64
	// LinkSkipped counts frames skipped because smtpscope cannot decode
	// their link type; LinkType is the first such type (LINKTYPE_ value).
	LinkSkipped int64
	LinkType    int
}

// LinkText says which frames were skipped for their link type ("" when
// none), e.g. "12 frames skipped: link type 127 cannot be decoded".
func (p *Progress) LinkText() string {
	if p.LinkSkipped == 0 {
		return ""
	}
	n := strconv.FormatInt(p.LinkSkipped, 10) + " frames"
	if p.LinkSkipped == 1 {
		n = "1 frame"
	}
	return n + " skipped: link type " + strconv.Itoa(p.LinkType) +
		" cannot be decoded (smtpscope reads Ethernet, Linux cooked SLL/SLL2, BSD loopback and raw IPv4/IPv6)"
}

// Store holds the sessions of one capture while it is read, so that a viewer
// can watch them appear. The builder mutates sessions only inside Update; a
// viewer reads them only inside View. Both are cheap enough to call per batch
// of packets, not per byte.
type Store struct {
	mu       sync.RWMutex
	sessions []*Session
	progress Progress
	version  atomic.Uint64
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{progress: Progress{Limits: wire.Counts{}}}
}

// Update runs fn with the write lock held and marks the store changed. fn
// may append sessions through add and change any session or the progress.
func (s *Store) Update(fn func(add func(*Session), p *Progress)) {
	s.mu.Lock()
	fn(func(x *Session) {
		s.sessions = append(s.sessions, x)
		s.progress.Sessions = len(s.sessions)
	}, &s.progress)
	s.mu.Unlock()
	s.version.Add(1)
}

// View runs fn with the read lock held. fn must not keep the slice, the
// sessions or the progress' maps beyond the call.
func (s *Store) View(fn func(sessions []*Session, p *Progress)) {
	s.mu.RLock()
	fn(s.sessions, &s.progress)
	s.mu.RUnlock()
}

// Version increases with every Update; a viewer redraws when it changed.
func (s *Store) Version() uint64 { return s.version.Load() }

// UpdateAll runs fn on every session with the write lock held, for passes
// over the whole capture (cross-session findings at the end of a file).
func (s *Store) UpdateAll(fn func(sessions []*Session, p *Progress)) {
	s.mu.Lock()
	fn(s.sessions, &s.progress)
	s.mu.Unlock()
	s.version.Add(1)
}
