package main

import (
	"io"
	"net"
	"sync"
	"time"
)

// dir is the direction of a write within the recorded connection.
type dir uint8

const (
	c2s dir = iota // client to server
	s2c            // server to client
)

// String returns "c2s" or "s2c".
func (d dir) String() string {
	if d == s2c {
		return "s2c"
	}
	return "c2s"
}

// event is one recorded step of a conversation: the bytes of one Write, or
// the half-close (FIN) of one side when fin is set.
type event struct {
	dir  dir
	data []byte
	fin  bool
}

// tape records every Write and Close of both ends of a pipe, in the order
// the peer can observe them. Recording and delivering happen under one lock,
// so the tape order is the causal order.
type tape struct {
	mu     sync.Mutex
	events []event
}

// newPipe returns the client and server ends of an in-memory connection
// whose traffic is recorded on t. Unlike net.Pipe, writes never block (so
// both sides may write at once, as TLS close_notify does) and a Read never
// returns bytes of two different Writes, which keeps buffered readers above
// it deterministic however the goroutines are scheduled.
func newPipe(t *tape, client, server net.Addr) (*end, *end) {
	c := &end{tape: t, dir: c2s, local: client, remote: server, in: newQueue()}
	s := &end{tape: t, dir: s2c, local: server, remote: client, in: newQueue()}
	c.peer, s.peer = s, c
	return c, s
}

// queue is the receive buffer of one end: whole writes, in order.
type queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	chunks [][]byte
	eof    bool // the peer closed: EOF once drained
	closed bool // this end closed: reads fail
}

func newQueue() *queue {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// end is one side of the pipe; it implements net.Conn.
type end struct {
	tape          *tape
	dir           dir
	local, remote net.Addr
	in            *queue
	peer          *end
	closeOnce     sync.Once
}

// Read returns bytes of at most one recorded Write of the peer.
func (e *end) Read(p []byte) (int, error) {
	q := e.in
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.chunks) == 0 && !q.eof && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return 0, net.ErrClosed
	}
	if len(q.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, q.chunks[0])
	if n == len(q.chunks[0]) {
		q.chunks = q.chunks[1:]
	} else {
		q.chunks[0] = q.chunks[0][n:]
	}
	return n, nil
}

// Write records p and hands a copy to the peer. Bytes written after the
// peer closed are still recorded (they were on the wire) but dropped.
func (e *end) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	buf := append([]byte(nil), p...)
	e.tape.mu.Lock()
	defer e.tape.mu.Unlock()
	if e.in.isClosed() {
		return 0, net.ErrClosed
	}
	e.tape.events = append(e.tape.events, event{dir: e.dir, data: buf})
	pq := e.peer.in
	pq.mu.Lock()
	if !pq.closed {
		pq.chunks = append(pq.chunks, buf)
		pq.cond.Broadcast()
	}
	pq.mu.Unlock()
	return len(p), nil
}

// Close records a FIN from this side; the peer reads EOF after the bytes
// already written.
func (e *end) Close() error {
	e.closeOnce.Do(func() {
		e.tape.mu.Lock()
		e.tape.events = append(e.tape.events, event{dir: e.dir, fin: true})
		pq := e.peer.in
		pq.mu.Lock()
		pq.eof = true
		pq.cond.Broadcast()
		pq.mu.Unlock()
		e.tape.mu.Unlock()
		q := e.in
		q.mu.Lock()
		q.closed = true
		q.cond.Broadcast()
		q.mu.Unlock()
	})
	return nil
}

func (q *queue) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// LocalAddr returns the address of this side.
func (e *end) LocalAddr() net.Addr { return e.local }

// RemoteAddr returns the address of the peer.
func (e *end) RemoteAddr() net.Addr { return e.remote }

// SetDeadline is a no-op: nothing here waits on the network.
func (e *end) SetDeadline(time.Time) error { return nil }

// SetReadDeadline is a no-op.
func (e *end) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline is a no-op.
func (e *end) SetWriteDeadline(time.Time) error { return nil }

// snapshot returns a copy of the recorded events.
func (t *tape) snapshot() []event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]event(nil), t.events...)
}
