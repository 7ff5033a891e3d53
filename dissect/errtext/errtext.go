// Package errtext turns the project's errors into the sentences users read.
//
// Errors inside the program follow Go's convention: lower case, prefixed by
// the package that made them ("capture: open x.pcap: no such file or
// directory"), so a developer can tell where one came from. People at the
// command line or in the UI get the same error without the package names,
// and with untrusted bytes made inert (dissect/sanitize).
package errtext

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// isPackage reports whether name is one of the project's packages that
// make errors: those prefixes are taken off.
func isPackage(name string) bool {
	switch name {
	case "bpf", "build", "capture", "cmd", "engine", "filter", "flow", "keylog", "live",
		"pcap", "pcapng", "pcapngw", "query", "report", "session", "smtp", "tlsdecrypt",
		"tlsrec", "tui", "stats":
		return true
	}
	return false
}

// Plain returns err as a sentence for users (see String); "" for nil.
func Plain(err error) string {
	if err == nil {
		return ""
	}
	return String(err.Error())
}

// String removes package prefixes ("cmd: ", "capture: ") wherever they
// start a part of the message, turns "open PATH: " into "cannot open
// PATH: ", and sanitizes the result.
func String(msg string) string {
	parts := strings.Split(msg, ": ")
	out := parts[:0]
	for _, p := range parts {
		if isPackage(p) {
			continue
		}
		if rest, ok := strings.CutPrefix(p, "open "); ok {
			p = "cannot open " + rest // os.PathError's "open NAME"
		}
		out = append(out, p)
	}
	return sanitize.String(strings.Join(out, ": "))
}
