package cmd

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// parseArgs parses args with fs, flags and file names in any order (as
// tshark and tcpdump take them: `report x.pcap --json`). "--" ends the
// flags: what follows is file names only. It returns the file names. On a
// usage error it prints one short line naming the flag, and how to get the
// usage, on stderr; -h prints usage on stdout.
func parseArgs(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var names []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return nil, err // flag.ErrHelp: the usage was printed
		}
		if err != nil {
			cmd := "smtpscope"
			if fs.Name() != cmd {
				cmd += " " + fs.Name()
			}
			fmt.Fprintf(stderr, "smtpscope: %s (%s -h lists the flags)\n", flagError(err), cmd)
			return nil, err
		}
		rest := fs.Args()
		used := len(args) - len(rest)
		if used > 0 && args[used-1] == "--" {
			return append(names, rest...), nil
		}
		if len(rest) == 0 {
			return names, nil
		}
		names = append(names, rest[0])
		args = rest[1:]
	}
}

// flagError rewrites the flag package's errors as plain sentences.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + sanitize.String(name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "flag " + sanitize.String(name) + " needs a value"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		// invalid value "x" for flag -c: parse error
		val, flagPart, _ := strings.Cut(rest, " for flag ")
		name, _, _ := strings.Cut(flagPart, ":")
		return "flag " + sanitize.String(name) + ": " + sanitize.String(val) + " is not a valid value"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		val, flagPart, _ := strings.Cut(rest, " for ")
		name, _, _ := strings.Cut(flagPart, ":")
		return "flag " + sanitize.String(name) + ": " + sanitize.String(val) + " is not true or false"
	}
	return sanitize.String(msg)
}

// version is the program's version from the build information: the module
// version for `go install …@vX`, else the VCS revision and time the go
// command stamped (with "+dirty" for a modified tree).
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "smtpscope (no build information)"
	}
	v := info.Main.Version
	var rev, at string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
		if rev != "" {
			v += " " + rev[:min(12, len(rev))]
			if dirty {
				v += "+dirty"
			}
			if at != "" {
				v += " (" + at + ")"
			}
		}
	}
	return "smtpscope " + v + " " + info.GoVersion
}
