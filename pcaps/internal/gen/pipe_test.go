package main

import (
	"errors"
	"io"
	"net"
	"testing"
)

func TestPipeReadsNeverCrossWrites(t *testing.T) {
	var tp tape
	c, s := newPipe(&tp, &net.TCPAddr{}, &net.TCPAddr{})
	for _, w := range []string{"EHLO x\r\n", "MAIL FROM:<a>\r\n"} {
		if _, err := c.Write([]byte(w)); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	buf := make([]byte, 64)
	var got []string
	for {
		n, err := s.Read(buf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(buf[:n]))
	}
	want := []string{"EHLO x\r\n", "MAIL FROM:<a>\r\n"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("reads = %q, want %q", got, want)
	}
}

func TestPipeShortReadKeepsRest(t *testing.T) {
	var tp tape
	c, s := newPipe(&tp, &net.TCPAddr{}, &net.TCPAddr{})
	c.Write([]byte("abcdef"))
	c.Write([]byte("gh"))
	buf := make([]byte, 4)
	var got []string
	for range 3 {
		n, err := s.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(buf[:n]))
	}
	if want := []string{"abcd", "ef", "gh"}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("reads = %q, want %q", got, want)
	}
}

func TestPipeRecordsOrderAndLateWrites(t *testing.T) {
	var tp tape
	c, s := newPipe(&tp, &net.TCPAddr{}, &net.TCPAddr{})
	s.Write([]byte("220\r\n"))
	c.Write([]byte("QUIT\r\n"))
	c.Close()
	c.Close() // a second Close records nothing
	if _, err := s.Write([]byte("late")); err != nil {
		t.Fatalf("write after the peer closed = %v, want nil (bytes are on the wire)", err)
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write on a closed end = %v, want net.ErrClosed", err)
	}
	s.Close()
	type rec struct {
		dir  dir
		data string
		fin  bool
	}
	want := []rec{{s2c, "220\r\n", false}, {c2s, "QUIT\r\n", false}, {c2s, "", true}, {s2c, "late", false}, {s2c, "", true}}
	got := tp.snapshot()
	if len(got) != len(want) {
		t.Fatalf("recorded %d events, want %d: %+v", len(got), len(want), got)
	}
	for i, e := range got {
		if r := (rec{e.dir, string(e.data), e.fin}); r != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, r, want[i])
		}
	}
}
