package smtp

import (
	"slices"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/wire"
)

// decodeSteps turns fuzz input into steps: each step is a header byte (bit 0
// the direction; bits 6 and 7 both set: a gap), a length byte and, for
// data steps, that many bytes.
func decodeSteps(data []byte) []step {
	var steps []step
	for len(data) >= 2 {
		h, n := data[0], int(data[1])
		data = data[2:]
		dir := wire.Dir(h & 1)
		if h&0xc0 == 0xc0 {
			steps = append(steps, step{dir: dir, gap: n + 1})
			continue
		}
		n = min(n, len(data))
		steps = append(steps, step{dir: dir, data: string(data[:n])})
		data = data[n:]
	}
	return steps
}

// encodeSteps is the inverse of decodeSteps, for seeds.
func encodeSteps(steps []step) []byte {
	var out []byte
	for _, st := range steps {
		if st.gap > 0 {
			for n := st.gap; n > 0; n -= 256 {
				out = append(out, 0xc0|byte(st.dir), byte(min(n, 256)-1))
			}
			continue
		}
		d := st.data
		for first := true; first || len(d) > 0; first = false {
			n := min(len(d), 255)
			out = append(out, byte(st.dir), byte(n))
			out = append(out, d[:n]...)
			d = d[n:]
		}
	}
	return out
}

func FuzzConn(f *testing.F) {
	for _, tc := range transcripts() {
		f.Add(encodeSteps(tc.steps))
	}
	f.Add([]byte{})
	f.Add(encodeSteps([]step{c("\x16\x03\x01\x00\x05hello\r\n"), s("\x00\x00\r\n")}))
	f.Fuzz(func(t *testing.T, data []byte) {
		steps := decodeSteps(data)
		for _, opts := range []Options{{}, {MaxLine: 64, MaxBodyKeep: 16, MaxPipeline: 4, MaxRcpt: 2, MaxAnomalies: 5}} {
			ref := run(t, opts, steps, whole)
			if limit := 8*len(data) + 32; len(ref) > limit {
				t.Fatalf("%d events for %d input bytes, want at most %d", len(ref), len(data), limit)
			}
			seed := uint64(len(data))
			if len(data) > 0 {
				seed += uint64(data[0])
			}
			for name, sp := range map[string]splitter{"bytewise": bytewise, "random": randomSplits(seed)} {
				if got := run(t, opts, steps, sp); !slices.Equal(got, ref) {
					t.Fatalf("%s split: events differ\n got: %s\nwant: %s", name, strings.Join(got, "\n      "),
						strings.Join(ref, "\n      "))
				}
			}
		}
	})
}

func TestEncodeSteps(t *testing.T) {
	for _, tc := range transcripts() {
		got := decodeSteps(encodeSteps(tc.steps))
		// Long steps come back as several steps; compare per direction.
		var a, b [2]string
		for _, st := range tc.steps {
			a[st.dir] += st.data
		}
		for _, st := range got {
			b[st.dir] += st.data
		}
		if a != b {
			t.Errorf("%s: decodeSteps(encodeSteps(steps)) changed the bytes", tc.name)
		}
	}
}
