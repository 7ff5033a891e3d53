package live

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/smtpscope/smtpscope/dissect/bpf"
	"golang.org/x/sys/unix"
)

// htons converts a 16-bit value to network byte order for the socket API.
func htons(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return binary.NativeEndian.Uint16(b[:])
}

// openSocket opens an AF_PACKET socket on the interface with the filter
// attached (packet(7)). The socket starts with protocol 0, which receives
// nothing, and is bound to ETH_P_ALL only after the filter is attached,
// so no unfiltered packet is ever queued.
func openSocket(iface string, index int, f *bpf.Filter) (int, error) {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return -1, fmt.Errorf("live: capture on %s needs CAP_NET_RAW: run with sudo, or grant it once with "+
				"`sudo setcap cap_net_raw=ep $(command -v smtpscope)` (%w)", iface, err)
		}
		return -1, fmt.Errorf("live: packet socket for %s: %w", iface, err)
	}
	fail := func(what string, err error) (int, error) {
		unix.Close(fd)
		return -1, fmt.Errorf("live: %s on %s: %w", what, iface, err)
	}
	raw := f.Raw()
	prog := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		prog[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return fail("attaching the filter", err)
	}
	// PACKET_AUXDATA: the VLAN tag the NIC stripped, and the original length.
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_AUXDATA, 1); err != nil {
		return fail("PACKET_AUXDATA", err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
		return fail("SO_TIMESTAMPNS", err)
	}
	if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, rcvBuf) != nil {
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, rcvBuf) // best effort without CAP_NET_ADMIN
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: index}
	if err := unix.Bind(fd, sa); err != nil {
		return fail("binding", err)
	}
	// Reset the kernel counters so that they count from here.
	unix.GetsockoptTpacketStats(fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	return fd, nil
}

// recvPacket reads one packet without blocking into buf, keeping
// vlanTagLen bytes in front free to put back a stripped 802.1Q tag. It
// returns the frame, its length on the wire, the sll_pkttype and the
// kernel timestamp (zero if none).
func recvPacket(fd int, buf, oob []byte) (data []byte, origLen int, pkttype uint8, ts time.Time, err error) {
	n, oobn, _, from, err := unix.Recvmsg(fd, buf[vlanTagLen:], oob, unix.MSG_DONTWAIT|unix.MSG_TRUNC)
	if err != nil {
		return nil, 0, 0, time.Time{}, err
	}
	origLen = n // MSG_TRUNC: the real length even when cut
	capLen := min(n, len(buf)-vlanTagLen)
	data = buf[vlanTagLen : vlanTagLen+capLen]
	if sll, ok := from.(*unix.SockaddrLinklayer); ok {
		pkttype = sll.Pkttype
	}
	cmsgs, cerr := unix.ParseSocketControlMessage(oob[:oobn])
	if cerr != nil {
		return data, origLen, pkttype, ts, nil
	}
	for _, m := range cmsgs {
		switch {
		case m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS &&
			len(m.Data) >= int(unsafe.Sizeof(unix.Timespec{})):
			var t unix.Timespec
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&t)), unsafe.Sizeof(t)), m.Data)
			ts = time.Unix(t.Unix())
		case m.Header.Level == unix.SOL_PACKET && m.Header.Type == unix.PACKET_AUXDATA &&
			len(m.Data) >= int(unsafe.Sizeof(unix.TpacketAuxdata{})):
			var aux unix.TpacketAuxdata
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&aux)), unsafe.Sizeof(aux)), m.Data)
			if aux.Len > 0 {
				origLen = int(aux.Len)
			}
			if aux.Status&unix.TP_STATUS_VLAN_VALID != 0 && len(data) >= 12 {
				data = insertVLAN(buf, capLen, aux)
				origLen += vlanTagLen
			}
		}
	}
	return data, origLen, pkttype, ts, nil
}

// insertVLAN puts back the 802.1Q tag the kernel moved into auxdata, so
// the frame is what was on the wire (IEEE 802.1Q: TPID 0x8100 unless the
// kernel reports another, then the TCI, between the MACs and the type).
func insertVLAN(buf []byte, capLen int, aux unix.TpacketAuxdata) []byte {
	copy(buf[0:12], buf[vlanTagLen:vlanTagLen+12])
	tpid := uint16(0x8100)
	if aux.Status&unix.TP_STATUS_VLAN_TPID_VALID != 0 && aux.Vlan_tpid != 0 {
		tpid = aux.Vlan_tpid
	}
	binary.BigEndian.PutUint16(buf[12:], tpid)
	binary.BigEndian.PutUint16(buf[14:], aux.Vlan_tci)
	return buf[:capLen+vlanTagLen]
}
