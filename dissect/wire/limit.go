package wire

import (
	"slices"
	"strconv"
	"strings"
)

// Limit names one bound of ARCHITECTURE.md ("Limits"). Every dissector
// counts the times a limit was hit under its Limit, so a misspelt name is a
// compile error rather than a new counter.
type Limit uint8

// Limits, by the package that enforces them.
const (
	// dissect/capture and dissect/flow
	LimitFlows            Limit = iota + 1 // tracked connections evicted (flow.Options.MaxFlows)
	LimitReassemblyBuffer                  // out-of-order pages past the per-connection or total bound
	LimitIPFragments                       // IPv4 fragments dropped by the reassembly bounds
	// dissect/build
	LimitHeldEvents            // TCP events held while a connection is undecided
	LimitTimeline              // events past build.Options.MaxEvents in one session
	LimitTLSHandshakeSize      // handshake messages past tlsrec's size bound
	LimitAnomalies             // anomalies past the per-session bound
	LimitKeptBytes             // raw bytes past build.Options.MaxKeptBytes
	LimitRunFrames             // frames listed in one run of encrypted records
	LimitTLS13CertificateSplit // a TLS 1.3 Certificate split over several records
	LimitSMTPItems             // commands or replies past the per-session bound
	// dissect/smtp (smtp.Limits)
	LimitSMTPLine       // lines cut at smtp.Options.MaxLine
	LimitSMTPPipeline   // commands not queued past smtp.Options.MaxPipeline
	LimitSMTPRcpt       // RCPTs not kept past smtp.Options.MaxRcpt
	LimitSMTPBody       // message bodies cut at smtp.Options.MaxBodyKeep
	LimitSMTPBuffer     // client bytes past the buffer held for a reply
	LimitSMTPReplyLines // reply lines past 1000 per reply
	LimitSMTPAnomalies  // anomalies past smtp.Options.MaxAnomalies
	LimitSMTPAfterTLS   // bytes fed to smtp after the STARTTLS hand-off
	// cmd
	LimitReportOrder // sessions written out of stream order (session.Ordered)
	// dissect/flow, again
	LimitMaxMemory // connections given up to keep within flow.Options.MaxMemory
	// dissect/tlsdecrypt (counted by dissect/build)
	LimitKeyLog // key logs cut at tlsdecrypt.KeyLogOptions' bounds (bytes or lines)
	// dissect/build (recover.go)
	LimitDissectorError // streams whose dissection panicked: recovered, the stream marked
	// dissect/message (message.Options)
	LimitMIMEDepth       // multiparts not descended past message.Options.MaxDepth
	LimitMIMEParts       // parts not recorded past message.Options.MaxParts
	LimitMIMEHeaderBytes // header sections cut at message.Options.MaxHeaderBytes
	LimitMIMEPreview     // part previews cut at message.Options.MaxPreview
	LimitMIMEInFlight    // messages not parsed past the bound of messages in flight

	limitEnd // one past the last
)

// String returns the limit's name as shown in the status bar and on stderr
// (e.g. "smtp-line").
func (l Limit) String() string {
	switch l {
	case LimitFlows:
		return "flows"
	case LimitReassemblyBuffer:
		return "reassembly-buffer"
	case LimitIPFragments:
		return "ip-fragments"
	case LimitHeldEvents:
		return "held-events"
	case LimitTimeline:
		return "timeline"
	case LimitTLSHandshakeSize:
		return "tls-handshake-size"
	case LimitAnomalies:
		return "anomalies"
	case LimitKeptBytes:
		return "kept-bytes"
	case LimitRunFrames:
		return "run-frames"
	case LimitTLS13CertificateSplit:
		return "tls13-certificate-split"
	case LimitSMTPItems:
		return "smtp-items"
	case LimitSMTPLine:
		return "smtp-line"
	case LimitSMTPPipeline:
		return "smtp-pipeline"
	case LimitSMTPRcpt:
		return "smtp-rcpt"
	case LimitSMTPBody:
		return "smtp-body"
	case LimitSMTPBuffer:
		return "smtp-buffer"
	case LimitSMTPReplyLines:
		return "smtp-reply-lines"
	case LimitSMTPAnomalies:
		return "smtp-anomalies"
	case LimitSMTPAfterTLS:
		return "smtp-after-tls"
	case LimitReportOrder:
		return "report-order"
	case LimitMaxMemory:
		return "max-memory"
	case LimitKeyLog:
		return "keylog"
	case LimitDissectorError:
		return "dissector-error"
	case LimitMIMEDepth:
		return "mime-depth"
	case LimitMIMEParts:
		return "mime-parts"
	case LimitMIMEHeaderBytes:
		return "mime-header-bytes"
	case LimitMIMEPreview:
		return "mime-preview"
	case LimitMIMEInFlight:
		return "mime-in-flight"
	}
	return "limit-" + strconv.Itoa(int(l))
}

// Limits lists every limit, in declaration order.
func Limits() []Limit {
	ls := make([]Limit, 0, limitEnd-1)
	for l := Limit(1); l < limitEnd; l++ {
		ls = append(ls, l)
	}
	return ls
}

// Counts says how often each limit was hit; a limit never hit is absent.
type Counts map[Limit]int64

// Add adds every count of o to c.
func (c Counts) Add(o Counts) {
	for k, v := range o {
		c[k] += v
	}
}

// Hit returns the limits hit at least once, sorted by name (the order the
// status bar and stderr list them in).
func (c Counts) Hit() []Limit {
	ls := make([]Limit, 0, len(c))
	for k, v := range c {
		if v > 0 {
			ls = append(ls, k)
		}
	}
	slices.SortFunc(ls, func(a, b Limit) int { return strings.Compare(a.String(), b.String()) })
	return ls
}
