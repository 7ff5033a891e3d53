package smtp

import (
	"bytes"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// maxQuote is the number of bytes an anomaly summary quotes.
const maxQuote = 64

// Anomaly codes (Anomaly.Code). The builder turns them into findings
// (FINDINGS.md); each is emitted at most Options.MaxAnomalies times in all.
const (
	AnoOverlongLine     = "smtp.overlong_line"
	AnoBadReply         = "smtp.bad_reply"
	AnoBareLF           = "smtp.bare_lf"
	AnoUnknownCommand   = "smtp.unknown_command"
	AnoNUL              = "smtp.nul"
	Ano8BitCommand      = "smtp.8bit_command"
	AnoReplyWithoutCmd  = "smtp.reply_without_command"
	AnoBadBase64        = "smtp.bad_base64"
	AnoBDATBadSize      = "smtp.bdat_bad_size"
	AnoBufferLimit      = "smtp.buffer_limit"
	AnoPipelineLimit    = "smtp.pipeline_limit"
	AnoPartialLine      = "smtp.partial_line"
	AnoUnexpectedTLS    = "smtp.unexpected_tls"
	AnoGap              = "capture.gap"
	AnoReplyCodeChanged = "smtp.reply_code_changed"
	// AnoTLSTail: client bytes that completed the last line of a TLS
	// record sent in clear (tlsclear.go).
	AnoTLSTail = "smtp.tls_record_tail"
)

// quote returns a sanitized, double-quoted prefix of b for a summary.
func quote(b []byte) string {
	s := `"`
	if len(b) > maxQuote {
		return s + sanitize.Bytes(b[:maxQuote]) + `"...`
	}
	return s + sanitize.Bytes(b) + `"`
}

// anomaly emits an EvAnomaly unless Options.MaxAnomalies were emitted
// already; then it only counts it (binary garbage must not flood the
// timeline).
func (c *Conn) anomaly(dir wire.Dir, pos wire.Pos, code, summary string, n int64) {
	if c.anomalies >= c.opts.MaxAnomalies {
		c.lim.Anomalies++
		return
	}
	c.anomalies++
	e := c.event(EvAnomaly, dir, pos)
	e.Anomaly = Anomaly{Code: code, Summary: summary, Bytes: n}
	c.sink.Event(e)
}

// lineAnomalies flags a command or reply line that breaks RFC 5321's
// syntax rules without stopping its parsing.
func (c *Conn) lineAnomalies(dir wire.Dir, pos wire.Pos, line []byte, crlf, cut bool, limit int) {
	content := line
	if !crlf && !cut && !c.bareLF[dir] {
		// RFC 5321, Section 2.3.8: lines end with CRLF. Flagged once per
		// direction.
		c.bareLF[dir] = true
		c.anomaly(dir, pos, AnoBareLF, "line ended by a bare LF: "+quote(content), 0)
	}
	eol := 1
	if crlf {
		eol = 2
	}
	if !cut && len(content)+eol > limit {
		// RFC 5321, Section 4.5.3.1: command and reply lines are limited
		// to 512 bytes, text lines to 1000, AUTH lines to 12288
		// (RFC 4954, Section 4).
		c.anomaly(dir, pos, AnoOverlongLine, "line of "+strconv.Itoa(len(content)+eol)+" bytes exceeds "+
			strconv.Itoa(limit)+": "+quote(content), int64(len(content)+eol))
	}
	if bytes.IndexByte(content, 0) >= 0 {
		c.anomaly(dir, pos, AnoNUL, "NUL byte in line: "+quote(content), 0)
	}
}

// has8Bit reports whether b contains a byte >= 0x80.
func has8Bit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
