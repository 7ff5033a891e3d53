package live

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestInterfacesListsLoopback(t *testing.T) {
	ifs, err := Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range ifs {
		if i.Loopback {
			if i.Type != arphrdLoopback || !i.Capturable() || i.TypeName() != "LOOPBACK" || len(i.Addrs) == 0 {
				t.Errorf("loopback = %+v", i)
			}
			return
		}
	}
	t.Errorf("no loopback interface in %+v", ifs)
}

func TestOpenUnknownInterface(t *testing.T) {
	_, err := Open("nosuch0", Options{})
	if err == nil || !strings.Contains(err.Error(), `no interface named "nosuch0"`) {
		t.Errorf("Open(nosuch0) = %v", err)
	}
}

func TestArphrdName(t *testing.T) {
	if got := arphrdName(65534); !strings.HasPrefix(got, "NONE") {
		t.Errorf("arphrdName(65534) = %q", got)
	}
	if got := arphrdName(9999); got != "ARPHRD 9999" {
		t.Errorf("arphrdName(9999) = %q", got)
	}
}

// TestInsertVLAN: a tag the kernel stripped is put back between the MAC
// addresses and the EtherType.
func TestInsertVLAN(t *testing.T) {
	buf := make([]byte, vlanTagLen+64)
	frame := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0x45}
	copy(buf[vlanTagLen:], frame)
	got := insertVLAN(buf, len(frame), unix.TpacketAuxdata{Status: unix.TP_STATUS_VLAN_VALID, Vlan_tci: 42})
	want := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x81, 0x00, 0, 42, 0x08, 0x00, 0x45}
	if string(got) != string(want) {
		t.Errorf("insertVLAN = % x, want % x", got, want)
	}
}
