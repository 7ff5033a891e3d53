package capture

import (
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// DecoderOptions configures a Decoder. Zero values mean the defaults.
type DecoderOptions struct {
	// MaxFragments bounds the IPv4 datagrams pending reassembly (default
	// DefaultMaxFragments); when exceeded the oldest is dropped and counted.
	MaxFragments int
	// MaxFragmentBytes bounds the captured bytes held in pending fragments
	// (default DefaultMaxFragmentBytes).
	MaxFragmentBytes int
	// FragmentTimeout is how long, in capture time, a datagram waits for
	// its fragments (default DefaultFragmentTimeout).
	FragmentTimeout time.Duration
}

// DecodeStats counts what a Decoder saw. Every frame is counted in exactly
// one of TCP, NonTCP, Undecodable and Fragments.
type DecodeStats struct {
	Frames      int64 // frames given to Decode
	TCP         int64 // TCP segments returned (a reassembled datagram counts in the frame that completed it)
	NonTCP      int64 // decodable frames that carry no TCP: ARP, UDP, ICMP, IPv6 fragments...
	Undecodable int64 // unsupported link type or malformed headers
	Fragments   int64 // IPv4 fragments of TCP held for reassembly (or dropped)

	Reassembled       int64 // IPv4 datagrams reassembled
	FragmentLimitHits int64 // datagrams dropped by MaxFragments, MaxFragmentBytes or the pieces limit
	FragmentTimeouts  int64 // datagrams dropped after FragmentTimeout
	FragmentOverlaps  int64 // fragments that overlapped bytes already held (first arrival wins)
	IPv6Fragments     int64 // IPv6 fragments (not reassembled), counted in NonTCP
	Truncated         int64 // TCP segments cut by the snap length (Missing > 0, or the header cut; returned or not)
	// LinkSkipped counts frames of a link type the decoder does not read
	// (counted in Undecodable too); LinkType is the first such type.
	LinkSkipped int64
	LinkType    layers.LinkType
}

// Segment is one decoded TCP segment. The Decoder reuses it, and the
// layers it points to, on the next call to Decode.
type Segment struct {
	// Net is the network flow (source, destination IP), as gopacket's
	// reassembly wants it.
	Net gopacket.Flow
	// TCP is the decoded TCP layer. TCP.Payload holds the captured payload
	// only: it is bounded by the IP length, so Ethernet padding is never
	// payload.
	TCP *layers.TCP
	// IPv6 is true when the innermost IP layer is IPv6.
	IPv6 bool
	// Missing counts payload bytes that the IP length says exist but that
	// were not captured (snap length); TCP.Payload holds only the rest.
	Missing int
	// IPLen is the innermost IP datagram's length as its header gives it,
	// IP header included (what Zeek's conn.log ip_bytes add up).
	IPLen int
	// Frame is the frame the segment was decoded from (for a reassembled
	// datagram, the frame of the fragment that completed it).
	Frame *Frame
}

// tcpTail is the TCP layer as the last layer the parser decodes: whatever
// the ports, nothing is decoded after it.
type tcpTail struct{ layers.TCP }

// NextLayerType ends decoding after TCP.
func (*tcpTail) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// first layers a parser can start at.
const (
	startEthernet = iota
	startDot1Q
	startSLL
	startSLL2
	startLoopback
	startIPv4
	startIPv6
	numStarts
)

// maxTagRounds bounds the 802.1Q tags with TPID 0x9100 (which gopacket does
// not know) followed by hand.
const maxTagRounds = 8

// Decoder decodes frames to TCP segments with gopacket's
// DecodingLayerParser over preallocated layers: no allocation per packet
// except for IPv4 fragments. A Decoder is not safe for concurrent use.
type Decoder struct {
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	sll     layers.LinuxSLL
	sll2    layers.LinuxSLL2
	loop    layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	ext     layers.IPv6ExtensionSkipper
	frag6   layers.IPv6Fragment
	tcp     tcpTail
	parsers [numStarts]*gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
	seg     Segment
	frags   reassembler
	stats   DecodeStats
}

// NewDecoder returns a Decoder.
func NewDecoder(opts DecoderOptions) *Decoder {
	d := &Decoder{decoded: make([]gopacket.LayerType, 0, 16)}
	starts := [numStarts]gopacket.LayerType{
		startEthernet: layers.LayerTypeEthernet,
		startDot1Q:    layers.LayerTypeDot1Q,
		startSLL:      layers.LayerTypeLinuxSLL,
		startSLL2:     layers.LayerTypeLinuxSLL2,
		startLoopback: layers.LayerTypeLoopback,
		startIPv4:     layers.LayerTypeIPv4,
		startIPv6:     layers.LayerTypeIPv6,
	}
	for i, first := range starts {
		p := gopacket.NewDecodingLayerParser(first)
		p.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
		// The skipper first: IPv6Fragment then takes over its own type.
		for _, l := range []gopacket.DecodingLayer{&d.eth, &d.dot1q, &d.sll, &d.sll2, &d.loop,
			&d.ip4, &d.ip6, &d.ext, &d.frag6, &d.tcp} {
			p.AddDecodingLayer(l)
		}
		p.IgnoreUnsupported = true
		d.parsers[i] = p
	}
	d.frags = reassembler{
		maxDatagrams: orDefault(opts.MaxFragments, DefaultMaxFragments),
		maxBytes:     orDefault(opts.MaxFragmentBytes, DefaultMaxFragmentBytes),
		timeout:      opts.FragmentTimeout,
		pending:      make(map[fragKey]*fragDatagram),
		stats:        &d.stats,
	}
	if d.frags.timeout <= 0 {
		d.frags.timeout = DefaultFragmentTimeout
	}
	return d
}

// orDefault returns v, or def when v is not positive.
func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Stats returns the counts so far.
func (d *Decoder) Stats() DecodeStats { return d.stats }

// Decode decodes f. It returns false when the frame carries no TCP segment
// (or cannot be decoded, or is a fragment of a datagram not yet complete).
// The Segment and the layers it points to are reused by the next call;
// TCP.Payload points into f.Data or into the Decoder's reassembly buffer.
func (d *Decoder) Decode(f *Frame) (*Segment, bool) {
	d.stats.Frames++
	if d.frags.head < len(d.frags.order) {
		d.frags.expire(f.Time)
	}
	start, ok := startOf(f.LinkType, f.Data)
	if !ok {
		d.stats.Undecodable++
		if knownLink(f.LinkType) {
			return nil, false // a raw IP frame whose version is neither 4 nor 6
		}
		if d.stats.LinkSkipped == 0 {
			d.stats.LinkType = f.LinkType
		}
		d.stats.LinkSkipped++
		return nil, false
	}
	data := f.Data
	var err error
	for round := 0; ; round++ {
		err = d.parsers[start].DecodeLayers(data, &d.decoded)
		next, more := d.tagged()
		if !more || round == maxTagRounds {
			break
		}
		start, data = startDot1Q, next
	}
	return d.classify(f, err)
}

// startOf picks the first layer for a link type (LINKTYPE registry,
// tcpdump.org/linktypes.html).
func startOf(lt layers.LinkType, data []byte) (int, bool) {
	switch lt {
	case layers.LinkTypeEthernet:
		return startEthernet, true
	case layers.LinkTypeLinuxSLL:
		return startSLL, true
	case layers.LinkTypeLinuxSLL2:
		return startSLL2, true
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		// LINKTYPE_NULL: the family in host byte order; LINKTYPE_LOOP: in
		// network byte order. gopacket's Loopback accepts both; family 2
		// is IPv4, 10/24/28/30 are IPv6.
		return startLoopback, true
	case layers.LinkTypeIPv4:
		return startIPv4, true
	case layers.LinkTypeIPv6:
		return startIPv6, true
	case layers.LinkTypeRaw, 12, 14:
		// LINKTYPE_RAW (and DLT_RAW, 12 or 14 on some BSDs): the version
		// nibble says which IP (RFC 791, Section 3.1; RFC 8200, Section 3).
		if len(data) > 0 {
			switch data[0] >> 4 {
			case 4:
				return startIPv4, true
			case 6:
				return startIPv6, true
			}
		}
	}
	return 0, false
}

// knownLink reports whether startOf reads link type lt.
func knownLink(lt layers.LinkType) bool {
	switch lt {
	case layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2, layers.LinkTypeNull,
		layers.LinkTypeLoop, layers.LinkTypeIPv4, layers.LinkTypeIPv6, layers.LinkTypeRaw, 12, 14:
		return true
	}
	return false
}

// tagged reports whether decoding stopped at an IEEE 802.1Q tag with the
// old QinQ TPID 0x9100, and returns the bytes of that tag.
func (d *Decoder) tagged() ([]byte, bool) {
	n := len(d.decoded)
	if n == 0 {
		return nil, false
	}
	var et layers.EthernetType
	var payload []byte
	switch d.decoded[n-1] {
	case layers.LayerTypeEthernet:
		et, payload = d.eth.EthernetType, d.eth.Payload
	case layers.LayerTypeDot1Q:
		et, payload = d.dot1q.Type, d.dot1q.Payload
	case layers.LayerTypeLinuxSLL:
		et, payload = d.sll.EthernetType, d.sll.Payload
	case layers.LayerTypeLinuxSLL2:
		et, payload = d.sll2.ProtocolType, d.sll2.Payload
	default:
		return nil, false
	}
	// IEEE 802.1ad uses 0x88a8 (decoded by gopacket as Dot1Q); 0x9100 is
	// the pre-standard QinQ TPID still used by some switches.
	if et == 0x9100 && len(payload) > 0 {
		return payload, true
	}
	return nil, false
}

// classify turns the parser's result into a segment and the counts.
func (d *Decoder) classify(f *Frame, err error) (*Segment, bool) {
	n := len(d.decoded)
	ipType := gopacket.LayerTypeZero
	for _, t := range d.decoded {
		if t == layers.LayerTypeIPv4 || t == layers.LayerTypeIPv6 {
			ipType = t
		}
	}
	if ipType == gopacket.LayerTypeZero {
		if err != nil || n == 0 {
			d.stats.Undecodable++
		} else {
			d.stats.NonTCP++
		}
		return nil, false
	}
	// RFC 791, Section 3.1 and RFC 8200, Section 3: the version field must
	// match the header it is in.
	if (ipType == layers.LayerTypeIPv4 && d.ip4.Version != 4) || (ipType == layers.LayerTypeIPv6 && d.ip6.Version != 6) {
		d.stats.Undecodable++
		return nil, false
	}
	last := d.decoded[n-1]
	if last == layers.LayerTypeTCP {
		return d.segment(f, ipType, d.ipMissing(ipType))
	}
	if last == layers.LayerTypeIPv4 && (d.ip4.Flags&layers.IPv4MoreFragments != 0 || d.ip4.FragOffset != 0) {
		return d.fragment(f)
	}
	if last == layers.LayerTypeIPv6Fragment && (d.frag6.MoreFragments || d.frag6.FragmentOffset != 0) {
		// IPv6 fragments are rare on SMTP paths (RFC 8200, Section 4.5,
		// leaves fragmentation to the source): counted, not reassembled.
		d.stats.IPv6Fragments++
		d.stats.NonTCP++
		return nil, false
	}
	if d.nextOf(last) == layers.LayerTypeTCP {
		return d.truncatedHeader(f, ipType, last)
	}
	if err != nil {
		d.stats.Undecodable++
	} else {
		d.stats.NonTCP++
	}
	return nil, false
}

// nextOf returns the layer the decoded layer of type t says comes next.
func (d *Decoder) nextOf(t gopacket.LayerType) gopacket.LayerType {
	switch t {
	case layers.LayerTypeIPv4:
		return d.ip4.NextLayerType()
	case layers.LayerTypeIPv6:
		return d.ip6.NextLayerType()
	case layers.LayerTypeIPv6Fragment:
		return d.frag6.NextLayerType()
	case layers.LayerTypeIPv6HopByHop, layers.LayerTypeIPv6Routing, layers.LayerTypeIPv6Destination:
		return d.ext.NextLayerType()
	}
	return gopacket.LayerTypeZero
}

// payloadOf returns the payload of the decoded layer of type t.
func (d *Decoder) payloadOf(t gopacket.LayerType) []byte {
	switch t {
	case layers.LayerTypeIPv4:
		return d.ip4.Payload
	case layers.LayerTypeIPv6:
		return d.ip6.Payload
	case layers.LayerTypeIPv6Fragment:
		return d.frag6.Payload
	case layers.LayerTypeIPv6HopByHop, layers.LayerTypeIPv6Routing, layers.LayerTypeIPv6Destination:
		return d.ext.Payload
	}
	return nil
}

// ipMissing returns how many bytes of the innermost IP payload the length
// field claims but the capture lacks.
func (d *Decoder) ipMissing(ipType gopacket.LayerType) int {
	var m int
	if ipType == layers.LayerTypeIPv4 {
		// RFC 791, Section 3.1: Total Length counts header and data.
		m = int(d.ip4.Length) - int(d.ip4.IHL)*4 - len(d.ip4.Payload)
	} else if d.ip6.Length != 0 {
		// RFC 8200, Section 3: Payload Length counts extension headers,
		// the hop-by-hop one that gopacket strips included.
		got := len(d.ip6.Payload)
		if d.ip6.HopByHop != nil {
			got += d.ip6.HopByHop.ActualLength
		}
		m = int(d.ip6.Length) - got
	}
	return max(m, 0)
}

// segment returns the decoded TCP segment.
func (d *Decoder) segment(f *Frame, ipType gopacket.LayerType, missing int) (*Segment, bool) {
	d.seg = Segment{TCP: &d.tcp.TCP, Missing: missing, Frame: f}
	if ipType == layers.LayerTypeIPv4 {
		d.seg.Net = d.ip4.NetworkFlow()
		// RFC 791, Section 3.1: Total Length counts header and data.
		d.seg.IPLen = int(d.ip4.Length)
		if d.ip4.Length == 0 { // segmentation offload: the length is left 0
			d.seg.IPLen = len(d.ip4.Contents) + len(d.ip4.Payload) + missing
		}
	} else {
		d.seg.Net = d.ip6.NetworkFlow()
		d.seg.IPv6 = true
		// RFC 8200, Section 3: Payload Length excludes the 40-byte header.
		d.seg.IPLen = 40 + int(d.ip6.Length)
		if d.ip6.Length == 0 {
			d.seg.IPLen = 40 + len(d.ip6.Payload) + missing
		}
	}
	if missing > 0 {
		d.stats.Truncated++
	}
	d.stats.TCP++
	return &d.seg, true
}

// truncatedHeader handles a TCP header that did not decode. When the snap
// length cut it after the fixed 20 bytes (zeek's truncated-header.pcap) the
// segment is still returned: ports, sequence numbers and flags are there
// (RFC 9293, Section 3.1), options and payload are not.
func (d *Decoder) truncatedHeader(f *Frame, ipType, last gopacket.LayerType) (*Segment, bool) {
	data := d.payloadOf(last)
	missing := d.ipMissing(ipType)
	if missing == 0 || len(data) < 20 {
		if missing > 0 {
			d.stats.Truncated++
		}
		d.stats.Undecodable++
		return nil, false
	}
	err := d.tcp.DecodeFromBytes(data, gopacket.NilDecodeFeedback)
	hdr := int(d.tcp.DataOffset) * 4
	if err == nil || d.tcp.DataOffset < 5 || hdr <= len(data) {
		d.stats.Undecodable++
		return nil, false
	}
	d.tcp.Contents = data
	d.tcp.Payload = nil
	seg, ok := d.segment(f, ipType, max(len(data)+missing-hdr, 0))
	if seg.Missing == 0 {
		d.stats.Truncated++ // the header was cut even if no payload was
	}
	return seg, ok
}

// fragment feeds an IPv4 fragment to the reassembler (RFC 791, Section 3.2)
// and decodes the datagram when it is complete.
func (d *Decoder) fragment(f *Frame) (*Segment, bool) {
	ip := &d.ip4
	if ip.Protocol != layers.IPProtocolTCP {
		// Only TCP matters here: other fragments cost nothing.
		d.stats.NonTCP++
		return nil, false
	}
	var key fragKey
	copy(key.src[:], ip.SrcIP)
	copy(key.dst[:], ip.DstIP)
	key.id, key.proto = ip.Id, uint8(ip.Protocol)
	declared := int(ip.Length) - int(ip.IHL)*4
	switch d.frags.add(key, f.Time, int(ip.FragOffset)*8, declared, ip.Payload, ip.Flags&layers.IPv4MoreFragments != 0) {
	case fragHeld, fragDropped:
		d.stats.Fragments++
		return nil, false
	}
	payload, missing := d.frags.out, d.frags.missing
	if err := d.tcp.DecodeFromBytes(payload, gopacket.NilDecodeFeedback); err != nil {
		d.stats.Undecodable++
		return nil, false
	}
	return d.segment(f, layers.LayerTypeIPv4, missing)
}
