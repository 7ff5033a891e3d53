package tlsname

import "testing"

func TestGroupNameAsZeek(t *testing.T) {
	for g, want := range map[uint16]string{
		23: "secp256r1", 24: "secp384r1", 29: "x25519", 30: "x448", 256: "ffdhe2048",
		4588: "X25519MLKEM768", 0x0A0A: "grease_0x0A0A", 0xFAFA: "grease_0xFAFA", 999: "unknown-999",
	} {
		if got := GroupName(g); got != want {
			t.Errorf("GroupName(%d) = %q, want %q", g, got, want)
		}
	}
}
