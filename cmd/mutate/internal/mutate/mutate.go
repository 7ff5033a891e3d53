package mutate

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Kinds are the mutations, by name (Variant.Kind).
var kinds = []string{
	"bytes", "truncate", "snaplen", "caplen", "origlen", "blocklen", "ihl", "iplen", "dataoff",
	"tlslen", "hslen", "dup", "reorder", "drop", "combo",
}

// Kinds returns the names of the mutations.
func Kinds() []string { return slices.Clone(kinds) }

// Variant is one mutated capture.
type Variant struct {
	Kind string // the mutation (one of Kinds; "combo" applies several)
	Note string // what was done, e.g. "caplen of record 3 = 0xffffffff"
	Data []byte
}

// interesting values for length fields: the edges a parser gets wrong.
var interesting = []uint32{0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 20, 40, 60, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000,
	0x4001, 0x47ff, 0x4800, 0x7fff, 0x8000, 0xffff, 0x10000, 0x40000, 0x40001, 0xffffff, 0x1000000, 0x7fffffff,
	0x80000000, 0xfffffffe, 0xffffffff}

// Mutate returns a variant of the capture src made with rng; src is not
// modified. kind "" picks a mutation at random.
func Mutate(src []byte, rng *rand.Rand, kind string) Variant {
	if kind == "" {
		kind = kinds[rng.IntN(len(kinds))]
	}
	m := &mutator{b: slices.Clone(src), rng: rng}
	m.l = parse(m.b)
	v := Variant{Kind: kind}
	if kind == "combo" {
		n := 2 + rng.IntN(3)
		for i := 0; i < n; i++ {
			k := kinds[rng.IntN(len(kinds)-1)]
			if i > 0 {
				v.Note += "; "
			}
			v.Note += k + ": " + m.apply(k)
			m.l = parse(m.b)
		}
	} else {
		v.Note = m.apply(kind)
	}
	v.Data = m.b
	return v
}

type mutator struct {
	b   []byte
	l   layout
	rng *rand.Rand
}

// value picks a lie for a field holding cur.
func (m *mutator) value(cur uint32) uint32 {
	switch m.rng.IntN(4) {
	case 0:
		return cur + 1
	case 1:
		return cur - 1
	case 2:
		return m.rng.Uint32()
	}
	return interesting[m.rng.IntN(len(interesting))]
}

func (m *mutator) put32(off int, order binary.ByteOrder) string {
	if off < 0 || off+4 > len(m.b) {
		return m.apply("bytes")
	}
	v := m.value(order.Uint32(m.b[off:]))
	order.PutUint32(m.b[off:], v)
	return "offset " + strconv.Itoa(off) + " = " + hex(v)
}

func (m *mutator) put16(off int) string {
	if off < 0 || off+2 > len(m.b) {
		return m.apply("bytes")
	}
	v := uint16(m.value(uint32(binary.BigEndian.Uint16(m.b[off:]))))
	binary.BigEndian.PutUint16(m.b[off:], v)
	return "offset " + strconv.Itoa(off) + " = " + hex(uint32(v))
}

// packets returns the indexes of the records holding packets.
func (m *mutator) packets() []int {
	var out []int
	for i, r := range m.l.records {
		if r.isPacket {
			out = append(out, i)
		}
	}
	return out
}

// field picks a packet having the field that get returns (>= 0).
func (m *mutator) field(get func(fields) int) int {
	var offs []int
	for _, i := range m.packets() {
		if off := get(packetFields(m.b, m.l.records[i])); off >= 0 {
			offs = append(offs, off)
		}
	}
	if len(offs) == 0 {
		return -1
	}
	return offs[m.rng.IntN(len(offs))]
}

func (m *mutator) apply(kind string) string {
	if len(m.b) == 0 {
		return "empty"
	}
	switch kind {
	case "truncate":
		n := m.rng.IntN(len(m.b))
		m.b = m.b[:n]
		return "cut at " + strconv.Itoa(n)
	case "snaplen":
		if len(m.l.snaplen) == 0 {
			return m.apply("bytes")
		}
		return m.put32(m.l.snaplen[m.rng.IntN(len(m.l.snaplen))], m.l.order)
	case "caplen", "origlen":
		var offs []int
		for _, r := range m.l.records {
			if kind == "caplen" && r.caplen >= 0 {
				offs = append(offs, r.caplen)
			}
			if kind == "origlen" && r.origlen >= 0 {
				offs = append(offs, r.origlen)
			}
		}
		if len(offs) == 0 {
			return m.apply("bytes")
		}
		return m.put32(offs[m.rng.IntN(len(offs))], m.l.order)
	case "blocklen":
		var offs []int
		for _, r := range m.l.records {
			offs = append(offs, r.blockLen...)
		}
		if len(offs) == 0 {
			return m.apply("caplen") // pcap has no block lengths
		}
		return m.put32(offs[m.rng.IntN(len(offs))], m.l.order)
	case "ihl":
		off := m.field(func(f fields) int { return f.ihl })
		if off < 0 {
			return m.apply("bytes")
		}
		n := byte(m.rng.IntN(16))
		m.b[off] = m.b[off]&0xf0 | n
		return "IHL at " + strconv.Itoa(off) + " = " + strconv.Itoa(int(n))
	case "iplen":
		off := m.field(func(f fields) int {
			if f.ipLen >= 0 {
				return f.ipLen
			}
			return f.ip6Len
		})
		return m.put16(off)
	case "dataoff":
		off := m.field(func(f fields) int { return f.dataOff })
		if off < 0 {
			return m.apply("bytes")
		}
		n := byte(m.rng.IntN(16))
		m.b[off] = m.b[off]&0x0f | n<<4
		return "TCP data offset at " + strconv.Itoa(off) + " = " + strconv.Itoa(int(n))
	case "tlslen":
		off := m.field(func(f fields) int { return f.tlsLen })
		return m.put16(off)
	case "hslen":
		off := m.field(func(f fields) int { return f.hsLen })
		if off < 0 || off+3 > len(m.b) {
			return m.apply("tlslen")
		}
		v := m.value(uint32(m.b[off])<<16|uint32(m.b[off+1])<<8|uint32(m.b[off+2])) & 0xffffff
		m.b[off], m.b[off+1], m.b[off+2] = byte(v>>16), byte(v>>8), byte(v)
		return "handshake length at " + strconv.Itoa(off) + " = " + hex(v)
	case "dup", "reorder", "drop":
		return m.records(kind)
	}
	// "bytes": random byte errors, mostly in packet data.
	n := 1 + m.rng.IntN(8)
	for i := 0; i < n; i++ {
		off := m.rng.IntN(len(m.b))
		if f := m.field(func(f fields) int { return f.payload }); f >= 0 && m.rng.IntN(2) == 0 {
			off = min(f+m.rng.IntN(64), len(m.b)-1)
		}
		if m.rng.IntN(2) == 0 {
			m.b[off] ^= 1 << m.rng.IntN(8)
		} else {
			m.b[off] = byte(m.rng.IntN(256))
		}
	}
	return strconv.Itoa(n) + " bytes changed"
}

// records duplicates, reorders or drops whole packet records.
func (m *mutator) records(kind string) string {
	pk := m.packets()
	if len(pk) < 2 {
		return m.apply("bytes")
	}
	rs := m.l.records
	i := pk[m.rng.IntN(len(pk))]
	r := rs[i]
	rec := slices.Clone(m.b[r.off:r.end])
	switch kind {
	case "dup":
		// A copy right after it (a retransmission) or further on.
		j := pk[m.rng.IntN(len(pk))]
		at := rs[max(i, j)].end
		m.b = slices.Insert(m.b, at, rec...)
		return "record " + strconv.Itoa(i) + " repeated at " + strconv.Itoa(at)
	case "drop":
		m.b = slices.Delete(m.b, r.off, r.end)
		return "record " + strconv.Itoa(i) + " dropped"
	}
	j := pk[m.rng.IntN(len(pk))]
	if m.rng.IntN(2) == 0 && i+1 < len(rs) && rs[i+1].isPacket {
		j = i + 1
	}
	if i == j {
		return m.records("drop")
	}
	if i > j {
		i, j = j, i
	}
	a, c := rs[i], rs[j]
	out := make([]byte, 0, len(m.b))
	out = append(out, m.b[:a.off]...)
	out = append(out, m.b[c.off:c.end]...)
	out = append(out, m.b[a.end:c.off]...)
	out = append(out, m.b[a.off:a.end]...)
	out = append(out, m.b[c.end:]...)
	m.b = out
	return "records " + strconv.Itoa(i) + " and " + strconv.Itoa(j) + " swapped"
}

func hex(v uint32) string {
	const d = "0123456789abcdef"
	var b [10]byte
	b[0], b[1] = '0', 'x'
	for i := 0; i < 8; i++ {
		b[9-i] = d[v&0xf]
		v >>= 4
	}
	return string(b[:])
}
