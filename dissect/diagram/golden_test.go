package diagram_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/pcaps"
)

// goldenSamples are the captures whose diagrams are kept as golden SVGs
// (and Mermaid), reviewed by rendering them: `go test ./dissect/diagram
// -run Golden -update`, then look at testdata/golden/*.svg.
var goldenSamples = []struct {
	name string
	keys bool
}{
	{"demo.pcap", true},
	{"demo.pcap", false},
	{"plain25.pcap", false},
	{"smtps465-tls13-ipv6.pcap", true},
	{"pipelining25.pcap", false},
	{"attack-stripped587.pcap", false},
	{"attack-cmdinject25.pcap", false},
	{"attack-tlsfail-retry25.pcap", false},
}

func goldenName(name string, keys bool, stream int64, ext string) string {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	if keys {
		base += ".keylog"
	}
	return filepath.Join("testdata", "golden", base+".s"+strconv.FormatInt(stream, 10)+ext)
}

func TestGolden(t *testing.T) {
	for _, g := range goldenSamples {
		for _, s := range sample(t, g.name, g.keys) {
			var svg, mm bytes.Buffer
			if err := diagram.SVG(&svg, s, diagram.Options{}); err != nil {
				t.Fatal(err)
			}
			if err := diagram.Mermaid(&mm, s, diagram.Options{}); err != nil {
				t.Fatal(err)
			}
			check(t, goldenName(g.name, g.keys, s.Stream, ".svg"), svg.Bytes())
			check(t, goldenName(g.name, g.keys, s.Stream, ".mmd"), mm.Bytes())
		}
	}
}

func check(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run with -update)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update and review the rendering)", path)
	}
}

// maxSVG bounds one sample diagram: a slide-sized picture stays small.
const maxSVG = 64 << 10

// TestWellFormed parses the SVG of every session of every sample (with and
// without keys, both explicit themes) as XML and bounds its size.
func TestWellFormed(t *testing.T) {
	for _, name := range pcaps.Names() {
		for _, keys := range []bool{false, true} {
			for _, s := range sample(t, name, keys) {
				for _, th := range []diagram.Theme{diagram.ThemeAuto, diagram.ThemeDark} {
					var b bytes.Buffer
					if err := diagram.SVG(&b, s, diagram.Options{Theme: th}); err != nil {
						t.Fatal(err)
					}
					if b.Len() > maxSVG {
						t.Errorf("%s #%d: SVG is %d bytes, want ≤ %d", name, s.Stream, b.Len(), maxSVG)
					}
					if err := wellFormed(b.Bytes()); err != nil {
						t.Errorf("%s #%d theme %v: %v", name, s.Stream, th, err)
					}
				}
			}
		}
	}
}

// wellFormed parses doc as XML to the end and checks the root is an svg
// element in the SVG namespace.
func wellFormed(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if st, ok := tok.(xml.StartElement); ok && root {
			root = false
			if st.Name.Local != "svg" || st.Name.Space != "http://www.w3.org/2000/svg" {
				return &xml.SyntaxError{Msg: "root is " + st.Name.Space + " " + st.Name.Local + ", want svg"}
			}
		}
	}
}
