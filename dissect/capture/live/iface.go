package live

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// ARPHRD hardware types (linux/if_arp.h) this package accepts or names.
const (
	arphrdEther    = 1
	arphrdLoopback = 772
)

// arphrdNames names common non-Ethernet hardware types for errors.
func arphrdName(t int) string {
	switch t {
	case 1:
		return "ETHER"
	case 772:
		return "LOOPBACK"
	case 65534:
		return "NONE (tun, wireguard)"
	case 768:
		return "TUNNEL (ipip)"
	case 769:
		return "TUNNEL6"
	case 776:
		return "SIT"
	case 778:
		return "IPGRE"
	case 823:
		return "IP6GRE"
	case 801:
		return "IEEE80211"
	case 803:
		return "IEEE80211_RADIOTAP"
	case 512:
		return "PPP"
	case 32:
		return "INFINIBAND"
	case 280:
		return "CAN"
	}
	return "ARPHRD " + strconv.Itoa(t)
}

// Interface describes a capture interface, for `smtpscope -D`.
type Interface struct {
	Name     string
	Index    int
	Up       bool
	Loopback bool
	// Type is the ARPHRD hardware type (1 Ethernet, 772 loopback); -1 when
	// unknown. Only Ethernet and loopback interfaces can be captured on.
	Type  int
	Addrs []string // CIDR notation
}

// Capturable reports whether Open accepts the interface type.
func (i Interface) Capturable() bool { return i.Type == arphrdEther || i.Type == arphrdLoopback }

// TypeName names the hardware type ("ETHER", "LOOPBACK", …).
func (i Interface) TypeName() string {
	if i.Type < 0 {
		return "unknown"
	}
	return arphrdName(i.Type)
}

// Interfaces lists the system's network interfaces.
func Interfaces() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("live: listing interfaces: %w", err)
	}
	out := make([]Interface, 0, len(ifs))
	for _, ifi := range ifs {
		it := Interface{Name: ifi.Name, Index: ifi.Index, Up: ifi.Flags&net.FlagUp != 0,
			Loopback: ifi.Flags&net.FlagLoopback != 0, Type: -1}
		if t, err := hardwareType(ifi.Name); err == nil {
			it.Type = t
		}
		if addrs, err := ifi.Addrs(); err == nil {
			for _, a := range addrs {
				it.Addrs = append(it.Addrs, a.String())
			}
		}
		out = append(out, it)
	}
	return out, nil
}

// hardwareType reads the interface's ARPHRD type from sysfs.
func hardwareType(name string) (int, error) {
	if strings.ContainsAny(name, "/\x00") || name == "." || name == ".." {
		return 0, fmt.Errorf("live: bad interface name %q", name)
	}
	b, err := os.ReadFile("/sys/class/net/" + name + "/type")
	if err != nil {
		return 0, fmt.Errorf("live: hardware type of %s: %w", name, err)
	}
	t, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("live: hardware type of %s: %w", name, err)
	}
	return t, nil
}
