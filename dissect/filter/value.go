package filter

import (
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// versionRank ranks a TLS version written as the model writes it ("TLS
// 1.2", "SSL 3.0", "TLS 1.3 draft 28") or as a user might ("1.2", "tls1.2",
// "TLSv1.3", "sslv3", "0x0303"): SSL 2.0 is 2, SSL 3.0 3, TLS 1.0 10 …
// TLS 1.3 13.
func versionRank(v string) (int64, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return 0, false
	}
	if h, ok := strings.CutPrefix(v, "0x"); ok {
		n, err := strconv.ParseUint(h, 16, 16)
		if err != nil {
			return 0, false
		}
		switch {
		case n == 0x0002:
			return 2, true
		case n == 0x0300:
			return 3, true
		case n >= 0x0301 && n <= 0x0304:
			return 10 + int64(n-0x0301), true
		case n>>8 == 0x7f:
			return 13, true // TLS 1.3 drafts
		}
		return 0, false
	}
	ssl := false
	switch {
	case strings.HasPrefix(v, "ssl"):
		ssl, v = true, v[3:]
	case strings.HasPrefix(v, "tls"):
		v = v[3:]
	}
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.Index(v, " draft"); i >= 0 {
		v = v[:i]
	}
	switch v {
	case "2", "2.0":
		if ssl {
			return 2, true
		}
	case "3", "3.0":
		if ssl {
			return 3, true
		}
	case "1", "1.0":
		return 10, true
	case "1.1":
		return 11, true
	case "1.2":
		return 12, true
	case "1.3":
		return 13, true
	}
	return 0, false
}

// parseNum reads a literal of kind k into its number.
func parseNum(k kind, v string) (int64, bool) {
	lv := strings.ToLower(v)
	switch k {
	case kindInt, kindFrames:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil && (k != kindFrames || n >= 0)
	case kindDuration:
		if d, err := time.ParseDuration(lv); err == nil {
			return int64(d), true
		}
		// A bare number is seconds, as in Wireshark's time fields.
		f, err := strconv.ParseFloat(lv, 64)
		if err != nil || f != f || f > 1e9 || f < -1e9 {
			return 0, false
		}
		return int64(f * float64(time.Second)), true
	case kindVersion:
		return versionRank(lv)
	case kindSeverity:
		r := session.Severity(lv).Rank()
		return int64(r), r >= 0
	case kindBool:
		switch lv {
		case "true", "yes", "1":
			return 1, true
		case "false", "no", "0":
			return 0, true
		}
	}
	return 0, false
}
