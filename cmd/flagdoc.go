package cmd

import (
	"flag"
	"regexp"
	"slices"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/filter"
)

// The usage texts that -h prints are the one flag table of the command
// line: shell completion and the man page are generated from them (this
// file parses them), and a test checks them against the flags each
// command's FlagSet really defines, so none of the three can drift.

// cmdDoc says where a command's flags are documented: in text, the flag
// sections named (all of them when sections is nil).
type cmdDoc struct {
	name     string // "" for smtpscope itself (the UI, live capture)
	text     string
	sections []string
}

// commandDocs lists, per command, the usage texts its -h prints.
func commandDocs() []cmdDoc {
	return []cmdDoc{
		{"", usage, []string{"UI", "Live capture"}},
		{"report", reportUsage, nil},
		{"report", liveUsage, nil}, // report -i IFACE
		{"diagram", usage, []string{"Diagram"}},
		{"lessons", lessonsUsage, nil},
		{"export", exportUsage, nil},
	}
}

// flagDoc is one documented flag.
type flagDoc struct {
	name    string // without dashes: "keylog", "i"
	long    bool   // written with two dashes
	arg     string // "FILE", "dark|light"; "" for a boolean
	desc    string // the description, continuation lines joined
	section string // the section title before " flags" ("" for "Flags:")
}

// values returns the words a flag's value is one of ("dark|light", or a
// description that starts "crit|high|medium|low|info:"), nil for free text.
func (f flagDoc) values() []string {
	if f.long && f.name == "filter" {
		// A filter starts with a field name (or a word): complete those.
		var names []string
		for _, fd := range filter.Fields() {
			names = append(names, fd.Name)
		}
		return append(names, "help")
	}
	if strings.Contains(f.arg, "|") {
		return strings.Split(f.arg, "|")
	}
	if m := choiceRe.FindStringSubmatch(f.desc); m != nil {
		return strings.Split(m[1], "|")
	}
	return nil
}

var choiceRe = regexp.MustCompile(`^([a-z0-9]+(?:\|[a-z0-9]+)+):`)

// dashed returns the flag as the usage writes it: "--json", "-i".
func (f flagDoc) dashed() string {
	if f.long {
		return "--" + f.name
	}
	return "-" + f.name
}

// flagLine is "  --name ARG[, --other ARG]   description": two spaces,
// a dash, and the description after a run of at least two spaces.
var (
	flagLine = regexp.MustCompile(`^  (-[^ ].*?)(?:\s{2,}(.*))?$`)
	flagSpec = regexp.MustCompile(`^(--?)([a-zA-Z][a-zA-Z0-9-]*)(?:[ =](\S+))?$`)
)

// usageLine is one line of a usage text, classified.
type usageLine struct {
	kind    lineKind
	text    string // the line, trimmed
	section string // for flag lines and their continuations: the section title
}

type lineKind uint8

const (
	lineBlank    lineKind = iota
	lineTitle             // a flag section's title ("UI flags:", "Flags:")
	lineFlag              // "  --name ARG   description"
	lineFlagMore          // a flag description's continuation
	lineSynopsis          // "  smtpscope …" under "Usage:"
	lineText              // anything else: prose
)

// sectionRe matches a flag section's title: "UI flags:", "Live capture
// flags (Linux …".
var sectionRe = regexp.MustCompile(`^([A-Z][A-Za-z ]*?) flags(?::| \()`)

// scanUsage classifies the lines of a usage text. A flag section starts at
// a line, not indented, that says "flags" ("Live capture flags (Linux …")
// or is "Flags:", and its title runs to the line that ends with ":"; it
// ends at the next prose line.
func scanUsage(text string) []usageLine {
	var out []usageLine
	state, section, titleOpen := "", "", false
	for _, ln := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		l := usageLine{kind: lineText, text: strings.TrimSpace(ln)}
		indented := strings.HasPrefix(ln, " ")
		switch {
		case ln == "":
			l.kind, titleOpen = lineBlank, false
			if state == "usage" {
				state = ""
			}
		case titleOpen:
			l.kind = lineTitle
			titleOpen = !strings.HasSuffix(ln, ":")
		case ln == "Usage:":
			l.kind, state = lineTitle, "usage"
		case !indented && (ln == "Flags:" || sectionRe.MatchString(ln)):
			section = ""
			if m := sectionRe.FindStringSubmatch(ln); m != nil {
				section = m[1]
			}
			l.kind, state, titleOpen = lineTitle, "flags", !strings.HasSuffix(ln, ":")
		case state == "usage" && strings.HasPrefix(ln, "  smtpscope"):
			l.kind = lineSynopsis
		case state == "usage" && indented:
			l.kind = lineFlagMore // an explanation's continuation
		case state == "flags" && strings.HasPrefix(ln, "  -"):
			l.kind, l.section = lineFlag, section
		case state == "flags" && strings.HasPrefix(ln, "     "):
			l.kind, l.section = lineFlagMore, section
		default:
			state = ""
		}
		out = append(out, l)
	}
	return out
}

// parseFlagDocs reads the flag sections of a usage text.
func parseFlagDocs(text string) []flagDoc {
	var out []flagDoc
	var last []int // indices in out of the flags of the line being continued
	for _, l := range scanUsage(text) {
		switch l.kind {
		case lineFlag:
			m := flagLine.FindStringSubmatch("  " + l.text)
			last = last[:0]
			if m == nil {
				continue
			}
			for _, spec := range strings.Split(m[1], ", ") {
				sp := flagSpec.FindStringSubmatch(strings.TrimSpace(spec))
				if sp == nil {
					continue
				}
				last = append(last, len(out))
				out = append(out, flagDoc{name: sp[2], long: sp[1] == "--", arg: sp[3], desc: m[2], section: l.section})
			}
		case lineFlagMore:
			for _, i := range last {
				out[i].desc = strings.TrimSpace(out[i].desc + " " + l.text)
			}
		default:
			last = nil
		}
	}
	return out
}

// commandFlags returns the documented flags of each command, in the order
// the usage gives them, each name once.
func commandFlags() map[string][]flagDoc {
	out := map[string][]flagDoc{}
	for _, d := range commandDocs() {
		for _, f := range parseFlagDocs(d.text) {
			if d.sections != nil && !slices.Contains(d.sections, f.section) {
				continue
			}
			if slices.ContainsFunc(out[d.name], func(g flagDoc) bool { return g.name == f.name }) {
				continue
			}
			out[d.name] = append(out[d.name], f)
		}
	}
	return out
}

// subcommands returns the commands the usage's "Usage:" lines name
// ("smtpscope report …"), plus the ones that print help text themselves.
func subcommands() []string {
	var out []string
	for _, ln := range strings.Split(usage, "\n") {
		f := strings.Fields(ln)
		if len(f) >= 2 && f[0] == "smtpscope" && isWord(f[1]) && !slices.Contains(out, f[1]) {
			out = append(out, f[1])
		}
	}
	for _, c := range []string{"completion", "man", "help", "version"} {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func isWord(s string) bool {
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

// flagSet makes a command's FlagSet and remembers it, so that tests can
// compare what a command defines with what its usage documents.
func (e *env) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	e.flagSets = append(e.flagSets, fs)
	return fs
}
