package live

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/bpf"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"golang.org/x/sys/unix"
)

// Capture constants.
const (
	// Snaplen is the capture length: whole packets up to 256 KiB.
	Snaplen = bpf.Snaplen
	// vlanTagLen is the room kept in front of the buffer to put back an
	// 802.1Q tag the kernel stripped (IEEE 802.1Q: TPID and TCI).
	vlanTagLen = 4
	// maxDrain bounds how many queued packets Next still returns after
	// Stop, so that a flood cannot keep a stopped capture running.
	maxDrain = 1 << 16
	// rcvBuf is the socket receive buffer asked for.
	rcvBuf = 8 << 20
)

// Options configure Open.
type Options struct {
	// Filter is the capture filter; nil means bpf.Default(false).
	Filter *bpf.Filter
	// Idle, when set, is called by Next before it waits for packets: the
	// kernel's queue is empty, the moment to flush a writer.
	Idle func()
}

// Stats counts what a capture saw.
type Stats struct {
	Packets  int64 // frames returned by Next
	Kernel   int64 // packets the kernel filter passed (tp_packets)
	Drops    int64 // packets the kernel dropped: the socket buffer was full (tp_drops)
	Outgoing int64 // loopback outgoing copies skipped
	Filtered int64 // packets the Go re-check rejected (should stay 0)
}

// Source is a live capture on one interface. Next, BytesRead and Size are
// for one reader goroutine; Stop, Stats and Close may be called from any
// goroutine.
type Source struct {
	iface    string
	loopback bool
	filter   *bpf.Filter
	idle     func()

	mu     sync.Mutex // held by Next while it reads; Close waits for it
	fd     int
	efd    int // eventfd that wakes a waiting Next on Stop
	closed bool
	buf    []byte
	oob    []byte
	frame  capture.Frame
	number int64
	bytes  atomic.Int64
	drain  int

	stopped atomic.Bool

	statsMu sync.Mutex
	stats   Stats
}

// Open opens a capture on the named interface. The interface must be
// Ethernet or loopback. It needs CAP_NET_RAW; the error says how to get it.
func Open(iface string, opts Options) (*Source, error) {
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return nil, fmt.Errorf("live: no interface named %q (smtpscope -D lists them): %w", iface, err)
	}
	hw, err := hardwareType(ifi.Name)
	if err != nil {
		return nil, err
	}
	if hw != arphrdEther && hw != arphrdLoopback {
		return nil, fmt.Errorf("live: %s is not an Ethernet interface (hardware type %s); only Ethernet and loopback interfaces are supported",
			iface, arphrdName(hw))
	}
	if opts.Filter == nil {
		f, err := bpf.Compile(bpf.Default(false))
		if err != nil {
			return nil, fmt.Errorf("live: default filter: %w", err)
		}
		opts.Filter = f
	}
	fd, err := openSocket(iface, ifi.Index, opts.Filter)
	if err != nil {
		return nil, err
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("live: eventfd: %w", err)
	}
	return &Source{
		iface:    iface,
		loopback: hw == arphrdLoopback,
		filter:   opts.Filter,
		idle:     opts.Idle,
		fd:       fd,
		efd:      efd,
		buf:      make([]byte, vlanTagLen+Snaplen),
		oob:      make([]byte, 256),
	}, nil
}

// Interface returns the interface name.
func (s *Source) Interface() string { return s.iface }

// Filter returns the capture filter.
func (s *Source) Filter() *bpf.Filter { return s.filter }

// Next returns the next captured frame, waiting for one. After Stop it
// returns the packets already queued, then io.EOF. The frame and its Data
// are valid only until the next call.
func (s *Source) Next() (*capture.Frame, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.closed {
			return nil, io.EOF
		}
		if s.stopped.Load() && s.drain >= maxDrain {
			return nil, io.EOF
		}
		data, origLen, pkttype, ts, err := recvPacket(s.fd, s.buf, s.oob)
		switch {
		case errors.Is(err, unix.EAGAIN):
			if s.stopped.Load() {
				return nil, io.EOF
			}
			if s.idle != nil {
				s.idle()
			}
			if err := s.wait(); err != nil {
				return nil, err
			}
			continue
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			return nil, fmt.Errorf("live: reading from %s: %w", s.iface, err)
		}
		if s.stopped.Load() {
			s.drain++
		}
		// packet(7): on loopback each packet passes twice; skip the
		// outgoing copy, keeping the incoming one.
		if s.loopback && pkttype == unix.PACKET_OUTGOING {
			s.count(func(st *Stats) { st.Outgoing++ })
			continue
		}
		if !s.filter.Match(data) {
			s.count(func(st *Stats) { st.Filtered++ })
			continue
		}
		s.number++
		s.bytes.Add(int64(len(data)))
		s.count(func(st *Stats) { st.Packets++ })
		if ts.IsZero() {
			ts = time.Now()
		}
		s.frame = capture.Frame{Number: s.number, Time: ts, LinkType: layers.LinkTypeEthernet,
			Data: data, OrigLen: origLen}
		return &s.frame, nil
	}
}

// wait blocks until the socket is readable or Stop is called.
func (s *Source) wait() error {
	fds := []unix.PollFd{{Fd: int32(s.fd), Events: unix.POLLIN}, {Fd: int32(s.efd), Events: unix.POLLIN}}
	for {
		_, err := unix.Poll(fds, -1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("live: waiting on %s: %w", s.iface, err)
		}
		if fds[0].Revents&(unix.POLLERR|unix.POLLNVAL) != 0 {
			return fmt.Errorf("live: capture socket on %s failed (interface removed?)", s.iface)
		}
		return nil
	}
}

// count updates the statistics.
func (s *Source) count(fn func(*Stats)) {
	s.statsMu.Lock()
	fn(&s.stats)
	s.statsMu.Unlock()
}

// Stop makes Next return io.EOF once the packets already queued in the
// kernel are read. It is safe to call from any goroutine, more than once.
func (s *Source) Stop() {
	if s.stopped.Swap(true) {
		return
	}
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1) // eventfd(2): an 8-byte counter in host order
	s.statsMu.Lock()
	if !s.closed {
		unix.Write(s.efd, one[:])
	}
	s.statsMu.Unlock()
}

// Stats returns the counts so far, including the kernel's (read with
// PACKET_STATISTICS, which resets them, so they are accumulated here).
func (s *Source) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	if !s.closed {
		s.pollKernelLocked()
	}
	return s.stats
}

// pollKernelLocked adds the kernel's counters; statsMu is held.
func (s *Source) pollKernelLocked() {
	if ks, err := unix.GetsockoptTpacketStats(s.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS); err == nil {
		s.stats.Kernel += int64(ks.Packets)
		s.stats.Drops += int64(ks.Drops)
	}
}

// BytesRead returns the bytes of the frames returned so far.
func (s *Source) BytesRead() int64 { return s.bytes.Load() }

// Size is 0: a live capture has no known end.
func (s *Source) Size() int64 { return 0 }

// Close stops the capture and releases the socket, waiting for a Next in
// progress to return. Later calls to Next return io.EOF.
func (s *Source) Close() error {
	s.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	if s.closed {
		return nil
	}
	s.pollKernelLocked()
	s.closed = true
	err := unix.Close(s.fd)
	unix.Close(s.efd)
	if err != nil {
		return fmt.Errorf("live: closing %s: %w", s.iface, err)
	}
	return nil
}
