package findings

import (
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// ruleOverlap: overlapping TCP segments that carried different bytes: the
// server may have read other bytes than the analyzer did (RFC 9293, Section
// 3.10.7.4 leaves the choice to the receiver; evasion, Ptacek and Newsham
// 1998). TCP reassembly reports it as an anomaly tcp.overlap_conflict.
func ruleOverlap(f *facts) []session.Finding {
	var ev []int64
	for _, a := range f.s.Anomalies {
		if a.Code == CodeOverlap {
			ev = append(ev, a.Frame)
		}
	}
	if len(ev) == 0 {
		return nil
	}
	return one(finding(CodeOverlap, session.SevHigh,
		itoa(len(ev))+" overlapping segment(s) carried different bytes: the server may have seen something else", ev...))
}

// ruleGap: bytes of a direction were not captured; parsing resynchronised
// at the next line or record.
func ruleGap(f *facts) []session.Finding {
	s := f.s
	if s.TCP.Gaps == 0 {
		return nil
	}
	var ev []int64
	for i := range s.Timeline {
		if s.Timeline[i].Kind == session.KindGap {
			ev = append(ev, s.Timeline[i].Frame)
		}
	}
	return one(finding(CodeGap, session.SevInfo,
		strconv.FormatInt(s.TCP.GapBytes, 10)+" bytes in "+itoa(s.TCP.Gaps)+" gap(s) not captured: what they carried is unknown", ev...))
}
