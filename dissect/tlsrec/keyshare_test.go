package tlsrec

import "testing"

// serverHelloWithExt is a ServerHello (RFC 8446, Section 4.1.3) with one
// extension.
func serverHelloWithExt(random [32]byte, typ uint16, data []byte) []byte {
	b := []byte{3, 3}
	b = append(b, random[:]...)
	b = append(b, 0, 0x13, 0x01, 0)
	ext := []byte{byte(typ >> 8), byte(typ), byte(len(data) >> 8), byte(len(data))}
	ext = append(ext, data...)
	b = append(b, byte(len(ext)>>8), byte(len(ext)))
	return append(b, ext...)
}

func TestServerHelloKeyShareGroup(t *testing.T) {
	var plain, hrr [32]byte
	copy(hrr[:], hrrRandom)
	key := make([]byte, 32)
	share := append([]byte{0x00, 0x1d, 0x00, 0x20}, key...)
	for _, tc := range []struct {
		name   string
		random [32]byte
		data   []byte
		want   uint16
		bad    bool
	}{
		{"server share", plain, share, 29, false},
		{"hrr selected_group", hrr, []byte{0x00, 0x17}, 23, false},
		{"empty key", plain, []byte{0x00, 0x1d, 0x00, 0x00}, 0, true},
		{"group only outside hrr", plain, []byte{0x00, 0x17}, 0, true},
		{"trailing bytes", plain, append(append([]byte{}, share...), 0), 0, true},
	} {
		sh, err := parseServerHello(serverHelloWithExt(tc.random, extKeyShare, tc.data))
		if sh == nil {
			t.Fatalf("%s: no ServerHello (%v)", tc.name, err)
		}
		if sh.KeyShareGroup != tc.want || (err != nil) != tc.bad {
			t.Errorf("%s: group %d err %v, want %d bad %v", tc.name, sh.KeyShareGroup, err, tc.want, tc.bad)
		}
	}
}

func TestServerKeyExchangeNamedCurve(t *testing.T) {
	for _, tc := range []struct {
		name string
		body []byte
		want uint16
	}{
		// RFC 8422, Section 5.4: named_curve (3), secp256r1, a 65-byte point.
		{"ecdhe", append([]byte{3, 0, 23, 65, 4}, make([]byte, 64)...), 23},
		{"x25519", append([]byte{3, 0, 29, 32}, make([]byte, 32)...), 29},
		// RFC 5246, Section 7.4.3: DHE starts with dh_p<1..2^16-1>.
		{"dhe", append([]byte{1, 0}, make([]byte, 256)...), 0},
		{"no point", []byte{3, 0, 23, 0}, 0},
		{"short", []byte{3, 0}, 0},
	} {
		if got := namedCurve(tc.body); got != tc.want {
			t.Errorf("%s: namedCurve = %d, want %d", tc.name, got, tc.want)
		}
	}
}
