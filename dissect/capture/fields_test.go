package capture

import "testing"

func TestFields(t *testing.T) {
	b := []byte{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e}
	for _, tt := range []struct {
		big           bool
		u16, wantU16  uint16
		u32, wantU32  uint32
		u64, wantU64  uint64
		wantRestBytes int
	}{
		{big: true, wantU16: 0x0102, wantU32: 0x03040506, wantU64: 0x0708090a0b0c0d0e},
		{big: false, wantU16: 0x0201, wantU32: 0x06050403, wantU64: 0x0e0d0c0b0a090807},
	} {
		r := byteOrder{big: tt.big}.fields(b)
		if !r.u16(&tt.u16) || !r.u32(&tt.u32) || !r.u64(&tt.u64) {
			t.Fatalf("big=%v: a read failed with %d bytes left", tt.big, r.len())
		}
		if tt.u16 != tt.wantU16 || tt.u32 != tt.wantU32 || tt.u64 != tt.wantU64 {
			t.Errorf("big=%v: read %#x %#x %#x, want %#x %#x %#x", tt.big, tt.u16, tt.u32, tt.u64, tt.wantU16, tt.wantU32, tt.wantU64)
		}
		if r.len() != 0 {
			t.Errorf("big=%v: %d bytes left, want 0", tt.big, r.len())
		}
		var v16 uint16
		if r.u16(&v16) {
			t.Errorf("big=%v: u16 at the end succeeded", tt.big)
		}
	}
	// A failed read consumes nothing.
	r := byteOrder{}.fields(b[:3])
	var v32 uint32
	var v64 uint64
	var out []byte
	if r.u32(&v32) || r.u64(&v64) || r.skip(4) || r.skip(-1) || r.bytes(4, &out) || r.bytes(-1, &out) || r.len() != 3 {
		t.Errorf("short reads: len %d after failures, want 3", r.len())
	}
	if !r.bytes(2, &out) || len(out) != 2 || cap(out) != 2 || r.len() != 1 || r.rest()[0] != 0x03 {
		t.Errorf("bytes(2) = %x (cap %d), rest %x", out, cap(out), r.rest())
	}
	if v, ok := (byteOrder{big: true}).u32At(b, 10); !ok || v != 0x0b0c0d0e {
		t.Errorf("u32At(b, 10) = %#x, %v, want 0xb0c0d0e, true", v, ok)
	}
	if _, ok := (byteOrder{}).u32At(b, 11); ok {
		t.Error("u32At past the end succeeded")
	}
}
