package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/smtpscope/smtpscope/dissect/filter"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// filterFlag parses the --filter of a command (the UI's / language, package
// dissect/filter). "help" lists the fields on stdout: done is true and the
// command exits 0. A filter that cannot be parsed is reported on stderr
// with a caret under the culprit: ok is false (exit 2).
func (e *env) filterFlag(expr string) (f *filter.Filter, done, ok bool) {
	if strings.TrimSpace(expr) == "help" {
		writeFilterHelp(e.stdout)
		return nil, true, true
	}
	f, err := filter.Parse(expr)
	if err != nil {
		fmt.Fprint(e.stderr, filterErrorText(expr, err))
		return nil, false, false
	}
	return f, false, true
}

// filterErrorText is "smtpscope: --filter: column N: why" and, when the
// error says where, the filter with a caret line under it.
func filterErrorText(expr string, err error) string {
	var b strings.Builder
	var fe *filter.Error
	if !errors.As(err, &fe) {
		fmt.Fprintf(&b, "smtpscope: --filter: %s\n", sanitize.String(err.Error()))
		return b.String()
	}
	fmt.Fprintf(&b, "smtpscope: --filter: column %d: %s\n", fe.Column(), sanitize.String(fe.Msg))
	off := min(fe.Offset, len(expr))
	end := min(off+fe.Len, len(expr))
	pre, mid := sanitize.String(expr[:off]), sanitize.String(expr[off:end])
	fmt.Fprintf(&b, "  %s\n  %s^%s\n", sanitize.String(expr), strings.Repeat(" ", len([]rune(pre))),
		strings.Repeat("~", max(0, len([]rune(mid))-1)))
	return b.String()
}

// writeFilterHelp lists the filter language's fields.
func writeFilterHelp(w io.Writer) {
	fmt.Fprint(w, `Filters (the UI's / and --filter): FIELD OP VALUE, and/or/not, parentheses.
  reply >= 500 or tls.version < 1.2      port:587 tls:none cmd:AUTH alice
  not (tls == starttls) and msgs > 0     duration > 2s and frame in 100..200
OP: == != < <= > >= contains matches in (LOW..HIGH). A field with several values
matches when one does. A bare word looks for text anywhere; KEY:VALUE is
FIELD == VALUE (contains, for text). Bool and count fields alone test true / > 0.

`)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tALSO\tVALUE\tMEANING")
	for _, f := range filter.Fields() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, strings.Join(f.Aliases, " "), f.Type, f.Help)
	}
	tw.Flush()
}

// filteredWriter passes on the sessions the filter selects.
type filteredWriter struct {
	w sessionWriter
	f *filter.Filter
}

func (fw filteredWriter) Write(s *session.Session) error {
	if !fw.f.Match(s) {
		return nil
	}
	return fw.w.Write(s)
}
