package engine

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/flow"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// The two-stage pipeline: a reader goroutine reads frames and decodes them
// to TCP segments, which it copies into batches (frames and their buffers
// are reused by the source and the decoder); the caller's goroutine feeds
// the batches, in order, to the tracker and the builder, exactly as the
// one-thread loop of Run would. A bounded number of batches is in flight,
// recycled through a free list, so memory does not grow with the file.

// pipeDepth is how many batches are in flight between the two goroutines.
const pipeDepth = 4

// batchBytes is the payload a batch holds before it is handed over.
const batchBytes = 1 << 20

// itemKind says what an item of a batch is.
type itemKind uint8

const (
	itemSegment itemKind = iota // a TCP segment
	itemSecret                  // a pcapng Decryption Secrets Block, before the frames it decrypts
	itemIdle                    // a live source went quiet until idle
)

// item is one decoded segment (or secret) of a batch: the TCP fields the
// tracker reads, and its payload as a range of the batch's arena. It holds
// no pointer (the frame's time is its seconds and nanoseconds, a secret an
// index into the batch's secrets), so that the garbage collector never
// scans a batch's items.
type item struct {
	kind     itemKind
	net      gopacket.Flow
	sp, dp   uint16
	flags    uint8
	seq, ack uint32
	off, n   int // payload in the arena; for itemSecret, n indexes secrets
	// cut, snap: payload bytes the snap length cut, and the bytes kept of
	// the frame (flow.EvCut).
	cut, snap int32
	ipLen     int32 // the IP datagram's length (capture.Segment.IPLen)
	frame     int64
	sec       int64
	nsec      int32
}

// at is where the item's frame came from. Capture times are UTC
// (package capture), and so is this.
func (it *item) at() wire.Pos {
	return wire.Pos{Frame: it.frame, Time: time.Unix(it.sec, int64(it.nsec)).UTC()}
}

// itemTime sets the item's time.
func (it *item) setTime(t time.Time) { it.sec, it.nsec = t.Unix(), int32(t.Nanosecond()) }

// TCP flags as items keep them.
const (
	flagSYN = 1 << iota
	flagACK
	flagFIN
	flagRST
)

// batchFramesRead bounds the frames read for one batch, TCP or not.
const batchFramesRead = 1 << 16

// batch is what the reader hands over at once.
type batch struct {
	items   []item
	arena   []byte
	secrets [][]byte
	frames  int64 // frames read for this batch (every frame, TCP or not)
	bytes   int64 // the source's BytesRead after it
	// decompressed is the source's Decompressed after it.
	decompressed int64
	decode       capture.DecodeStats // the decoder's counts after it
	err          error               // the source's last error (io.EOF at the end); ends the run
}

func (b *batch) reset() {
	clear(b.secrets)
	b.items, b.arena, b.secrets = b.items[:0], b.arena[:0], b.secrets[:0]
	b.frames, b.err = 0, nil
}

// runPipelined is Run with reading and decoding on their own goroutine.
func runPipelined(ctx context.Context, src Source, opts Options, t Target, keys *tlsdecrypt.KeyLog, b *build.Builder, tr *flow.Tracker, dec *capture.Decoder, start time.Time) (Stats, error) {
	full := make(chan *batch, pipeDepth)
	free := make(chan *batch, pipeDepth+1)
	for range pipeDepth + 1 {
		free <- &batch{items: make([]item, 0, opts.BatchFrames), arena: make([]byte, 0, batchBytes+capture.DefaultMaxRecord)}
	}
	quit, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		readBatches(src, opts, dec, full, free, quit)
	}()
	// The reader is gone when Run returns: the caller may close src.
	defer func() {
		close(quit)
		<-exited
	}()

	var st Stats
	var runErr error
	var tcp layers.TCP
	for done := false; !done; {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		bt := <-full
		t.Batch(func(p *session.Progress) {
			for i := range bt.items {
				it := &bt.items[i]
				switch it.kind {
				case itemSecret:
					keys.AddDSB(bt.secrets[it.n])
				case itemIdle:
					tr.Advance(it.at().Time)
				case itemSegment:
					tcp.SrcPort, tcp.DstPort = layers.TCPPort(it.sp), layers.TCPPort(it.dp)
					tcp.Seq, tcp.Ack = it.seq, it.ack
					tcp.SYN, tcp.ACK = it.flags&flagSYN != 0, it.flags&flagACK != 0
					tcp.FIN, tcp.RST = it.flags&flagFIN != 0, it.flags&flagRST != 0
					tcp.Payload = bt.arena[it.off : it.off+it.n : it.off+it.n]
					tr.PacketIP(it.net, &tcp, int(it.ipLen), it.at())
					if it.cut > 0 {
						tr.Cut(it.net, &tcp, int(it.cut), int(it.snap), it.at())
					}
				}
			}
			st.Frames += bt.frames
			st.Bytes, st.Decompressed = bt.bytes, bt.decompressed
			st.Decode = bt.decode
			if bt.err != nil {
				done = true
				if !errors.Is(bt.err, io.EOF) {
					runErr = bt.err
				}
				tr.Flush()
			}
			b.Settle()
			fill(p, &st, src.Size(), tr, b, bt.decode, start)
			if done {
				p.Done = true
				if runErr != nil {
					p.Errors = append(p.Errors, sanitize.String(runErr.Error()))
				}
			}
		})
		bt.reset()
		free <- bt
	}
	st.Flow = tr.Stats()
	st.Duration = time.Since(start)
	return st, runErr
}

// readBatches reads and decodes src into batches until its end or quit.
// A batch is handed over when it is full, at the end, or when the source
// has no frame at hand (a pipe, a live interface), so that a slow source is
// shown as it comes.
func readBatches(src Source, opts Options, dec *capture.Decoder, full, free chan *batch, quit <-chan struct{}) {
	secrets, _ := src.(secretSource)
	ready, _ := src.(readySource)
	seen := 0
	for {
		var bt *batch
		select {
		case bt = <-free:
		case <-quit:
			return
		}
		// Frames that are not TCP count too (batchFramesRead), so that
		// progress goes on through a capture with none (a bomb of empty
		// records, a UDP capture).
		for len(bt.items) < opts.BatchFrames && len(bt.arena) < batchBytes && bt.frames < batchFramesRead && bt.err == nil {
			if len(bt.items) > 0 && ready != nil && !ready.Ready() {
				break
			}
			f, err := src.Next()
			if err != nil {
				var idle Idle
				if errors.As(err, &idle) {
					it := item{kind: itemIdle}
					it.setTime(idle.Now)
					bt.items = append(bt.items, it)
					break
				}
				bt.err = err
				break
			}
			bt.frames++
			if secrets != nil && secrets.SecretsSeen() > seen {
				// pcapng Decryption Secrets Blocks come before the packets
				// they decrypt: they are handed over in their place.
				all := secrets.Secrets()
				for _, sec := range all[seen:] {
					bt.items = append(bt.items, item{kind: itemSecret, n: len(bt.secrets)})
					bt.secrets = append(bt.secrets, sec)
				}
				seen = len(all)
			}
			seg, ok := dec.Decode(f)
			if !ok {
				continue
			}
			tcp := seg.TCP
			it := item{kind: itemSegment, net: seg.Net, sp: uint16(tcp.SrcPort), dp: uint16(tcp.DstPort),
				seq: tcp.Seq, ack: tcp.Ack, off: len(bt.arena), n: len(tcp.Payload), frame: f.Number,
				cut: int32(min(seg.Missing, 1<<30)), snap: int32(min(len(f.Data), 1<<30)), ipLen: int32(min(seg.IPLen, 1<<30))}
			it.setTime(f.Time)
			if tcp.SYN {
				it.flags |= flagSYN
			}
			if tcp.ACK {
				it.flags |= flagACK
			}
			if tcp.FIN {
				it.flags |= flagFIN
			}
			if tcp.RST {
				it.flags |= flagRST
			}
			bt.arena = append(bt.arena, tcp.Payload...)
			bt.items = append(bt.items, it)
		}
		bt.bytes, bt.decompressed = src.BytesRead(), decompressed(src)
		bt.decode = dec.Stats()
		last := bt.err != nil // bt is the other goroutine's once sent
		select {
		case full <- bt:
		case <-quit:
			return
		}
		if last {
			return
		}
	}
}
