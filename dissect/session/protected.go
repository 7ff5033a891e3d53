package session

import (
	"slices"

	"github.com/smtpscope/smtpscope/dissect/tlsname"
)

// Protected reports whether e is the first kind of event that TLS hides
// from an onlooker: SMTP read inside TLS, a run of application data, or a
// TLS record whose content was encrypted on the wire (readable only with a
// key log). The hellos are not: in TLS 1.3 everything after the
// ServerHello is encrypted (RFC 8446, Section 2), in TLS 1.2 everything
// after ChangeCipherSpec (RFC 5246, Section 7.1). Every view draws its
// "encrypted from here" line before the first event this is true of.
func (s *Session) Protected(e *Event) bool {
	switch {
	case e.Kind == KindTLSBulk:
		return true
	case e.InTLS && e.Kind.IsSMTP():
		return true
	case e.Kind == KindTLS && e.Ref >= 0 && e.Ref < len(s.TLSRecords):
		r := &s.TLSRecords[e.Ref]
		return r.Encrypted || r.Decrypted
	}
	return false
}

// IsSMTP reports whether k is an SMTP event: a command, a reply, an AUTH
// line, message bytes or a message.
func (k Kind) IsSMTP() bool {
	switch k {
	case KindCommand, KindReply, KindAuth, KindData, KindMessage:
		return true
	}
	return false
}

// EncryptedFrom names where encryption starts for a TLS version, for the
// line every view draws before the first protected event.
func EncryptedFrom(version string) string {
	switch version {
	case "":
		return "encrypted from here"
	case "TLS 1.3":
		return "encrypted from here (TLS 1.3: all after ServerHello)"
	}
	return "encrypted from here (after " + tlsname.ContentTypeName(20) + ")" // RFC 5246, Section 7.1
}

// SharesFrame reports whether one of frames is e's frame or one of the
// frames its bytes came from (how a finding's evidence finds its events).
func (e *Event) SharesFrame(frames []int64) bool {
	for _, f := range frames {
		if f == e.Frame || slices.Contains(e.Frames, f) {
			return true
		}
	}
	return false
}
