package mutate

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"
)

// The layout finds the records and the protocol fields of real samples,
// pcap and pcapng, so that the lies land where they are meant to.
func TestLayoutOfSamples(t *testing.T) {
	for _, tt := range []struct {
		file       string
		ng         bool
		tls, ihl   bool
		minRecords int
	}{
		{"../../../../pcaps/starttls587-tls13.pcap", false, true, true, 20},
		{"../../../../pcaps/recorded-postfix-curl587.pcapng", true, true, true, 20},
	} {
		b, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		l := parse(b)
		if l.ng != tt.ng || len(l.records) < tt.minRecords || len(l.snaplen) == 0 {
			t.Fatalf("%s: ng %v, %d records, %d snaplen fields", tt.file, l.ng, len(l.records), len(l.snaplen))
		}
		var tls, ihl, blockLens int
		for _, r := range l.records {
			f := packetFields(b, r)
			if f.tlsLen >= 0 {
				tls++
			}
			if f.ihl >= 0 && b[f.ihl]>>4 == 4 {
				ihl++
			}
			blockLens += len(r.blockLen)
		}
		if (tls > 0) != tt.tls || (ihl > 0) != tt.ihl || (blockLens > 0) != tt.ng {
			t.Errorf("%s: %d TLS records, %d IPv4 headers, %d block lengths found", tt.file, tls, ihl, blockLens)
		}
	}
}

// Every kind changes the capture, never the source, and is reproducible.
func TestEveryKindMutates(t *testing.T) {
	for _, file := range []string{"../../../../pcaps/starttls587-tls13.pcap", "../../../../pcaps/recorded-postfix-curl587.pcapng"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		orig := bytes.Clone(src)
		for _, k := range Kinds() {
			changed := 0
			for seed := uint64(0); seed < 20; seed++ {
				v := Mutate(src, rand.New(rand.NewPCG(seed, 1)), k)
				w := Mutate(src, rand.New(rand.NewPCG(seed, 1)), k)
				if !bytes.Equal(v.Data, w.Data) || v.Note != w.Note {
					t.Fatalf("%s %s seed %d: not reproducible", file, k, seed)
				}
				if v.Kind != k || v.Note == "" {
					t.Errorf("%s %s: variant %+v", file, k, v.Kind)
				}
				if !bytes.Equal(v.Data, src) {
					changed++
				}
			}
			if changed < 15 {
				t.Errorf("%s: %s changed the capture %d times in 20", file, k, changed)
			}
		}
		if !bytes.Equal(src, orig) {
			t.Fatalf("%s: the source was modified", file)
		}
	}
}
