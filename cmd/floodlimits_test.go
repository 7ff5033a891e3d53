package cmd

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// floodTarget keeps no session, only counts, and samples the live heap
// after a forced GC at every batch: the peak is what the limits bound.
type floodTarget struct {
	p        session.Progress
	finished int
	last     *session.Session
	peak     uint64
	base     uint64
}

func (f *floodTarget) Batch(fn func(p *session.Progress)) {
	fn(&f.p)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > f.base && ms.HeapAlloc-f.base > f.peak {
		f.peak = ms.HeapAlloc - f.base
	}
}
func (f *floodTarget) Candidate(int64)             {}
func (f *floodTarget) Started(*session.Session)    {}
func (f *floodTarget) Finished(s *session.Session) { f.finished++; f.last = s }
func (f *floodTarget) Dropped(int64)               {}

// flood runs the engine on the capture at path with opts and checks that
// the limit was counted and the live heap stayed under maxHeap bytes. It
// returns the target (for more checks) and the run's error.
func flood(t *testing.T, path string, opts engine.Options, limit wire.Limit, maxHeap uint64) (*floodTarget, error) {
	t.Helper()
	src, err := capture.Open(path, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if opts.BatchFrames == 0 {
		opts.BatchFrames = 512
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	ft := &floodTarget{base: ms.HeapAlloc}
	_, runErr := engine.Run(context.Background(), src, opts, ft)
	t.Logf("%s: limits %v, peak live heap %.1f MiB (bound %d MiB), %d sessions", filepath.Base(path), ft.p.Limits,
		float64(ft.peak)/(1<<20), maxHeap>>20, ft.finished)
	if limit != 0 && ft.p.Limits[limit] == 0 {
		t.Errorf("%s: limit %s not counted: %v", filepath.Base(path), limit, ft.p.Limits)
	}
	if ft.peak > maxHeap {
		t.Errorf("%s: peak live heap %d MiB, want under %d MiB", filepath.Base(path), ft.peak>>20, maxHeap>>20)
	}
	return ft, runErr
}

// smtpStart is a session up to its EHLO reply.
func smtpStart(p *pcapBuilder, i int) *tcpConv {
	c := p.conv(i, 25)
	c.server("220 mx ESMTP\r\n")
	c.client("EHLO flood\r\n")
	c.server("250-mx\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 CHUNKING\r\n")
	return c
}

// Issue 12, deliver 3: a flood per limit, each far past its bound; the
// limit is counted and the live heap stays bounded. (The flow flood is
// TestSYNFloodMemory; the key log flood TestKeyLogFloodBounded.)
func TestFloodLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~150 MB of captures")
	}
	dir := t.TempDir()
	mk := func(name string, fill func(p *pcapBuilder)) string {
		path := filepath.Join(dir, name+".pcap")
		p := newPcapBuilder(t, path)
		fill(p)
		p.close()
		return path
	}
	const MiB = 1 << 20
	t.Run("line", func(t *testing.T) {
		// One 24 MiB line: cut at 16 KiB (smtp-line), never buffered.
		path := mk("line", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			c.client("NOOP " + strings.Repeat("a", 24*MiB) + "\r\n")
			c.server("250 ok\r\n")
			c.fin()
		})
		flood(t, path, engine.Options{}, wire.LimitSMTPLine, 16*MiB)
	})
	t.Run("pipeline", func(t *testing.T) {
		// 300,000 commands the server never answers: 1,000 queued.
		path := mk("pipeline", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			c.client(strings.Repeat("NOOP\r\n", 300_000))
			c.fin()
		})
		flood(t, path, engine.Options{}, wire.LimitSMTPPipeline, 48*MiB)
	})
	t.Run("rcpt", func(t *testing.T) {
		// 200,000 RCPTs in one transaction: 1,000 kept.
		path := mk("rcpt", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			c.client("MAIL FROM:<a@example.org>\r\n")
			c.server("250 ok\r\n")
			var cmds, replies strings.Builder
			for i := 0; i < 200_000; i++ {
				fmt.Fprintf(&cmds, "RCPT TO:<r%d@example.net>\r\n", i)
				replies.WriteString("250 ok\r\n")
			}
			c.client(cmds.String())
			c.server(replies.String())
			c.fin()
		})
		flood(t, path, engine.Options{}, wire.LimitSMTPRcpt, 80*MiB)
	})
	t.Run("timeline", func(t *testing.T) {
		// 150,000 answered commands, one segment each: events, commands
		// and replies past 100,000 are counted, not kept.
		path := mk("timeline", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			for i := 0; i < 150_000; i++ {
				c.client("NOOP\r\n")
				c.server("250 ok\r\n")
			}
			c.fin()
		})
		ft, _ := flood(t, path, engine.Options{BatchFrames: 16384}, wire.LimitTimeline, 72*MiB)
		if ft.p.Limits[wire.LimitSMTPItems] == 0 {
			t.Errorf("smtp-items not counted: %v", ft.p.Limits)
		}
	})
	t.Run("message", func(t *testing.T) {
		// A message with a 40 MiB body, one with a 24 MiB header section:
		// never kept whole.
		path := mk("message", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			line := strings.Repeat("x", 998) + "\r\n"
			hdr := "X-Flood: " + strings.Repeat("y", 989) + "\r\n"
			for _, msg := range []string{"Subject: big\r\n\r\n" + strings.Repeat(line, 40*MiB/len(line)),
				strings.Repeat(hdr, 24*MiB/len(hdr)) + "\r\nbody\r\n"} {
				c.client("MAIL FROM:<a@example.org>\r\n")
				c.server("250 ok\r\n")
				c.client("RCPT TO:<b@example.net>\r\n")
				c.server("250 ok\r\n")
				c.client("DATA\r\n")
				c.server("354 go\r\n")
				c.client(msg + ".\r\n")
				c.server("250 queued\r\n")
			}
			c.fin()
		})
		// The message layer keeps a preview and bounded headers; without
		// it the SMTP parser keeps 1 MiB for the header summary.
		ft, _ := flood(t, path, engine.Options{}, wire.LimitMIMEPreview, 8*MiB)
		if ft.p.Limits[wire.LimitMIMEHeaderBytes] == 0 {
			t.Errorf("mime-header-bytes not counted: %v", ft.p.Limits)
		}
		opts := engine.Options{}
		opts.Session.NoContent = true
		flood(t, path, opts, wire.LimitSMTPBody, 8*MiB)
	})
	t.Run("mime", func(t *testing.T) {
		// Multiparts nested 2,000 deep, then 50,000 parts.
		path := mk("mime", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			for _, body := range []string{nestedMIME(2000), manyParts(50_000)} {
				c.client("MAIL FROM:<a@example.org>\r\n")
				c.server("250 ok\r\n")
				c.client("RCPT TO:<b@example.net>\r\n")
				c.server("250 ok\r\n")
				c.client("DATA\r\n")
				c.server("354 go\r\n")
				c.client(body + "\r\n.\r\n")
				c.server("250 queued\r\n")
			}
			c.fin()
		})
		ft, _ := flood(t, path, engine.Options{}, wire.LimitMIMEDepth, 8*MiB)
		if ft.p.Limits[wire.LimitMIMEParts] == 0 {
			t.Errorf("mime-parts not counted: %v", ft.p.Limits)
		}
	})
	t.Run("tls-handshake", func(t *testing.T) {
		// After STARTTLS, a ClientHello claiming 16 MiB, sent in full:
		// skipped past 64 KiB (tls-handshake-size).
		path := mk("tls", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			c.client("STARTTLS\r\n")
			c.server("220 go ahead\r\n")
			total := 0xfffff0
			first := []byte{1, byte(total >> 16), byte(total >> 8), byte(total)}
			frag := make([]byte, 16384)
			copy(frag, first)
			for sent := 0; sent < total+4; sent += len(frag) {
				rec := append([]byte{22, 3, 1, byte(len(frag) >> 8), byte(len(frag))}, frag...)
				c.send(true, rec, 0)
				clear(frag[:4])
			}
			c.fin()
		})
		flood(t, path, engine.Options{}, wire.LimitTLSHandshakeSize, 8*MiB)
	})
	t.Run("reassembly-per-connection", func(t *testing.T) {
		// A hole never filled, then 6 MiB after it: 2 MiB queued.
		path := mk("ooo", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			c.gap(100)
			c.client(strings.Repeat("z", 6*MiB))
			c.fin()
		})
		flood(t, path, engine.Options{}, wire.LimitReassemblyBuffer, 5*MiB)
	})
	t.Run("reassembly-total", func(t *testing.T) {
		// 12 connections with 900 KiB each behind a hole, under a 1 MiB
		// per-connection bound: the 4 MiB total bound is what holds.
		path := mk("ooo-total", func(p *pcapBuilder) {
			var cs []*tcpConv
			for i := 0; i < 12; i++ {
				c := smtpStart(p, i+1)
				c.gap(100)
				cs = append(cs, c)
			}
			for k := 0; k < 900*1024/1400; k++ {
				for _, c := range cs {
					c.send(true, []byte(strings.Repeat("z", 1400)), 0)
				}
			}
		})
		opts := engine.Options{}
		opts.Flow.MaxBufferedPerConn, opts.Flow.MaxBufferedTotal = 1*MiB, 4*MiB
		flood(t, path, opts, wire.LimitReassemblyBuffer, 8*MiB)
	})
	t.Run("capture-record", func(t *testing.T) {
		// A record claiming 1 GiB: an error naming the offset, no
		// allocation from the length.
		path := mk("record", func(p *pcapBuilder) {
			c := smtpStart(p, 1)
			c.fin()
		})
		b := mustRead(t, path)
		rec := make([]byte, 16)
		rec[8], rec[9], rec[10], rec[11] = 0, 0, 0, 0x40 // 1 GiB, little-endian
		b = append(b, rec...)
		mustWrite(t, path, b)
		_, err := flood(t, path, engine.Options{}, 0, 8*MiB)
		if err == nil || !strings.Contains(err.Error(), "record claims 1073741824 bytes, limit 262144") {
			t.Errorf("err %v, want the record limit named", err)
		}
	})
}

// nestedMIME is a message of multiparts nested depth deep.
func nestedMIME(depth int) string {
	var b strings.Builder
	b.WriteString("Subject: deep\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i-1, i)
	}
	fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\nbottom\r\n", depth-1)
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.String()
}

// manyParts is a multipart message of n small parts.
func manyParts(n int) string {
	var b strings.Builder
	b.WriteString("Subject: wide\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"w\"\r\n\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "--w\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i)
	}
	b.WriteString("--w--\r\n")
	return b.String()
}

// The key log flood: 80 MiB of distinct valid lines stop at 64 MiB
// (limit keylog, said); what is kept is bounded by that limit.
func TestKeyLogFloodBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes an 80 MiB key log")
	}
	path := filepath.Join(t.TempDir(), "flood.keys")
	var b strings.Builder
	for i := 0; b.Len() < 80<<20; i++ {
		fmt.Fprintf(&b, "CLIENT_RANDOM %064x %096x\n", i, i)
	}
	mustWrite(t, path, []byte(b.String()))
	b.Reset()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var errOut strings.Builder
	e := &env{stderr: &errOut}
	kf := &keyLogFlags{path: &path, maxBytes: sizeFlag{n: 64 << 20}}
	keys, err := e.loadKeyLog(kf)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	st := keys.Stats()
	t.Logf("%d secrets from %d MiB kept in %.1f MiB of heap; %s", st.Entries, st.Bytes>>20, float64(heap)/(1<<20), errOut.String())
	if !st.Truncated || !strings.Contains(errOut.String(), "key log cut at its limit of 64 MiB") {
		t.Errorf("the cut is not said: %+v %q", st, errOut.String())
	}
	if heap > 192<<20 {
		t.Errorf("%d MiB of heap for a 64 MiB key log, want under 192 MiB", heap>>20)
	}
	runtime.KeepAlive(keys)
}
