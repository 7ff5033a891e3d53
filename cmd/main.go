package cmd

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/smtpscope/smtpscope/dissect/filter"
)

// Exit statuses (ARCHITECTURE.md, "The CLI contract").
const (
	exitOK    = 0
	exitInput = 1
	exitUsage = 2
)

// Main runs the command line with args (without the program name) and
// returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
	return env.run(args)
}

// run dispatches the command line to its command.
func (e *env) run(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "report":
			return e.report(args[1:])
		case "diagram":
			return e.diagram(args[1:])
		case "export":
			return e.export(args[1:])
		case "lessons":
			return e.withOutput(args[1:], (*env).lessons)
		case "completion":
			return e.withOutput(args[1:], (*env).completion)
		case "man":
			return e.withOutput(args[1:], (*env).man)
		case "help", "-h", "-help", "--help":
			fmt.Fprint(e.stdout, usage)
			return exitOK
		case "version", "-version", "--version":
			fmt.Fprintln(e.stdout, version())
			return exitOK
		}
	}
	if isLive(args) {
		return e.live(args, false)
	}
	return e.ui(args)
}

// env is what a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// now is the wall clock (the Zeek logs' #open and #close lines); tests
	// fix it.
	now func() time.Time
	// sel is the --filter of report: the sessions it writes (nil: all).
	sel *filter.Filter
	// flagSets are the FlagSets the commands made (flagdoc.go).
	flagSets []*flag.FlagSet
	// skipped lists, per file read by report, the frames skipped for
	// their link type (for report --stats --json).
	skipped []linkSkip
}

// linkSkip is one file's frames of a link type smtpscope cannot decode.
type linkSkip struct {
	File     string `json:"file"`
	LinkType int    `json:"link_type"`
	Frames   int64  `json:"frames"`
}

const usage = `smtpscope — SMTP sessions in packet captures, as timelines

Usage:
  smtpscope [FILE] [flags]             open FILE (pcap, pcapng, .gz, - for stdin) in the
                                       terminal UI; without FILE, the embedded demo capture
  smtpscope FILE FILE... | DIR         several captures (or a directory of rotated ones) as
                                       one, frames in time order as mergecap merges them
                                       (--pick: list them and open the one chosen instead)
  smtpscope --teach [FILE]             the UI in lesson mode: each session explained phase
                                       by phase (] [ n space), on the demo by default
  smtpscope --teach --tour [FILE]      a guided walk of every session's lesson, page by page, then a
                                       self-check (--no-keys: the demo as Wireshark sees it without keys)
  smtpscope --teach --compare [FILE [FILE2]]
                                       a session and its counterpart side by side, phase by
                                       phase (] [); without FILE the demo's clean 587
                                       submission next to the embedded stripped one
  smtpscope report FILE... [flags]     print every SMTP session, for people or (--json) programs
                                       (smtpscope report -h: its flags)
  smtpscope report --html OUT FILE     one self-contained HTML page: summary, sessions table,
                                       each session's diagram, ladder, findings and messages
  smtpscope export --eml DIR FILE      each message as an .eml file (--attachments DIR: each
                                       attachment; --pcap OUT: the sessions' packets; -h: flags)
  smtpscope diagram [flags] [FILE]     a session as an SVG sequence diagram (or Mermaid);
                                       without FILE, the embedded demo with its key log
  smtpscope lessons [flags] [FILE]     the lesson deck as Markdown (one heading per page,
                                       evidence in code blocks, references as links);
                                       --keylog K, --svg-dir DIR writes the diagrams beside it
  smtpscope -i IFACE [flags]           live capture into the UI (report -i IFACE: as text)
  smtpscope -D                         list interfaces for -i
  smtpscope completion bash|zsh|fish   a shell completion script (smtpscope completion -h)
  smtpscope man                        the manual page (smtpscope man | man -l -)
  smtpscope --version                  the version this binary was built from

Flags go before or after file names; -- ends the flags. --output FILE (- for stdout) sends
what report, diagram, lessons, completion and man print to FILE instead.

UI flags:
  --theme dark|light   colours (NO_COLOR in the environment turns them off)
  --keylog FILE        NSS key log (SSLKEYLOGFILE) to decrypt TLS; the demo uses its own
                       (K in the UI loads one later and re-reads the capture; not for stdin)
  --keylog-max-bytes SIZE, --keylog-max-lines N
                       read at most this much of a key log (default 64MiB, 1000000 lines); a
                       cut is said on stderr, counted (limit keylog) and in decrypt_problem;
                       a FIFO or pipe must end within 10s
  --reveal             show AUTH passwords instead of ********
  --teach              open in lesson mode (t toggles it in the UI)
  --tour               lesson mode as a guided walk: every session's pages in a row (] [), opened by
                       a page naming the sessions, closed by a self-check answered from the capture;
                       i lists the pages, \ projects the lesson, + - change its share
  --no-keys            read without any key log, not even the demo's: what Wireshark shows without keys
  --compare            a session and its counterpart side by side, stepped by phase (] [): without
                       FILE the demo's clean 587 submission and the embedded stripped one; with FILE
                       its worst session and its counterpart; with FILE FILE2 one from each
  --time tod|start|prev|epoch|utc
                       the timeline's time column: time of day (the default), seconds since
                       the first session, since the previous line, since the epoch, or time
                       of day in UTC; T in the UI cycles through them
  --mouse              capture the mouse (click selects, wheel scrolls; m toggles it). Off by
                       default, so that the terminal can select and copy text
  --pick               with several captures or a directory: list them (number, name, size)
                       and open the one whose number is typed, instead of merging them

Live capture flags (Linux AF_PACKET, no libpcap; needs CAP_NET_RAW, dropped once the socket
is open; Ctrl-C stops and reports everything captured):
  -i IFACE             interface (Ethernet or loopback)
  -f FILTER            capture filter: tcp, port N, portrange A-B, host ADDR, net CIDR, src/dst,
                       and/or/not, parentheses (default: ports 25, 465, 587 and 2525)
  --any-port           capture all TCP (filter "tcp") and find SMTP on any port
  -w FILE              also write the packets to FILE (pcapng)
  -c N                 stop after N packets
  --duration D         stop after D (e.g. 30s, 5m)
  -D                   list interfaces

Diagram flags:
  --stream N           the session to draw (tcp.stream, as in the report)
  --filter EXPR        the sessions a filter selects, as / in the UI (--filter help: the fields)
  --svg OUT            write the SVG to OUT (several sessions: OUT.sN.svg each); default stdout
  --output FILE        the SVG (as --svg) or, with --mermaid, the Mermaid text to FILE; - is stdout
  --mermaid            a Mermaid sequenceDiagram on stdout instead of SVG
  --keylog FILE        NSS key log to decrypt TLS (decrypted lines carry a lock)
  --keylog-max-bytes SIZE, --keylog-max-lines N
                       read at most this much of a key log (default 64MiB, 1000000 lines)
  --reveal             show AUTH passwords instead of ********
  --theme light|dark   fixed colours (default: light, dark when the viewer prefers dark)

Exit status: 0 ok, 1 unreadable or corrupt input (after printing what was decodable; wins over
3), 2 bad usage, 3 a finding at or above --fail-on (report).
`

const reportUsage = `smtpscope report — every SMTP session of a capture, as text or JSON

Usage:
  smtpscope report FILE... [flags]     FILE is a pcap, pcapng, .gz, or - for stdin
  smtpscope report -i IFACE [flags]    live: each session as it ends (see smtpscope -h)

Flags:
  --json               one JSON object per session per line (NDJSON), in order of first frame
  --html OUT           one self-contained HTML page (no network, no external assets): capture
                       summary, sortable sessions table, each session's diagram, ladder,
                       findings with explanations and references, messages (headers, no content)
  --theme light|dark   colours of --html (default: light, dark when the viewer prefers dark)
  --zeek DIR           write Zeek logs (smtp.log, ssl.log, x509.log, conn.log, weird.log,
                       notice.log) into DIR, with Zeek's headers, fields and escaping
  --zeek-format tsv|json
                       Zeek's ASCII logs (default) or JSON as LogAscii::use_json writes it
  --keylog FILE        NSS key log (SSLKEYLOGFILE) to decrypt TLS (pcapng secrets blocks are used too)
  --keylog-max-bytes SIZE, --keylog-max-lines N
                       read at most this much of a key log (default 64MiB, 1000000 lines); a
                       cut is said on stderr, counted (limit keylog) and in decrypt_problem;
                       a FIFO or pipe must end within 10s
  --reveal             show AUTH passwords instead of ********
  --filter EXPR        only the sessions this filter selects, in the UI's / language:
                       'reply >= 500 or tls.version < 1.2', 'port:587 tls:none', 'frame in
                       100..200' (--filter help lists the fields)
  --stats              statistics instead of sessions, over every file (and --filter): the
                       reply-code histogram, commands by verb, TLS use, versions and suites,
                       findings by severity, top clients, servers, senders and recipients,
                       sessions over time, as bar charts (--json: one object)
  --credentials        every AUTH exchange, one line each: stream, client → server, frame,
                       mechanism, user (PLAIN, LOGIN, CRAM-MD5, XOAUTH2, and the user of SCRAM
                       and NTLM), password (******** unless --reveal), success; --json: one
                       object per exchange
  --findings-only      for scripts: one line per finding, "FILE #stream client → server
                       SEVERITY code  frames 7,8  summary", in stream order, then the fix of
                       each code once; with --json one object per finding per line (file,
                       stream, client, server, code, severity, frames, summary, fix).
                       Includes the cross-session findings (a small summary of each session
                       is kept until the file is read).
  --fail-on SEVERITY   crit|high|medium|low|info: exit 3 when a finding at or above it is
                       reported (default: never)
  --max-memory SIZE    memory budget for tracked connections (default 512MiB; K, M, G, KiB,
                       MiB, GiB suffixes); past it the least recently seen connections are
                       given up and counted (limit max-memory)
  --threads N          goroutines that dissect (default: the CPUs Go may use); with 2 or more
                       reading and decoding run beside reassembly and dissection; the output
                       is the same as with --threads 1
  --format text|json|zeek|html
                       the writer: text (default), json (as --json), zeek (as --zeek, into the
                       --output directory), html (as --html, the --output page)
  --output FILE        write the report to FILE instead of stdout (- is stdout); for --format
                       zeek a directory, for --format html the page; exit statuses unchanged
  --jobs N             read N captures at once (FILE... or a directory of rotated captures,
                       taken in name order with numeric suffixes in number order); the
                       reports are written in file order and the text report ends with one
                       summary of all: the output is the same as with --jobs 1

The text report ends each file with the findings that only comparing its sessions shows
("Across sessions"); --json streams sessions and has none of these: use --findings-only.

Exit status: 0 ok, 1 unreadable or corrupt input (after printing what was decodable; wins over
3), 2 bad usage, 3 a finding at or above --fail-on.
`
