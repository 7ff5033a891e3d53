package live

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// nobodyID is the conventional uid and gid of "nobody", used when
// /etc/passwd has no such user.
const nobodyID = 65534

// DropPrivileges gives up the privileges that opened the socket, before
// any captured byte is parsed (ARCHITECTURE.md, "Live capture
// privileges"). As tcpdump's -Z does, and further (issue 12, defect 6): it
// first empties the capability bounding set (prctl PR_CAPBSET_DROP) and
// sets PR_SET_NO_NEW_PRIVS on every thread, so that nothing the process
// runs later can gain privileges. As root it then clears the supplementary groups and switches
// to $SUDO_UID/$SUDO_GID when set, else to the user "nobody", then checks
// that setuid(0) fails. Not root but holding capabilities (setcap
// cap_net_raw), it drops all of them. Go's syscall.Setuid and friends
// apply to every thread of the process (Go ≥ 1.16). It returns a line for
// stderr saying what was done ("" when there was nothing to drop).
func (s *Source) DropPrivileges() (string, error) {
	if os.Geteuid() != 0 {
		// The bounding set can only be emptied with CAP_SETPCAP, which a
		// binary given cap_net_raw lacks; no_new_privs needs nothing.
		_ = clearBoundingSet()
		if err := setNoNewPrivs(); err != nil {
			return "", err
		}
		had, err := dropCapabilities()
		if err != nil {
			return "", err
		}
		if !had {
			return "", nil
		}
		return fmt.Sprintf("smtpscope: capturing on %s as uid %d; capabilities dropped", s.iface, os.Getuid()), nil
	}
	uid, gid, who := targetIDs()
	// While root still holds CAP_SETPCAP: empty the bounding set, so that
	// no execve can gain a capability back, and set no_new_privs.
	if err := clearBoundingSet(); err != nil {
		return "", err
	}
	if err := setNoNewPrivs(); err != nil {
		return "", err
	}
	if err := syscall.Setgroups([]int{}); err != nil {
		return "", fmt.Errorf("live: setgroups: %w", err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return "", fmt.Errorf("live: setgid(%d): %w", gid, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return "", fmt.Errorf("live: setuid(%d): %w", uid, err)
	}
	if err := syscall.Setuid(0); err == nil {
		return "", fmt.Errorf("live: privileges not dropped: setuid(0) succeeded after switching to uid %d", uid)
	}
	// Capabilities kept across setuid (ambient ones) go too.
	if _, err := dropCapabilities(); err != nil {
		return "", err
	}
	return fmt.Sprintf("smtpscope: capturing on %s as uid %d%s; root privileges dropped", s.iface, uid, who), nil
}

// targetIDs picks the user to become: the one who ran sudo, else nobody.
func targetIDs() (uid, gid int, who string) {
	if u, err := strconv.Atoi(os.Getenv("SUDO_UID")); err == nil && u > 0 {
		g, err := strconv.Atoi(os.Getenv("SUDO_GID"))
		if err != nil || g <= 0 {
			g = u
		}
		return u, g, " ($SUDO_UID)"
	}
	if u, g, ok := lookupPasswd("/etc/passwd", "nobody"); ok && u > 0 {
		return u, g, " (nobody)"
	}
	return nobodyID, nobodyID, " (nobody)"
}

// lookupPasswd finds a user's uid and gid in a passwd(5) file (no cgo, so
// no NSS).
func lookupPasswd(path, name string) (uid, gid int, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// passwd(5): name:password:UID:GID:GECOS:directory:shell
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 4 || fields[0] != name {
			continue
		}
		u, err1 := strconv.Atoi(fields[2])
		g, err2 := strconv.Atoi(fields[3])
		if err1 != nil || err2 != nil {
			return 0, 0, false
		}
		return u, g, true
	}
	return 0, 0, false
}

// dropCapabilities clears the effective, permitted and inheritable
// capability sets of every thread (capset(2), version 3) and the ambient
// set; it reports whether any capability was held.
func dropCapabilities() (bool, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return false, fmt.Errorf("live: capget: %w", err)
	}
	had := data[0].Permitted|data[1].Permitted|data[0].Effective|data[1].Effective != 0
	syscall.AllThreadsSyscall6(unix.SYS_PRCTL, unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0, 0)
	if !had {
		return false, nil
	}
	data = [2]unix.CapUserData{}
	hdr.Pid = 0
	_, _, errno := syscall.AllThreadsSyscall(unix.SYS_CAPSET, uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&data[0])), 0)
	if errno != 0 {
		return true, fmt.Errorf("live: capset: %w", errno)
	}
	return true, nil
}

// clearBoundingSet drops every capability from the bounding set of every
// thread (prctl(2) PR_CAPBSET_DROP; the set is per thread). It needs
// CAP_SETPCAP.
func clearBoundingSet() error {
	last := lastCap()
	for c := 0; c <= last; c++ {
		errno := allThreadsPrctl(unix.PR_CAPBSET_DROP, uintptr(c))
		if errno == unix.EINVAL {
			break // past the kernel's last capability
		}
		if errno != 0 {
			return fmt.Errorf("live: prctl(PR_CAPBSET_DROP, %d): %w", c, errno)
		}
	}
	return nil
}

// setNoNewPrivs sets no_new_privs on every thread (prctl(2)
// PR_SET_NO_NEW_PRIVS): execve can then never grant privileges (setuid
// bits and file capabilities are ignored).
func setNoNewPrivs() error {
	if errno := allThreadsPrctl(unix.PR_SET_NO_NEW_PRIVS, 1); errno != 0 {
		return fmt.Errorf("live: prctl(PR_SET_NO_NEW_PRIVS): %w", errno)
	}
	return nil
}

// allThreadsPrctl runs prctl(option, arg) on every thread. A cgo build
// (not the supported one: CGO_ENABLED=0) cannot, and gets it on the
// calling thread only.
func allThreadsPrctl(option int, arg uintptr) syscall.Errno {
	if !allThreads() {
		_, _, errno := syscall.RawSyscall6(unix.SYS_PRCTL, uintptr(option), arg, 0, 0, 0, 0)
		return errno
	}
	_, _, errno := syscall.AllThreadsSyscall6(unix.SYS_PRCTL, uintptr(option), arg, 0, 0, 0, 0)
	return errno
}

// allThreads reports whether syscall.AllThreadsSyscall works (not in a cgo
// build): a harmless PR_GET_NO_NEW_PRIVS is tried.
func allThreads() bool {
	_, _, errno := syscall.AllThreadsSyscall(unix.SYS_PRCTL, unix.PR_GET_NO_NEW_PRIVS, 0, 0)
	return errno != syscall.ENOTSUP
}

// lastCap is the kernel's highest capability number
// (/proc/sys/kernel/cap_last_cap), 63 when unknown.
func lastCap() int {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 63
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 0 || n > 63 {
		return 63
	}
	return n
}
