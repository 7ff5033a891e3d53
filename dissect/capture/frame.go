package capture

import (
	"time"

	"github.com/gopacket/gopacket/layers"
)

// DefaultMaxRecord is the largest record (captured packet) accepted by
// default: the capture length tcpdump and Wireshark use, 262144 bytes.
const DefaultMaxRecord = 262144

// Options configures a File.
type Options struct {
	// MaxRecord is the largest captured packet length accepted; a record
	// claiming more is a *FormatError, never an allocation. Zero means
	// DefaultMaxRecord.
	MaxRecord int
	// MaxEmptyRun bounds the bytes read (decompressed, for a gzipped
	// file) without a capture record that holds a packet: past it reading
	// stops with a *FormatError, so that a decompression bomb (gigabytes
	// of zeros, read as empty pcap records) is said at once rather than
	// read for minutes (issue 12, defect 7). Zero means DefaultMaxEmptyRun.
	MaxEmptyRun int64
	// ReadBuffer is the size of the buffer records are read from (it
	// grows to fit MaxRecord); zero means 1 MiB. Fuzz targets make it
	// small, so that an input costs no large allocation.
	ReadBuffer int
}

// DefaultMaxEmptyRun is Options.MaxEmptyRun's default: 64 MiB.
const DefaultMaxEmptyRun = 64 << 20

func (o Options) maxEmptyRun() int64 {
	if o.MaxEmptyRun <= 0 {
		return DefaultMaxEmptyRun
	}
	return o.MaxEmptyRun
}

// maxRecord returns the effective record limit.
func (o Options) maxRecord() int {
	if o.MaxRecord <= 0 {
		return DefaultMaxRecord
	}
	return o.MaxRecord
}

// Frame is one packet as read from a capture.
type Frame struct {
	// Number is 1-based, in file order, counting every packet block (pcap
	// record; pcapng EPB, SPB and OPB) exactly as tshark does. tshark also
	// numbers pcapng custom, systemd journal and Sysdig event blocks: they
	// are not returned, but their numbers are skipped likewise.
	Number int64
	// Time is the capture time. It is the zero time for a pcapng Simple
	// Packet Block, which carries no timestamp.
	Time time.Time
	// LinkType is the link-layer header type of the frame's interface; in
	// pcapng every interface has its own.
	LinkType layers.LinkType
	// Data holds the captured bytes. It points into the reader's buffer and
	// is valid only until the next call to Next: copy what you keep.
	Data []byte
	// OrigLen is the packet's original length on the wire.
	OrigLen int
	// Offset is the file offset (of the uncompressed stream) of the record
	// or block the frame came from.
	Offset int64
	// Interface is the index of the capture interface among all interfaces
	// of the file, in the order their descriptions appear, so it is unique
	// across pcapng sections (tshark 4.0's frame.interface_id restarts at 0
	// in each section). It is always 0 for pcap.
	Interface int
}

// Reader is the small interface the pipeline consumes: a File, and later a
// live capture, return frames one at a time.
type Reader interface {
	// Next returns the next frame, io.EOF at a clean end, or another error.
	// The frame and its Data are valid only until the next call.
	Next() (*Frame, error)
}
