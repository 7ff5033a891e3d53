package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
)

// session is one TCP connection of a scenario.
type session struct {
	link   link
	server serverConfig
	// client drives the conversation on conn; keys receives TLS secrets.
	client func(conn net.Conn, keys io.Writer) error
	// script, when set, is the whole conversation written by hand (attack
	// scenarios that no well-behaved client or server would produce);
	// server and client are then unused.
	script []event
	// capture alters what the capture point sees (drops, reordering); nil
	// keeps every packet.
	capture func(evs []event, pkts []packet) ([]packet, error)
}

// scenario is one output capture.
type scenario struct {
	name     string // file name without extension
	about    string // one line for README.md
	limit    int    // maximum pcap size in bytes
	sessions []session
}

// output is a generated capture.
type output struct {
	pcap, keys []byte
	frames     int
}

// run records one session: the server and the client talk over a recorded
// pipe, then the conversation becomes TCP packets.
func (s session) run(keys io.Writer) ([]frame, error) {
	if s.script != nil {
		return s.frames(append([]event(nil), s.script...))
	}
	var t tape
	cc, sc := newPipe(&t, net.TCPAddrFromAddrPort(s.link.client.addr), net.TCPAddrFromAddrPort(s.link.server.addr))
	done := make(chan error, 1)
	go func() {
		err := serveSMTP(sc, s.server)
		sc.Close() // unblocks the client if the server failed
		done <- err
	}()
	cerr := s.client(cc, keys)
	cc.Close()
	if err := errors.Join(cerr, <-done); err != nil {
		return nil, fmt.Errorf("gen: session %v: %w", s.link.client.addr, err)
	}
	return s.frames(t.snapshot())
}

// frames turns a recorded conversation into serialised TCP packets, as the
// capture point sees them.
func (s session) frames(evs []event) ([]frame, error) {
	pkts := packetize(s.link, evs)
	if s.capture != nil {
		var err error
		if pkts, err = s.capture(evs, pkts); err != nil {
			return nil, err
		}
	}
	frames := make([]frame, 0, len(pkts))
	for _, p := range pkts {
		data, err := serialize(s.link, p)
		if err != nil {
			return nil, err
		}
		frames = append(frames, frame{p: p, data: data})
	}
	return frames, nil
}

// build runs every session of sc and merges their packets by time.
func (sc scenario) build() (output, error) {
	var keys bytes.Buffer
	var all []frame
	for _, s := range sc.sessions {
		frames, err := s.run(&keys)
		if err != nil {
			return output{}, fmt.Errorf("gen: %s: %w", sc.name, err)
		}
		all = append(all, frames...)
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].p.t.Before(all[b].p.t) })
	var pcap bytes.Buffer
	if err := writePcap(&pcap, all); err != nil {
		return output{}, err
	}
	if pcap.Len() > sc.limit {
		return output{}, fmt.Errorf("gen: %s: %d bytes, over the %d byte limit", sc.name, pcap.Len(), sc.limit)
	}
	return output{pcap: pcap.Bytes(), keys: keys.Bytes(), frames: len(all)}, nil
}
