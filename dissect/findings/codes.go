package findings

// Finding codes (FINDINGS.md, "Findings"). They are stable: reports, tests
// and the TUI key on them.
const (
	CodeStripped           = "starttls.stripped"
	CodeOfferedNotUsed     = "starttls.offered_not_used"
	CodeNotOffered         = "starttls.not_offered"
	CodeRefused            = "starttls.refused"
	CodeCommandInjection   = "starttls.command_injection"
	CodeResponseInjection  = "starttls.response_injection"
	CodeNoTLSAfter220      = "starttls.no_tls_after_220"
	CodeTLSInClear         = "starttls.tls_in_clear"
	CodeTLSFailedThenPlain = "starttls.tls_failed_then_plain"
	CodeNoEHLOAfterTLS     = "starttls.no_ehlo_after_tls"
	CodeAuthPlaintext      = "auth.plaintext"
	CodeAuthAdvertised     = "auth.advertised_before_tls"
	CodeMailPlaintext      = "mail.plaintext"
	CodePortTransport      = "port.wrong_transport"
	CodeWeakVersion        = "tls.weak_version"
	CodeWeakCipher         = "tls.weak_cipher"
	CodeDowngrade          = "tls.downgrade_sentinel"
	CodeCertificate        = "tls.certificate"
	CodeSmuggling          = "smtp.smuggling"
	CodeDataRejected       = "smtp.data_rejected"
	CodeOverlong           = "smtp.overlong_line"
	CodeOverlap            = "tcp.overlap_conflict"
	CodeGap                = "capture.gap"
)
