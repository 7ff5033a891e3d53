package live

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// dropChildEnv marks the re-executed test binary that drops privileges.
const dropChildEnv = "SMTPSCOPE_LIVE_DROP_CHILD"

// TestDropPrivileges re-executes the test binary, which opens a socket on
// lo, drops root, and checks that it cannot get it back.
func TestDropPrivileges(t *testing.T) {
	if os.Getenv(dropChildEnv) == "1" {
		dropChild(t)
		return
	}
	requireRoot(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestDropPrivileges$", "-test.v")
	cmd.Env = append(os.Environ(), dropChildEnv+"=1", "SUDO_UID=", "SUDO_GID=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "root privileges dropped") || !strings.Contains(string(out), "--- PASS") {
		t.Errorf("child output:\n%s", out)
	}
}

// dropChild runs in the child process.
func dropChild(t *testing.T) {
	// A cgo build can only lock the calling thread (allThreadsPrctl).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	src, err := Open("lo", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	msg, err := src.DropPrivileges()
	if err != nil {
		t.Fatal(err)
	}
	t.Log(msg)
	if os.Getuid() == 0 || os.Geteuid() == 0 {
		t.Fatalf("still uid %d euid %d", os.Getuid(), os.Geteuid())
	}
	if err := syscall.Setuid(0); err == nil {
		t.Fatal("setuid(0) succeeded after dropping privileges")
	}
	if _, err := Open("lo", Options{}); err == nil || !strings.Contains(err.Error(), "needs CAP_NET_RAW") {
		t.Fatalf("Open after dropping = %v, want the CAP_NET_RAW error", err)
	}
	checkThreadsLocked(t)
}

// checkThreadsLocked reads /proc/self/task/*/status (issue 12, defect 6):
// every thread has an empty capability bounding set, no capability at all,
// and no_new_privs set.
func checkThreadsLocked(t *testing.T) {
	tasks, err := filepath.Glob("/proc/self/task/*/status")
	if err != nil || len(tasks) == 0 {
		t.Fatalf("no /proc/self/task/*/status: %v", err)
	}
	tasks = append(tasks, "/proc/self/status")
	if !allThreads() {
		t.Log("cgo build: only the calling thread is checked (CGO_ENABLED=0 is the supported build)")
		tasks = []string{"/proc/thread-self/status"}
	}
	for _, p := range tasks {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the thread exited
		}
		fields := map[string]string{}
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				fields[k] = strings.TrimSpace(v)
			}
		}
		for k, want := range map[string]string{"CapBnd": "0000000000000000", "CapEff": "0000000000000000",
			"CapPrm": "0000000000000000", "CapAmb": "0000000000000000", "NoNewPrivs": "1"} {
			if got, ok := fields[k]; ok && got != want || !ok && k != "CapAmb" {
				t.Errorf("%s: %s = %q, want %q", p, k, got, want)
			}
		}
	}
}

func TestLookupPasswd(t *testing.T) {
	p := filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(p, []byte("root:x:0:0:root:/root:/bin/sh\nbad\nnobody:x:65534:65533:nobody:/:/sbin/nologin\n"), 0o600)
	if u, g, ok := lookupPasswd(p, "nobody"); !ok || u != 65534 || g != 65533 {
		t.Errorf("lookupPasswd(nobody) = %d, %d, %v", u, g, ok)
	}
	if _, _, ok := lookupPasswd(p, "mail"); ok {
		t.Errorf("lookupPasswd(mail) found a user")
	}
}

func TestTargetIDsSudo(t *testing.T) {
	t.Setenv("SUDO_UID", "1000")
	t.Setenv("SUDO_GID", "1001")
	if u, g, _ := targetIDs(); u != 1000 || g != 1001 {
		t.Errorf("targetIDs = %d, %d; want 1000, 1001", u, g)
	}
	t.Setenv("SUDO_UID", "0")
	if u, _, _ := targetIDs(); u == 0 {
		t.Errorf("targetIDs with SUDO_UID=0 keeps root")
	}
}
