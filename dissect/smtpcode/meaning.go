package smtpcode

// Meaning returns what an SMTP reply code means, in a few words: the code's
// own meaning where an RFC gives one (RFC 5321, Sections 4.2.2 and 4.2.3;
// RFC 3207 for 454, RFC 4954 for 334, 235 and 53x, RFC 7504 for 521 and
// 556, RFC 5321 Section 4.2.1 for the classes), else its class's, else
// "not a valid SMTP reply code".
func Meaning(code int) string {
	switch code {
	case 211:
		return "system status"
	case 214:
		return "help message"
	case 220:
		return "service ready"
	case 221:
		return "closing connection"
	case 235:
		return "authentication succeeded"
	case 250:
		return "requested action okay, completed"
	case 251:
		return "user not local; will forward"
	case 252:
		return "cannot verify user, will attempt delivery"
	case 334:
		return "SASL challenge (base64)"
	case 354:
		return "start mail input; end with <CRLF>.<CRLF>"
	case 421:
		return "service not available, closing"
	case 432:
		return "password transition needed"
	case 450:
		return "mailbox unavailable (busy or blocked)"
	case 451:
		return "local error in processing"
	case 452:
		return "insufficient system storage"
	case 454:
		return "TLS not available / temporary authentication failure"
	case 455:
		return "server unable to accommodate parameters"
	case 500:
		return "syntax error, command unrecognised"
	case 501:
		return "syntax error in parameters"
	case 502:
		return "command not implemented"
	case 503:
		return "bad sequence of commands"
	case 504:
		return "parameter not implemented"
	case 521, 556:
		return "domain does not accept mail"
	case 530:
		return "authentication required (or STARTTLS first)"
	case 534:
		return "authentication mechanism too weak"
	case 535:
		return "authentication credentials invalid"
	case 538:
		return "encryption required for this mechanism"
	case 550:
		return "mailbox unavailable / policy rejection"
	case 551:
		return "user not local"
	case 552:
		return "exceeded storage allocation"
	case 553:
		return "mailbox name not allowed"
	case 554:
		return "transaction failed / no SMTP service here"
	case 555:
		return "MAIL/RCPT parameters not recognised"
	}
	// RFC 5321, Section 4.2.1: the first digit is the class.
	switch code / 100 {
	case 2:
		return "success"
	case 3:
		return "intermediate: more input expected"
	case 4:
		return "transient failure"
	case 5:
		return "permanent failure"
	}
	return "not a valid SMTP reply code"
}
