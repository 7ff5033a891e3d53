package findings

import (
	"sort"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// Session runs the per-session rules on a finished (or live, partial)
// session and returns its findings, worst first, then by first evidence
// frame. It only reads s. A nil session has no findings.
func Session(s *session.Session) []session.Finding {
	if s == nil {
		return nil
	}
	f := gather(s)
	var out []session.Finding
	for _, rule := range sessionRules() {
		out = append(out, rule(&f)...)
	}
	sortFindings(out)
	return out
}

// rule is one per-session check.
type rule func(f *facts) []session.Finding

// sessionRules lists the per-session rules in catalogue order.
func sessionRules() []rule {
	return []rule{
		ruleStripped, ruleOfferedNotUsed, ruleNotOffered, ruleRefused, ruleTLSInClear, ruleCommandInjection,
		ruleResponseInjection, ruleNoTLSAfter220, ruleNoEHLOAfterTLS,
		ruleAuthPlaintext, ruleAuthAdvertised, ruleMailPlaintext, rulePortTransport,
		ruleWeakVersion, ruleWeakCipher, ruleDowngrade, ruleCertificate,
		ruleSmuggling, ruleDataRejected, ruleOverlong, ruleOverlap, ruleGap,
	}
}

// Merge joins a session's own findings with the cross-session ones Capture
// returned for it: a starttls.stripped finding supersedes starttls.not_offered
// (the server can encrypt; the path removed the offer), and duplicates (same
// code and frames) are dropped. The result is sorted like Session's.
func Merge(own, extra []session.Finding) []session.Finding {
	out := make([]session.Finding, 0, len(own)+len(extra))
	stripped := false
	for _, x := range extra {
		stripped = stripped || x.Code == CodeStripped
	}
	for _, x := range own {
		stripped = stripped || x.Code == CodeStripped
	}
	seen := map[string]bool{}
	for _, list := range [][]session.Finding{own, extra} {
		for _, x := range list {
			if stripped && x.Code == CodeNotOffered {
				continue
			}
			key := x.Code + "|" + framesKey(x.Frames)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, x)
		}
	}
	sortFindings(out)
	return out
}

// framesKey spells a frame list for duplicate detection.
func framesKey(fs []int64) string {
	b := make([]byte, 0, 8*len(fs))
	for _, x := range fs {
		b = append(b, strconv.FormatInt(x, 10)...)
		b = append(b, ',')
	}
	return string(b)
}

// sortFindings orders findings worst first, then by first evidence frame,
// then by code.
func sortFindings(fs []session.Finding) {
	sort.SliceStable(fs, func(a, b int) bool {
		x, y := fs[a], fs[b]
		if x.Severity.Rank() != y.Severity.Rank() {
			return x.Severity.Rank() > y.Severity.Rank()
		}
		if fx, fy := firstFrame(x), firstFrame(y); fx != fy {
			return fx < fy
		}
		return x.Code < y.Code
	})
}

func firstFrame(x session.Finding) int64 {
	if len(x.Frames) == 0 {
		return 0
	}
	return x.Frames[0]
}

// finding builds one finding; evidence frames are sorted and deduplicated.
func finding(code string, sev session.Severity, summary string, fs ...int64) session.Finding {
	return session.Finding{Code: code, Severity: sev, Frames: frames(fs...), Summary: summary}
}

// one wraps a single finding as a rule result.
func one(x session.Finding) []session.Finding { return []session.Finding{x} }

// byRole picks a severity by port role: relay (25) and other ports share
// one (FINDINGS.md: "other … as for 25"), submission (587) and
// submissions (465) the other.
func byRole(role session.PortRole, relay, submission session.Severity) session.Severity {
	switch role {
	case session.RoleSubmission, session.RoleSubmissions:
		return submission
	}
	return relay
}

// itoa formats n in decimal.
func itoa(n int) string { return strconv.FormatInt(int64(n), 10) }
