package message

import "github.com/smtpscope/smtpscope/dissect/wire"

// Message is what one mail message carries. Every string holding captured
// text is unfolded, RFC 2047-decoded and sanitized (package sanitize).
type Message struct {
	// Headers holds every field of the message's header section in order
	// (up to Options.MaxFields and Options.MaxHeaderBytes).
	Headers []Field
	// The fields of RFC 5322, Section 3.6; the first occurrence wins.
	From, Sender, ReplyTo, Subject, Date, MessageID, InReplyTo, References string
	// To, Cc and Bcc list the addresses of every such field, in order.
	To, Cc, Bcc []string
	// Received holds the Received fields top first (the latest hop first,
	// RFC 5321, Section 4.4); ReceivedIPs the last IP address named in
	// each, where there is one (Zeek's smtp.log "path").
	Received    []string
	ReceivedIPs []string
	// UserAgent is X-Mailer, else User-Agent.
	UserAgent      string
	XOriginatingIP string
	DKIM           []DKIM
	ARC            []ARC
	// AuthResults and ReceivedSPF hold those fields' values, in order.
	AuthResults []string
	ReceivedSPF []string
	// Parts is the MIME tree, flattened in the order the parts start:
	// Parts[0] is the message itself; Part.Parent links the tree.
	Parts []Part
	// Size counts the bytes written; GapBytes those reported missing.
	Size     int64
	GapBytes int64
	// Limits counts the bounds hit (mime-depth, mime-parts, ...).
	Limits wire.Counts
	// Problems lists what did not follow the RFCs (bounded).
	Problems []string
}

// Field is one header field, its value unfolded, decoded and sanitized.
type Field struct {
	Name, Value string
}

// DKIM is the signing domain and selector of one DKIM-Signature
// (RFC 6376, Section 3.5).
type DKIM struct {
	Domain, Selector string
}

// ARC is one ARC-Seal (RFC 8617, Section 4.1.3): instance, signing domain,
// selector and chain validation status.
type ARC struct {
	Instance, Domain, Selector, CV string
}

// Part is one MIME entity (RFC 2045, Section 2.4).
type Part struct {
	// Index is the part's position in Message.Parts; Parent that of the
	// multipart (or message/rfc822) holding it, -1 for the message.
	Index, Parent, Depth int
	// Section is the IMAP-style part number ("1", "1.2"; "" for the
	// message itself), RFC 3501, Section 6.4.5.
	Section string
	// ContentType is the media type, lower-case ("text/plain" when absent,
	// RFC 2045, Section 5.2); Charset its charset parameter.
	ContentType, Charset string
	// Encoding is the Content-Transfer-Encoding, lower-case ("7bit" when
	// absent, RFC 2045, Section 6.1).
	Encoding string
	// Disposition is "inline", "attachment", or "" (RFC 2183).
	Disposition string
	// Filename is the disposition's filename (else Content-Type's name),
	// decoded and sanitized, as the sender gave it: never use it as a
	// path (SafeFilename makes one).
	Filename string
	// RawFilename is Filename before sanitizing: for SafeFilename only,
	// never to be shown.
	RawFilename string
	// ContentID and Description are those fields' values.
	ContentID, Description string
	// Multipart is true for a multipart entity (its children hold the
	// content); Leaf parts hold content, hashed.
	Multipart bool
	// Size counts the decoded bytes, EncodedSize the bytes of the body as
	// sent (after the header, before decoding).
	Size, EncodedSize int64
	// MD5, SHA1 and SHA256 are the lower-case hex digests of the decoded
	// content of a leaf part (Zeek's files.log md5/sha1/sha256).
	MD5, SHA1, SHA256 string
	// Preview is the start of a text part's decoded content (up to
	// Options.MaxPreview bytes), converted from its charset and sanitized;
	// PreviewCut says there is more.
	Preview    string
	PreviewCut bool
	// BadBytes counts bytes the transfer decoding skipped (outside the
	// base64 alphabet, a broken "=XX").
	BadBytes int64
	// Incomplete is true when the part ended without its boundary, or
	// bytes of it were not captured.
	Incomplete bool
}

// Attachment reports whether the part is an attachment: a leaf with
// disposition "attachment" or a file name (as Zeek and mail clients list
// them).
func (p *Part) Attachment() bool {
	return !p.Multipart && (p.Disposition == "attachment" || p.Filename != "")
}
