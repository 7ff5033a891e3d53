package capture

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// corpusDir returns the public capture corpus, ../shared/corpus/public
// beside the module root, or skips the test.
func corpusDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "public")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("public capture corpus not found at %s (it lives beside the repository, in shared/corpus/public): %v", dir, err)
	}
	return dir
}

// corpusFiles returns the captures of the corpus (those with a
// .tshark.txt beside them).
func corpusFiles(t testing.TB) []string {
	dir := corpusDir(t)
	txts, err := filepath.Glob(filepath.Join(dir, "*.tshark.txt"))
	if err != nil || len(txts) == 0 {
		t.Fatalf("no *.tshark.txt in %s: %v", dir, err)
	}
	var caps []string
	for _, txt := range txts {
		caps = append(caps, strings.TrimSuffix(txt, ".tshark.txt"))
	}
	return caps
}

// tsharkField returns a field of the capinfos line of a .tshark.txt: the
// line after the header row that follows "## capinfos -T -m".
func tsharkField(t *testing.T, capture, field string) string {
	fh, err := os.Open(capture + ".tshark.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "## capinfos -T -m") {
			continue
		}
		var rows [][]string
		for len(rows) < 2 && sc.Scan() {
			row, err := csv.NewReader(strings.NewReader(sc.Text())).Read()
			if err != nil {
				t.Fatalf("%s: capinfos line %q: %v", capture, sc.Text(), err)
			}
			rows = append(rows, row)
		}
		if len(rows) == 2 {
			for i, name := range rows[0] {
				if name == field && i < len(rows[1]) {
					return rows[1][i]
				}
			}
		}
	}
	t.Fatalf("%s.tshark.txt: no capinfos field %q", capture, field)
	return ""
}

// TestCorpus opens every public capture: the frame count equals capinfos'
// "Number of packets", and every frame decodes without error.
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		want, err := strconv.ParseInt(tsharkField(t, path, "Number of packets"), 10, 64)
		if err != nil {
			t.Fatalf("%s: Number of packets: %v", name, err)
		}
		f, err := Open(path, Options{})
		if err != nil {
			t.Errorf("Open(%s): %v", name, err)
			continue
		}
		d := NewDecoder(DecoderOptions{})
		var last int64
		for {
			fr, err := f.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: after frame %d: %v", name, last, err)
				break
			}
			if fr.Number != last+1 {
				t.Errorf("%s: frame %d after %d", name, fr.Number, last)
			}
			last = fr.Number
			d.Decode(fr)
		}
		f.Close()
		if last != want {
			t.Errorf("%s: %d frames, capinfos says %d", name, last, want)
		}
		s := d.Stats()
		if s.Undecodable != 0 || s.TCP == 0 {
			t.Errorf("%s: decoder stats %+v, want TCP frames and none undecodable", name, s)
		}
	}
}
