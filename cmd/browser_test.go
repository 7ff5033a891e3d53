package cmd

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromiumPath finds a Chromium to render pages with, or skips the test.
// CI installs Debian's chromium when it can (.ci/run); without it the
// browser checks skip and say so.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium installed (apt-get install chromium): the real-browser check of the HTML report is skipped")
	return ""
}

// headless runs Chromium headless on url with extra flags and returns its
// standard output. The flags keep it off the network (this machine has
// none) and out of the user's profile.
func headless(t *testing.T, chromium, url string, extra ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	args = append(append(args, extra...), url)
	cmd := exec.CommandContext(ctx, chromium, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, errb.Bytes())
	}
	return out.Bytes()
}

// screenshot renders url at w×h and decodes the PNG.
func screenshot(t *testing.T, chromium, url string, w, h int) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "shot.png")
	headless(t, chromium, url, "--screenshot="+shot, "--window-size="+strconv.Itoa(w)+","+strconv.Itoa(h))
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", shot, err)
	}
	return img
}

// inked measures how much of img is drawn: the share of pixels that differ
// from the most common colour (the background) and the number of distinct
// colours. A blank or failed page is one colour.
func inked(img image.Image) (share float64, colours int) {
	counts := map[uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[(r>>8)<<16|(g>>8)<<8|bl>>8]++
		}
	}
	most, total := 0, b.Dx()*b.Dy()
	for _, n := range counts {
		most = max(most, n)
	}
	return float64(total-most) / float64(total), len(counts)
}

// TestHTMLReportInChromium: the demo's HTML report, loaded in a real
// browser, builds the page the report means (its DOM holds the sessions
// table, a diagram per session and the findings), and draws it: the
// screenshot is not blank. The diagram alone renders too.
func TestHTMLReportInChromium(t *testing.T) {
	chromium := chromiumPath(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var o, e bytes.Buffer
	if code := Main([]string{"report", "--html", page, "--keylog", "../pcaps/demo.keys", "../pcaps/demo.pcap"}, nil, &o, &e); code != exitOK {
		t.Fatalf("report --html = %d, stderr %q", code, e.String())
	}
	dom := string(headless(t, chromium, "file://"+page, "--dump-dom"))
	for _, want := range []string{`class="sessions"`, "<svg", "Session #2", "starttls.offered_not_used", "RFC 3207"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the page Chromium built lacks %q", want)
		}
	}
	share, colours := inked(screenshot(t, chromium, "file://"+page, 1280, 1600))
	t.Logf("report screenshot: %.1f%% drawn, %d colours", 100*share, colours)
	if share < 0.02 || colours < 16 {
		t.Errorf("the report renders (almost) blank: %.2f%% of pixels drawn, %d colours", 100*share, colours)
	}

	svg := filepath.Join(dir, "s.svg")
	if code := Main([]string{"diagram", "--stream", "2", "--svg", svg}, nil, &o, &e); code != exitOK {
		t.Fatalf("diagram --svg = %d, stderr %q", code, e.String())
	}
	share, colours = inked(screenshot(t, chromium, "file://"+svg, 1200, 1400))
	t.Logf("diagram screenshot: %.1f%% drawn, %d colours", 100*share, colours)
	if share < 0.02 || colours < 16 {
		t.Errorf("the diagram renders (almost) blank: %.2f%% of pixels drawn, %d colours", 100*share, colours)
	}
}
