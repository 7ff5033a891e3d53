package capture_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/smtpscope/smtpscope/dissect/capture"
)

// Example reads a capture and decodes its TCP segments. The capture, built
// here in memory, holds one raw IPv4 packet carrying "QUIT\r\n" to port 25.
func Example() {
	pkt := []byte{
		0x45, 0, 0, 46, 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2, // IPv4
		0xc0, 0x01, 0, 25, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0x02, 0, 0, 0, 0, 0, // TCP
		'Q', 'U', 'I', 'T', '\r', '\n',
	}
	var file []byte
	for _, v := range []uint32{0xa1b2c3d4, 0x00040002, 0, 0, 262144, 101} { // pcap header, LINKTYPE_RAW
		file = binary.LittleEndian.AppendUint32(file, v)
	}
	for _, v := range []uint32{1700000000, 250000, uint32(len(pkt)), uint32(len(pkt))} {
		file = binary.LittleEndian.AppendUint32(file, v)
	}
	file = append(file, pkt...)

	f, err := capture.NewFile(bytes.NewReader(file), "example.pcap", capture.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	d := capture.NewDecoder(capture.DecoderOptions{})
	for {
		fr, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if seg, ok := d.Decode(fr); ok {
			fmt.Printf("frame %d %s %s:%d -> %s:%d %q\n", fr.Number, fr.Time.Format("15:04:05.000"),
				seg.Net.Src(), seg.TCP.SrcPort, seg.Net.Dst(), seg.TCP.DstPort, seg.TCP.Payload)
		}
	}
	fmt.Printf("%+v\n", d.Stats())
	// Output:
	// frame 1 22:13:20.250 192.0.2.1:49153 -> 192.0.2.2:25 "QUIT\r\n"
	// {Frames:1 TCP:1 NonTCP:0 Undecodable:0 Fragments:0 Reassembled:0 FragmentLimitHits:0 FragmentTimeouts:0 FragmentOverlaps:0 IPv6Fragments:0 Truncated:0 LinkSkipped:0 LinkType:Null}
}
