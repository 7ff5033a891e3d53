package engine

import (
	"io"
	"io/fs"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/pcaps"
)

// replaySamples writes a pcap of at least size bytes to w: the sample
// captures replayed again and again, each copy with its client ports moved
// so that every copy is a new connection.
func replaySamples(w io.Writer, size int) error {
	type pkt struct {
		data []byte
		ci   gopacket.CaptureInfo
	}
	var pkts []pkt
	for _, name := range pcaps.Names() {
		fh, err := pcaps.FS().Open(name)
		if err != nil {
			return err
		}
		f, err := capture.NewFile(fh, name, capture.Options{})
		if err != nil {
			return err
		}
		for {
			fr, err := f.Next()
			if err != nil {
				break
			}
			if fr.LinkType != layers.LinkTypeEthernet {
				continue
			}
			d := append([]byte(nil), fr.Data...)
			pkts = append(pkts, pkt{d, gopacket.CaptureInfo{Timestamp: fr.Time, CaptureLength: len(d), Length: fr.OrigLen}})
		}
		fh.Close()
	}
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		return err
	}
	written := 24
	base := pkts[0].ci.Timestamp
	for copyN := 0; written < size; copyN++ {
		shift := time.Duration(copyN) * 10 * time.Second
		for _, p := range pkts {
			d := append([]byte(nil), p.data...)
			movePorts(d, uint16(copyN))
			ci := p.ci
			ci.Timestamp = base.Add(shift + p.ci.Timestamp.Sub(base)%(10*time.Second))
			if err := pw.WritePacket(ci, d); err != nil {
				return err
			}
			written += 16 + len(d)
		}
	}
	return nil
}

// movePorts adds n to the non-SMTP port of the TCP header in an Ethernet
// frame (IPv4 or IPv6 without extension headers).
func movePorts(d []byte, n uint16) {
	if len(d) < 14 {
		return
	}
	off := 0
	switch uint16(d[12])<<8 | uint16(d[13]) {
	case 0x0800:
		if len(d) < 34 {
			return
		}
		off = 14 + int(d[14]&0x0f)*4
	case 0x86dd:
		off = 14 + 40
	default:
		return
	}
	if len(d) < off+4 {
		return
	}
	for i := 0; i < 2; i++ {
		p := uint16(d[off+2*i])<<8 | uint16(d[off+2*i+1])
		if p > 1024 {
			p = 1025 + (p-1025+n*7)%60000
			d[off+2*i], d[off+2*i+1] = byte(p>>8), byte(p)
		}
	}
}

var _ fs.FS
