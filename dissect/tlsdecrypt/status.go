package tlsdecrypt

// Problem is why a connection's records are not (all) decrypted.
type Problem uint8

const (
	// ProblemNone: decrypting, or nothing protected seen yet.
	ProblemNone Problem = iota
	// ProblemNoHello: protected records without the ClientHello or the
	// ServerHello that decryption needs.
	ProblemNoHello
	// ProblemNoKey: the key log has no secret for the client random.
	ProblemNoKey
	// ProblemSuite: the cipher suite (or version) is not supported.
	ProblemSuite
	// ProblemAuth: a record failed authentication (wrong key, or lost sync).
	ProblemAuth
	// ProblemGap: bytes of a protected record were not captured.
	ProblemGap
	// ProblemRenegotiation: a TLS ≤ 1.2 renegotiation changed the keys.
	ProblemRenegotiation
	// ProblemEarlyData: 0-RTT data (RFC 8446, Section 2.3) is not decrypted.
	ProblemEarlyData
)

// String returns a short name, e.g. "no-key".
func (p Problem) String() string {
	switch p {
	case ProblemNone:
		return "none"
	case ProblemNoHello:
		return "no-hello"
	case ProblemNoKey:
		return "no-key"
	case ProblemSuite:
		return "unsupported"
	case ProblemAuth:
		return "auth-failed"
	case ProblemGap:
		return "gap"
	case ProblemRenegotiation:
		return "renegotiation"
	case ProblemEarlyData:
		return "early-data"
	}
	return "unknown"
}

// Status says how decryption of a connection goes.
type Status struct {
	// Decrypting is true when keys are in place and the latest protected
	// record decrypted (or none came yet).
	Decrypting bool
	// Problem and Reason say what went wrong last; Reason is one line,
	// e.g. "no key for this client random" or "unsupported cipher suite
	// 0xC0AD". Both are cleared by the next decrypted record, except a
	// missing key or an unsupported suite.
	Problem Problem
	Reason  string
	// Version and Suite are the ones the ServerHello selected.
	Version, Suite uint16
	// Decrypted counts decrypted records; Failed counts protected records
	// that did not decrypt (authentication failure, gap, no key).
	Decrypted, Failed int64
}
