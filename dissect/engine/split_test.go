package engine

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/smtpscope/smtpscope/dissect/build"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/pcaps"
)

// TestSplitInvariance re-sends every sample capture with each TCP payload
// cut into 1-byte segments: everything smtpscope reports except frame
// numbers must stay the same, with and without the key log (regression:
// the first bytes after STARTTLS decided "not TLS" when fewer than three
// arrived in one segment).
func TestSplitInvariance(t *testing.T) {
	for _, name := range pcaps.Names() {
		t.Run(name, func(t *testing.T) {
			data, err := fs.ReadFile(pcaps.FS(), name)
			if err != nil {
				t.Fatal(err)
			}
			split := resegment(t, data)
			var keys []byte
			if k := pcaps.KeyLog(name); k != "" {
				if keys, err = fs.ReadFile(pcaps.FS(), k); err != nil {
					t.Fatal(err)
				}
			}
			for _, withKeys := range []bool{false, true} {
				if withKeys && keys == nil {
					continue
				}
				want := describe(t, data, keys, withKeys)
				got := describe(t, split, keys, withKeys)
				if got != want {
					t.Errorf("keys=%v: 1-byte segments change the result: %s", withKeys, firstLineDiff(got, want))
				}
			}
		})
	}
}

// describe runs the pipeline and renders the sessions without frames.
func describe(t *testing.T, data, keyText []byte, withKeys bool) string {
	t.Helper()
	src, err := capture.NewFile(bytes.NewReader(data), "split", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Session: build.Options{AnyPort: true}}
	if withKeys {
		if opts.Session.Keys, err = tlsdecrypt.ParseKeyLog(bytes.NewReader(keyText)); err != nil {
			t.Fatal(err)
		}
	}
	c := &collectAll{}
	if _, err := Run(context.Background(), src, opts, c); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range c.sessions {
		fmt.Fprintf(&b, "session %s→%s %s tls=%s %s %s decrypted=%v\n", s.Client, s.Server, s.PortRole, s.TLS.Mode,
			s.TLS.Version, s.TLS.Cipher, s.TLS.Decrypted)
		for _, x := range s.Commands {
			code := 0
			if x.Reply != nil {
				code = x.Reply.Code
			}
			fmt.Fprintf(&b, " C %s %s tls=%v -> %d\n", x.Verb, x.Arg, x.InTLS, code)
		}
		for _, x := range s.Replies {
			fmt.Fprintf(&b, " S %d %q tls=%v cmd=%d\n", x.Code, x.Lines, x.InTLS, x.Command)
		}
		for _, x := range s.TLSRecords {
			fmt.Fprintf(&b, " T %s %d %x %d %v enc=%v dec=%v\n", x.Dir, x.Type, x.Version, x.Length, x.Handshake, x.Encrypted, x.Decrypted)
		}
		for _, x := range s.Messages {
			fmt.Fprintf(&b, " M %d %q %v %d\n", x.Size, x.Subject, x.Accepted, x.Reply)
		}
		for _, x := range s.Auth {
			fmt.Fprintf(&b, " A %s %q %d\n", x.Mechanism, x.User, x.Result)
		}
		for _, x := range s.Findings {
			fmt.Fprintf(&b, " F %s %s\n", x.Severity, x.Code)
		}
		for _, x := range s.Anomalies {
			fmt.Fprintf(&b, " X %s\n", x.Code)
		}
	}
	return b.String()
}

// collectAll keeps every finished session.
type collectAll struct {
	Nop
	sessions []*session.Session
}

func (c *collectAll) Finished(s *session.Session) { c.sessions = append(c.sessions, s) }

// resegment rewrites a capture with every TCP payload byte in a segment of
// its own (same time, consecutive sequence numbers).
func resegment(t *testing.T, data []byte) []byte {
	t.Helper()
	src, err := capture.NewFile(bytes.NewReader(data), "in", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := pcapgo.NewWriter(&out)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for {
		f, err := src.Next()
		if err != nil {
			break
		}
		pkt := gopacket.NewPacket(f.Data, f.LinkType, gopacket.Default)
		eth, _ := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
		tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if eth == nil || tcp == nil || len(tcp.Payload) <= 1 {
			write(t, w, f.Time, f.Data)
			continue
		}
		payload := append([]byte(nil), tcp.Payload...)
		for i := range payload {
			seg := *tcp
			seg.Seq = tcp.Seq + uint32(i)
			if i < len(payload)-1 {
				seg.FIN = false // a FIN belongs to the last byte
			}
			var net gopacket.SerializableLayer
			if ip4, ok := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
				c := *ip4
				net = &c
				_ = seg.SetNetworkLayerForChecksum(&c)
			} else if ip6, ok := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6); ok {
				c := *ip6
				net = &c
				_ = seg.SetNetworkLayerForChecksum(&c)
			} else {
				t.Fatalf("TCP without IP in %x", f.Data)
			}
			buf := gopacket.NewSerializeBuffer()
			err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
				eth, net, &seg, gopacket.Payload(payload[i:i+1]))
			if err != nil {
				t.Fatal(err)
			}
			write(t, w, f.Time, buf.Bytes())
		}
	}
	return out.Bytes()
}

func write(t *testing.T, w *pcapgo.Writer, ts interface{ UnixNano() int64 }, b []byte) {
	t.Helper()
	ci := gopacket.CaptureInfo{CaptureLength: len(b), Length: len(b)}
	ci.Timestamp = timeOf(ts)
	if err := w.WritePacket(ci, b); err != nil {
		t.Fatal(err)
	}
}

// firstLineDiff shows the first line where got and want differ.
func firstLineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: %q\nwant %q", i+1, gl, wl)
		}
	}
	return ""
}

func timeOf(ts interface{ UnixNano() int64 }) time.Time { return time.Unix(0, ts.UnixNano()).UTC() }
