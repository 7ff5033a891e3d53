package diagram_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/smtpscope/smtpscope/dissect/diagram"
	"github.com/smtpscope/smtpscope/dissect/diagram/hostiletest"
)

// svgElements is every element the package writes.
var svgElements = map[string]bool{"svg": true, "title": true, "style": true, "rect": true, "line": true, "polygon": true,
	"path": true, "circle": true, "text": true, "tspan": true, "g": true}

// TestHostileSVG draws the hostile session in every theme and parses the
// result: only the package's own elements, no attribute and no style text
// holding anything of the corpus, text nodes free of controls and bidi.
func TestHostileSVG(t *testing.T) {
	for _, th := range []diagram.Theme{diagram.ThemeAuto, diagram.ThemeLight, diagram.ThemeDark} {
		var b bytes.Buffer
		if err := diagram.SVG(&b, hostiletest.Session(), diagram.Options{Theme: th}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), hostiletest.Marker) {
			t.Fatal("the hostile text is not in the diagram at all")
		}
		inertXML(t, b.Bytes())
	}
}

// inertXML parses doc and fails on anything the corpus could have made.
func inertXML(t *testing.T, doc []byte) {
	t.Helper()
	if !utf8.Valid(doc) {
		t.Error("document is not valid UTF-8")
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if !svgElements[tok.Name.Local] {
				t.Errorf("element %q", tok.Name.Local)
			}
			for _, a := range tok.Attr {
				if strings.Contains(strings.ToUpper(a.Value), hostiletest.Marker) || strings.HasPrefix(strings.ToLower(a.Name.Local), "on") ||
					a.Name.Local == "href" {
					t.Errorf("attribute %s=%q", a.Name.Local, a.Value)
				}
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			text := string(tok)
			if len(stack) > 0 && stack[len(stack)-1] == "style" && strings.Contains(strings.ToUpper(text), hostiletest.Marker) {
				t.Errorf("captured text inside <style>: %q", text)
			}
			checkText(t, text)
		case xml.ProcInst, xml.Directive:
			t.Errorf("unexpected %T %q", tok, tok)
		case xml.Comment:
			t.Errorf("unexpected comment %q", tok)
		}
	}
}

// checkText fails on control bytes (but for the newline after </svg>) and
// bidi or invisible format characters in a text node.
func checkText(t *testing.T, text string) {
	t.Helper()
	for _, r := range text {
		if r == '\n' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0xfffe || r == 0xffff {
			t.Errorf("text node holds %U: %q", r, text)
			return
		}
	}
}

// TestHostileMermaid checks every line of the Mermaid output is one
// statement the package writes, and no captured character outside the
// safe set is left raw.
func TestHostileMermaid(t *testing.T) {
	var b bytes.Buffer
	if err := diagram.Mermaid(&b, hostiletest.Session(), diagram.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		var text string
		switch {
		case l == "sequenceDiagram" || l == "end":
			continue
		case strings.HasPrefix(l, "%% "):
			text = l[3:]
		case strings.HasPrefix(l, "rect rgba("):
			if strings.Contains(l, hostiletest.Marker) {
				t.Errorf("captured text in %q", l)
			}
			continue
		case strings.HasPrefix(l, "participant C as "), strings.HasPrefix(l, "participant S as "):
			text = l[len("participant C as "):]
		case strings.HasPrefix(l, "Note over C,S: "), strings.HasPrefix(l, "Note right of S: "):
			_, text, _ = strings.Cut(l, ": ")
		default:
			head, rest, ok := strings.Cut(l, ": ")
			switch head {
			case "C->>S", "S-->>C", "C-)S", "S-)C":
			default:
				ok = false
			}
			if !ok {
				t.Errorf("line %q is not a statement the package writes", l)
				continue
			}
			text = rest
		}
		for _, r := range text {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" .,_@/()=+*!?'-#;", r)) {
				t.Errorf("raw %q in %q", r, l)
				break
			}
		}
	}
	if strings.Contains(b.String(), "injected") && strings.Contains(b.String(), "\nC->>S: injected") {
		t.Error("a captured newline started a statement")
	}
}

// TestMaskRevealed checks a model built with Reveal is masked in the
// diagram unless Options.Reveal.
func TestMaskRevealed(t *testing.T) {
	s := hostiletest.Session()
	s.Auth[0].Password = "hunter2"
	s.Timeline[0].Summary = "AUTH PLAIN hunter2"
	s.Commands[0].Arg = "hunter2"
	for _, reveal := range []bool{false, true} {
		var svg, mm bytes.Buffer
		diagram.SVG(&svg, s, diagram.Options{Reveal: reveal})
		diagram.Mermaid(&mm, s, diagram.Options{Reveal: reveal})
		for _, out := range []string{svg.String(), mm.String()} {
			if got := strings.Contains(out, "hunter2"); got != reveal {
				t.Errorf("reveal %v: password shown = %v", reveal, got)
			}
		}
	}
}
