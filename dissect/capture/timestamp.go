package capture

import (
	"fmt"
	"math/bits"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// ngInterface is one pcapng interface: link type, snap length and how to
// turn its timestamps into times (Section 4.2).
type ngInterface struct {
	link    layers.LinkType
	snaplen uint32
	units   uint64 // timestamp units per second
	nsMul   uint64 // nanoseconds per unit when exact, else 0
	offset  int64  // if_tsoffset, seconds added to every timestamp
	global  int    // index among all interfaces of the file
}

// setResolution applies if_tsresol (Section 4.2): the most significant bit
// clear means 10^-n seconds, set means 2^-n seconds.
func (ifc *ngInterface) setResolution(v byte) error {
	n := uint(v & 0x7f)
	if v&0x80 != 0 {
		if n > 63 {
			return fmt.Errorf("if_tsresol 2^-%d unsupported", n)
		}
		ifc.units = 1 << n
	} else {
		if n > 19 { // 10^20 overflows 64 bits
			return fmt.Errorf("if_tsresol 10^-%d unsupported", n)
		}
		ifc.units = 1
		for range n {
			ifc.units *= 10
		}
	}
	ifc.nsMul = 0
	if ifc.units <= 1e9 && 1e9%ifc.units == 0 {
		ifc.nsMul = 1e9 / ifc.units
	}
	return nil
}

// time converts a timestamp in the interface's units to a time.
func (ifc *ngInterface) time(ts uint64) time.Time {
	sec, rem := ts/ifc.units, ts%ifc.units
	var ns uint64
	if ifc.nsMul != 0 {
		ns = rem * ifc.nsMul
	} else {
		// rem < units, so rem*1e9/units < 1e9 and the quotient fits.
		hi, lo := bits.Mul64(rem, 1e9)
		ns, _ = bits.Div64(hi, lo, ifc.units)
	}
	return time.Unix(int64(sec)+ifc.offset, int64(ns)).UTC()
}
