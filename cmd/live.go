package cmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/smtpscope/smtpscope/dissect/bpf"
	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/capture/live"
	"github.com/smtpscope/smtpscope/dissect/capture/pcapngw"
	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/findings"
	"github.com/smtpscope/smtpscope/dissect/report"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/tui"
)

const liveUsage = `smtpscope — live capture (Linux AF_PACKET, no libpcap)

Usage:
  smtpscope -i IFACE [flags]           capture into the terminal UI
  smtpscope report -i IFACE [flags]    print each session as it ends, then a summary
  smtpscope -D                         list interfaces

Flags:
  -i IFACE         interface (Ethernet or loopback)
  -f FILTER        capture filter: tcp, port N, portrange A-B, host ADDR, net CIDR,
                   src/dst, and/or/not, parentheses (default: the SMTP ports
                   25, 465, 587 and 2525)
  --any-port       capture all TCP (filter "tcp") and find SMTP on any port
  -w FILE          also write the packets to FILE (pcapng)
  -c N             stop after N packets
  --duration D     stop after D (e.g. 30s, 5m)
  -D               list interfaces
  --json           (report) one JSON object per session per line
  --reveal         show AUTH passwords instead of ********
  --theme dark|light
  --time tod|start|prev|epoch|utc
                   (UI) the timeline's time column (T cycles it)

Needs CAP_NET_RAW; root privileges are dropped once the socket is open.
Ctrl-C stops the capture; everything captured is written and reported.
`

// isLive reports whether args ask for a live capture (-i or -D).
func isLive(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "i" || name == "D") {
			return true
		}
	}
	return false
}

// liveConfig is the parsed command line of a live capture.
type liveConfig struct {
	iface, filter, out, theme string
	timeFmt                   tui.TimeFormat
	anyPort, list, asJSON     bool
	help                      bool // -h printed the usage
	reveal                    bool
	count                     int64
	duration                  time.Duration
}

// parseLive parses the flags; ok is false after a usage error (printed).
func (e *env) parseLive(args []string, reportMode bool) (liveConfig, bool) {
	var c liveConfig
	fs := e.flagSet("smtpscope")
	fs.StringVar(&c.iface, "i", "", "interface")
	fs.StringVar(&c.filter, "f", "", "capture filter")
	fs.BoolVar(&c.anyPort, "any-port", false, "capture all TCP")
	fs.StringVar(&c.out, "w", "", "write packets to FILE (pcapng)")
	fs.Int64Var(&c.count, "c", 0, "stop after N packets")
	fs.DurationVar(&c.duration, "duration", 0, "stop after D")
	fs.BoolVar(&c.list, "D", false, "list interfaces")
	fs.BoolVar(&c.reveal, "reveal", false, "show AUTH passwords")
	keylog := fs.String("keylog", "", "not for live captures (see the error)")
	if reportMode {
		fs.BoolVar(&c.asJSON, "json", false, "NDJSON")
	} else {
		fs.StringVar(&c.theme, "theme", "dark", "colour theme: dark or light")
	}
	timeName := fs.String("time", "tod", "(UI) timeline time format: tod, start, prev, epoch or utc")
	files, err := parseArgs(fs, args, liveUsage, e.stdout, e.stderr)
	if err != nil {
		c.help = errors.Is(err, flag.ErrHelp)
		return c, c.help
	}
	switch {
	case *keylog != "":
		// Key log writers add a connection's secrets while it runs, after
		// the records that need them were seen: decrypt afterwards.
		fmt.Fprintln(e.stderr, "smtpscope: --keylog cannot decrypt a live capture: capture with -w FILE, then run "+
			"smtpscope report --keylog KEYS FILE (or open FILE with --keylog)")
	case len(files) > 0:
		fmt.Fprintf(e.stderr, "smtpscope: a live capture takes no file (%q)\n", sanitize.String(files[0]))
	case c.list:
		return c, true
	case c.iface == "":
		fmt.Fprintln(e.stderr, "smtpscope: -i needs an interface name (smtpscope -D lists them)")
	case c.filter != "" && c.anyPort:
		fmt.Fprintln(e.stderr, "smtpscope: give -f or --any-port, not both")
	case c.count < 0 || c.duration < 0:
		fmt.Fprintln(e.stderr, "smtpscope: -c and --duration must not be negative")
	case !validTime(*timeName):
		fmt.Fprintf(e.stderr, "smtpscope: --time must be tod, start, prev, epoch or utc, not %q\n", sanitize.String(*timeName))
	case !reportMode && c.theme != "dark" && c.theme != "light":
		fmt.Fprintf(e.stderr, "smtpscope: --theme must be dark or light, not %q\n", sanitize.String(c.theme))
	default:
		c.timeFmt, _ = tui.ParseTimeFormat(*timeName)
		return c, true
	}
	return c, false
}

// live runs `smtpscope -i IFACE …` (the UI) or, with report, `smtpscope
// report -i IFACE …`, and `-D`.
func (e *env) live(args []string, report bool) int {
	c, ok := e.parseLive(args, report)
	if !ok {
		return exitUsage
	}
	if c.help {
		return exitOK
	}
	if c.list {
		return e.listInterfaces()
	}
	expr := c.filter
	if expr == "" {
		expr = bpf.Default(c.anyPort)
	}
	filter, err := bpf.Compile(expr)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: -f: %s\n", errtext.Plain(err))
		return exitUsage
	}
	// Catch Ctrl-C before the capture starts, so that it always ends
	// cleanly (flushed, summarised) once packets may flow.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lc, err := e.openLive(c, filter)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	defer lc.close()
	if c.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.duration)
		defer cancel()
	}
	go func() { <-ctx.Done(); lc.src.Stop() }()
	go lc.pump(c.count)

	opts := engine.Options{}
	opts.Session.AnyPort = true
	opts.Session.SMTP.Reveal = c.reveal
	var status int
	if report {
		status = e.liveReport(lc, opts, c.asJSON)
	} else {
		status = e.liveUI(lc, opts, c.theme, c.timeFmt)
	}
	if lc.err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(lc.err))
		status = exitInput
	}
	return status
}

// listInterfaces prints the interfaces for -D.
func (e *env) listInterfaces() int {
	ifs, err := live.Interfaces()
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	for _, i := range ifs {
		var flags []string
		if i.Up {
			flags = append(flags, "up")
		} else {
			flags = append(flags, "down")
		}
		if i.Loopback {
			flags = append(flags, "loopback")
		}
		if !i.Capturable() {
			flags = append(flags, "not capturable: "+i.TypeName())
		}
		fmt.Fprintf(e.stdout, "%d. %s (%s)", i.Index, sanitize.String(i.Name), strings.Join(flags, ", "))
		for _, a := range i.Addrs {
			fmt.Fprintf(e.stdout, " %s", sanitize.String(a))
		}
		fmt.Fprintln(e.stdout)
	}
	return exitOK
}

// liveCapture is an open capture: the socket, the optional pcapng file,
// and the queue from the capturing goroutine to the engine.
type liveCapture struct {
	src     *live.Source
	file    *os.File
	w       *pcapngw.Writer
	frames  chan capture.Frame
	pending *capture.Frame
	bytes   atomic.Int64
	err     error // set by pump before it closes frames
}

// openLive opens the socket and the output file, then drops privileges
// (ARCHITECTURE.md, "Live capture privileges"): nothing captured is
// parsed before that.
func (e *env) openLive(c liveConfig, filter *bpf.Filter) (*liveCapture, error) {
	lc := &liveCapture{frames: make(chan capture.Frame, 4096)}
	src, err := live.Open(c.iface, live.Options{Filter: filter, Idle: lc.flush})
	if err != nil {
		return nil, err
	}
	lc.src = src
	if c.out != "" {
		f, err := os.Create(c.out)
		if err != nil {
			src.Close()
			return nil, fmt.Errorf("cmd: -w: %w", err)
		}
		lc.file = f
		lc.w, err = pcapngw.New(f, pcapngw.Options{Interface: c.iface, Filter: filter.String(), Snaplen: live.Snaplen})
		if err != nil {
			lc.close()
			return nil, fmt.Errorf("cmd: -w: %w", err)
		}
	}
	msg, err := src.DropPrivileges()
	if err != nil {
		lc.close()
		return nil, err
	}
	if msg != "" {
		fmt.Fprintln(e.stderr, msg)
	}
	return lc, nil
}

// flush writes out buffered packets (called when the capture is idle).
func (lc *liveCapture) flush() {
	if lc.w != nil && lc.err == nil {
		if err := lc.w.Flush(); err != nil {
			lc.err = err
			lc.src.Stop()
		}
	}
}

// pump reads the socket in its own goroutine, so that the engine (and the
// UI's store lock) never waits inside a read: it copies each frame, writes
// it to the pcapng file, and queues it. It stops after count frames (if
// count > 0) and closes the queue at the end.
func (lc *liveCapture) pump(count int64) {
	defer close(lc.frames)
	var n int64
	for count <= 0 || n < count {
		f, err := lc.src.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				lc.err = err
			}
			break
		}
		fr := *f
		fr.Data = append([]byte(nil), f.Data...)
		if lc.w != nil && lc.err == nil {
			if err := lc.w.WritePacket(fr.Time, fr.Data, fr.OrigLen); err != nil {
				lc.err = err
				break
			}
		}
		n++
		lc.frames <- fr
	}
	lc.src.Stop()
	lc.flush()
}

// idleAfter is how long Next waits for a frame before it reports the time
// instead (engine.Idle), so that connections still end on a quiet link.
const idleAfter = 250 * time.Millisecond

// Next returns the next queued frame, waiting for one (engine.Source).
func (lc *liveCapture) Next() (*capture.Frame, error) {
	if lc.pending == nil {
		t := time.NewTimer(idleAfter)
		select {
		case f, ok := <-lc.frames:
			t.Stop()
			if !ok {
				return nil, io.EOF
			}
			lc.pending = &f
		case now := <-t.C:
			return nil, engine.Idle{Now: now}
		}
	}
	f := lc.pending
	lc.pending = nil
	lc.bytes.Add(int64(len(f.Data)))
	return f, nil
}

// Ready reports whether a frame is queued, so that the engine only goes on
// with a batch while frames are at hand.
func (lc *liveCapture) Ready() bool { return lc.pending != nil || len(lc.frames) > 0 }

// BytesRead returns the bytes of the frames handed to the engine.
func (lc *liveCapture) BytesRead() int64 { return lc.bytes.Load() }

// Size is 0: a live capture has no known end.
func (lc *liveCapture) Size() int64 { return 0 }

// close releases the socket and the output file.
func (lc *liveCapture) close() {
	lc.src.Close()
	if lc.file != nil {
		if err := lc.file.Close(); err != nil && lc.err == nil {
			lc.err = fmt.Errorf("cmd: -w: %w", err)
		}
		lc.file = nil
	}
}

// summary is the closing line about the capture itself.
func (lc *liveCapture) summary() string {
	st := lc.src.Stats()
	return fmt.Sprintf("%d packets captured on %s, %d dropped by the kernel", st.Packets,
		sanitize.String(lc.src.Interface()), st.Drops)
}

// liveTarget makes the engine wait for a packet before it takes the UI's
// store lock (engine.Run reads frames inside Batch), shows the kernel's
// drops, and runs the cross-session rules as sessions finish.
type liveTarget struct {
	*storeTarget
	lc     *liveCapture
	across findings.Window
}

// Finished runs the cross-session rules incrementally (findings.Window).
func (t *liveTarget) Finished(s *session.Session) { t.across.Finished(s) }

func (t *liveTarget) Batch(fn func(p *session.Progress)) {
	// The engine waits for each batch's first frame outside Batch, and
	// goes on inside only while Ready: the store lock is never held
	// across a wait for the network.
	t.storeTarget.Batch(func(p *session.Progress) {
		fn(p)
		p.Drops = t.lc.src.Stats().Drops
	})
}

// liveUI runs the terminal UI on the capture.
func (e *env) liveUI(lc *liveCapture, opts engine.Options, theme string, timeFmt tui.TimeFormat) int {
	store := session.NewStore()
	title := "live: " + lc.src.Interface() + " (" + lc.src.Filter().String() + ")"
	store.Update(func(_ func(*session.Session), p *session.Progress) { p.Source = sanitize.String(title) })
	opts.BatchFrames = 256 // a batch goes on only while frames are queued (Ready)
	runErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_, err := engine.Run(ctx, lc, opts, &liveTarget{storeTarget: &storeTarget{store: store}, lc: lc})
		if errors.Is(err, context.Canceled) {
			err = nil // the UI closed: nobody reads the rest
		}
		runErr <- err
	}()
	_, noColor := os.LookupEnv("NO_COLOR")
	uiErr := tui.Run(store, tui.Options{Theme: theme, NoColor: noColor, Title: sanitize.String(title), Time: timeFmt})
	cancel()
	lc.src.Stop()
	err := <-runErr
	fmt.Fprintf(e.stderr, "smtpscope: %s\n", lc.summary())
	for _, err := range []error{uiErr, err} {
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			return exitInput
		}
	}
	return exitOK
}

// liveReportTarget writes each session as soon as it ends.
type liveReportTarget struct {
	engine.Nop
	w        sessionWriter
	flush    func() error
	err      error
	progress session.Progress
}

func (t *liveReportTarget) Batch(fn func(p *session.Progress)) { fn(&t.progress) }
func (t *liveReportTarget) Finished(s *session.Session) {
	if t.err == nil {
		t.err = t.w.Write(s)
	}
	if t.err == nil {
		t.err = t.flush()
	}
}

// flushWriter is an io.Writer that can be flushed.
type flushWriter interface {
	io.Writer
	Flush() error
}

// nopFlush adapts a plain writer.
type nopFlush struct{ io.Writer }

func (nopFlush) Flush() error { return nil }

// liveReport prints sessions as they end, then a summary: on stdout for
// text, on stderr with --json so that stdout stays NDJSON.
func (e *env) liveReport(lc *liveCapture, opts engine.Options, asJSON bool) int {
	var out flushWriter = nopFlush{e.stdout}
	if fw, ok := e.stdout.(flushWriter); ok {
		out = fw
	}
	t := &liveReportTarget{flush: out.Flush}
	var text *report.Text
	if asJSON {
		t.w = report.NewJSON(out)
	} else {
		text = report.NewText(out)
		t.w = text
	}
	// Ctrl-C, -c or the duration stop the source, not the run: the engine
	// reads to the source's end and finishes every session.
	_, runErr := engine.Run(context.Background(), lc, opts, t)
	if text != nil {
		tt := text.Totals()
		fmt.Fprintln(out, tt.Line())
		fmt.Fprintln(out, lc.summary())
	} else {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", lc.summary())
	}
	out.Flush()
	if hit := limitsText(t.progress.Limits); hit != "" {
		fmt.Fprintf(e.stderr, "smtpscope: limits hit: %s\n", hit)
	}
	for _, err := range []error{t.err, runErr} {
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			return exitInput
		}
	}
	return exitOK
}

func validTime(name string) bool {
	_, ok := tui.ParseTimeFormat(name)
	return ok
}
