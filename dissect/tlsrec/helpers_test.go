package tlsrec

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// collector is a Sink keeping deep copies of the records.
type collector struct {
	recs []Record
	// onRecord, when set, is called with each record (during the call).
	onRecord func(r *Record)
}

func (c *collector) Record(r *Record) {
	cp := *r
	cp.Fragment = bytes.Clone(r.Fragment)
	cp.Handshake = slices.Clone(r.Handshake)
	if r.Alert != nil {
		a := *r.Alert
		cp.Alert = &a
	}
	c.recs = append(c.recs, cp)
	if c.onRecord != nil {
		c.onRecord(r)
	}
}

// render spells a record sequence for comparisons and failure messages.
func render(recs []Record) string {
	var sb strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&sb, "%s frame %d (first %d) type %d ver %04x len %d enc %v partial %v missing %d frag %x alert %v %q\n",
			r.Dir, r.Pos.Frame, r.FirstPos.Frame, r.Type, r.Version, r.Length, r.Encrypted, r.Partial, r.Missing,
			r.Fragment, r.Alert, r.Summary)
		for _, h := range r.Handshake {
			fmt.Fprintf(&sb, "  hs %d len %d err %q", h.Type, h.Length, h.Err)
			if ch := h.ClientHello; ch != nil {
				fmt.Fprintf(&sb, " ch %s %s %v", ch.JA3, ch.JA4, ch.ALPN)
			}
			if sh := h.ServerHello; sh != nil {
				fmt.Fprintf(&sb, " sh %+v", *sh)
			}
			for _, c := range h.Certificates {
				fmt.Fprintf(&sb, " cert %+v", c)
			}
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// frame is one captured chunk of one direction.
type frame struct {
	dir  wire.Dir
	data []byte
}

// posOf is the position given to frame i (1-based frame numbers).
func posOf(i int) wire.Pos {
	return wire.Pos{Frame: int64(i + 1), Time: time.Unix(1700000000, int64(i)*1000).UTC()}
}

// splitter cuts one frame's bytes into Feed calls.
type splitter func(b []byte) [][]byte

func whole(b []byte) [][]byte { return [][]byte{b} }

func oneByte(b []byte) [][]byte {
	out := make([][]byte, len(b))
	for i := range b {
		out[i] = b[i : i+1]
	}
	return out
}

// randomSplits returns a splitter cutting at pseudo-random places.
func randomSplits(seed uint64) splitter {
	rng := rand.New(rand.NewPCG(seed, 1))
	return func(b []byte) [][]byte {
		var out [][]byte
		for len(b) > 0 {
			n := 1 + rng.IntN(min(len(b), 700))
			out = append(out, b[:n])
			b = b[n:]
		}
		return out
	}
}

// replay feeds frames in capture order to one parser per direction, calling
// SetEncrypted on the client's parser the way the session builder does.
func replay(t testing.TB, frames []frame, split splitter) (c2s, s2c []Record) {
	t.Helper()
	var cc, sc collector
	client := NewParser(wire.ClientToServer, Options{}, &cc)
	server := NewParser(wire.ServerToClient, Options{}, &sc)
	sc.onRecord = func(r *Record) {
		if r.SelectsTLS13() {
			client.SetEncrypted()
		}
	}
	for i, f := range frames {
		p := client
		if f.dir == wire.ServerToClient {
			p = server
		}
		for _, piece := range split(f.data) {
			p.Feed(piece, posOf(i))
		}
	}
	end := posOf(len(frames))
	client.Close(end)
	server.Close(end)
	return cc.recs, sc.recs
}

// wantRecord is a record as framed independently of the parser.
type wantRecord struct {
	typ    uint8
	ver    uint16
	length int
	frame  int64 // frame holding the last byte
	first  int64 // frame holding the first byte
}

// frameIndependently frames one direction by hand, to check the parser.
func frameIndependently(frames []frame, dir wire.Dir) []wantRecord {
	var stream []byte
	var owner []int64 // frame of each byte
	for i, f := range frames {
		if f.dir != dir {
			continue
		}
		stream = append(stream, f.data...)
		for range f.data {
			owner = append(owner, posOf(i).Frame)
		}
	}
	var out []wantRecord
	for off := 0; off+5 <= len(stream); {
		n := int(stream[off+3])<<8 | int(stream[off+4])
		end := off + 5 + n
		if end > len(stream) {
			break
		}
		out = append(out, wantRecord{
			typ: stream[off], ver: uint16(stream[off+1])<<8 | uint16(stream[off+2]), length: n,
			frame: owner[end-1], first: owner[off],
		})
		off = end
	}
	return out
}
