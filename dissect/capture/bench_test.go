package capture

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// benchCapture builds an in-memory pcap of about size bytes: a bulk TCP
// transfer of full-sized segments (1448 bytes of payload with timestamp
// options), an ACK for every two, like a DATA phase seen on the wire.
func benchCapture(b *testing.B, size int) []byte {
	data := eth(b, layers.EthernetTypeIPv4, ip4(b, layers.IPProtocolTCP, 1, layers.IPv4DontFragment, 0, tcpSeg(b, bytes.Repeat([]byte("x"), 1448), true)))
	ack := eth(b, layers.EthernetTypeIPv4, ip4(b, layers.IPProtocolTCP, 2, layers.IPv4DontFragment, 0, tcpSeg(b, nil, true)))
	w := newPcap(false, 0xa1b2c3d4, layers.LinkTypeEthernet)
	buf := w.b
	for i := uint32(0); len(buf) < size; i++ {
		p := data
		if i%3 == 2 {
			p = ack
		}
		buf = binary.LittleEndian.AppendUint32(buf, 1700000000+i/1000)
		buf = binary.LittleEndian.AppendUint32(buf, i%1000*1000)
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(p)))
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(p)))
		buf = append(buf, p...)
	}
	return buf
}

// BenchmarkReadDecode reads and decodes a 50 MB capture held in memory.
func BenchmarkReadDecode(b *testing.B) {
	capture := benchCapture(b, 50<<20)
	b.SetBytes(int64(len(capture)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := NewFile(bytes.NewReader(capture), "bench", Options{})
		if err != nil {
			b.Fatal(err)
		}
		d := NewDecoder(DecoderOptions{})
		for {
			fr, err := f.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			d.Decode(fr)
		}
		if st := d.Stats(); st.TCP != st.Frames {
			b.Fatalf("stats %+v", st)
		}
	}
}

// BenchmarkRead reads the same capture without decoding.
func BenchmarkRead(b *testing.B) {
	capture := benchCapture(b, 50<<20)
	b.SetBytes(int64(len(capture)))
	for b.Loop() {
		f, _ := NewFile(bytes.NewReader(capture), "bench", Options{})
		for {
			if _, err := f.Next(); err != nil {
				break
			}
		}
	}
}
