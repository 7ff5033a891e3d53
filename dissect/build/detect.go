package build

import "bytes"

// smtpPort reports the ports where SMTP is expected without looking at the
// bytes: 25 (RFC 5321), 587 (RFC 6409), 465 (RFC 8314) and 2525 (common
// alternative submission port), and LMTP's 24 (RFC 2033, Section 5).
func smtpPort(p uint16) bool {
	return p == 25 || p == 587 || p == 465 || p == 2525 || p == 24
}

// looksLikeBanner reports whether data starts like an SMTP greeting: "220"
// followed by space, '-' or the end of the line (RFC 5321, Section 4.2).
func looksLikeBanner(data []byte) bool {
	if len(data) < 4 || !bytes.HasPrefix(data, []byte("220")) {
		return false
	}
	switch data[3] {
	case ' ', '-', '\r', '\n':
		return true
	}
	return false
}

// looksLikeHello reports whether data starts with EHLO or HELO (any case),
// the first command of an SMTP client (RFC 5321, Section 4.1.1.1).
func looksLikeHello(data []byte) bool {
	if len(data) < 5 {
		return false
	}
	w := data[:4]
	if !bytes.EqualFold(w, []byte("EHLO")) && !bytes.EqualFold(w, []byte("HELO")) && !bytes.EqualFold(w, []byte("LHLO")) {
		return false
	}
	switch data[4] {
	case ' ', '\r', '\n':
		return true
	}
	return false
}

// looksLikeTLS reports whether data starts with a TLS handshake record
// header: content type 22 and a 3.x version (RFC 8446, Section 5.1).
func looksLikeTLS(data []byte) bool {
	return len(data) >= 3 && data[0] == 22 && data[1] == 3 && data[2] <= 4
}

// looksLikeRecord reports whether data starts with any TLS record header
// (content types 20-23, RFC 8446, Section 5.1): after a 220 to STARTTLS the
// server may answer the ClientHello with an alert.
func looksLikeRecord(data []byte) bool {
	return len(data) >= 3 && data[0] >= 20 && data[0] <= 23 && data[1] == 3 && data[2] <= 4
}
