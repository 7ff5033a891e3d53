package session

// The content of a message (package message's result, copied by the
// builder): headers, MIME parts and the envelope's parameters. JSON names
// follow Zeek's smtp.log and files.log where they exist.

// EnvParams are the decoded ESMTP parameters of MAIL FROM or RCPT TO
// (RFC 5321, Section 4.1.2).
type EnvParams struct {
	// Size is SIZE= (RFC 1870), 0 when not given.
	Size int64 `json:"size,omitempty"`
	// Body is BODY= (RFC 6152, RFC 3030): 7BIT, 8BITMIME, BINARYMIME.
	Body       string `json:"body,omitempty"`
	SMTPUTF8   bool   `json:"smtputf8,omitempty"`   // RFC 6531
	RequireTLS bool   `json:"requiretls,omitempty"` // RFC 8689
	// Auth is AUTH= (RFC 4954, Section 5), xtext-decoded.
	Auth string `json:"auth,omitempty"`
	// Ret, EnvID (MAIL) and Notify, ORcpt (RCPT) are DSN's (RFC 3461).
	Ret       string   `json:"ret,omitempty"`
	EnvID     string   `json:"envid,omitempty"`
	Notify    []string `json:"notify,omitempty"`
	ORcpt     string   `json:"orcpt,omitempty"`
	ORcptType string   `json:"orcpt_type,omitempty"`
	// Other holds the other parameters as "KEYWORD" or "KEYWORD=value".
	Other    []string `json:"other,omitempty"`
	Problems []string `json:"problems,omitempty"`
}

// Rcpt is one RCPT TO of a transaction with its reply.
type Rcpt struct {
	Addr       string     `json:"addr"`
	Frame      int64      `json:"frame"`
	Reply      int        `json:"reply"` // 0 when none arrived
	ReplyFrame int64      `json:"reply_frame,omitempty"`
	Params     *EnvParams `json:"params,omitempty"`
}

// Header is one header field, unfolded, RFC 2047-decoded, sanitized.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// DKIM is one DKIM-Signature's signing domain and selector (RFC 6376).
type DKIM struct {
	Domain   string `json:"d"`
	Selector string `json:"s"`
}

// ARC is one ARC-Seal (RFC 8617): instance, domain, selector, cv.
type ARC struct {
	Instance string `json:"i"`
	Domain   string `json:"d"`
	Selector string `json:"s"`
	CV       string `json:"cv"`
}

// Part is one MIME entity of a message, like a line of Zeek's files.log
// for its leaf parts.
type Part struct {
	// ID names the part across the capture ("F<stream>.<message>.<part>"),
	// like Zeek's fuid; the message's Fuids list those of its leaves.
	ID string `json:"id"`
	// Section is the IMAP-style part number ("" for the message itself);
	// Parent the index of the enclosing part, -1 for the message.
	Section  string `json:"section"`
	Parent   int    `json:"parent"`
	Depth    int    `json:"depth"`
	MimeType string `json:"mime_type"`
	Charset  string `json:"charset,omitempty"`
	Encoding string `json:"encoding"`
	// Disposition is "inline", "attachment" or ""; Filename the name the
	// sender gave (sanitized; never a path: see message.SafeFilename).
	Disposition string `json:"disposition,omitempty"`
	Filename    string `json:"filename,omitempty"`
	ContentID   string `json:"content_id,omitempty"`
	Description string `json:"description,omitempty"`
	Multipart   bool   `json:"multipart,omitempty"`
	Attachment  bool   `json:"attachment,omitempty"`
	// Size counts decoded bytes (Zeek's seen_bytes), EncodedSize the body
	// as sent.
	Size        int64  `json:"size"`
	EncodedSize int64  `json:"encoded_size"`
	MD5         string `json:"md5,omitempty"`
	SHA1        string `json:"sha1,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	// Preview is the start of a text part, decoded and sanitized (for
	// viewers; not in reports). PreviewCut says there is more.
	Preview    string `json:"-"`
	PreviewCut bool   `json:"-"`
	BadBytes   int64  `json:"bad_bytes,omitempty"`
	Incomplete bool   `json:"incomplete,omitempty"`
}

// Attachments returns the message's attachment parts.
func (m *Message) Attachments() []*Part {
	var out []*Part
	for i := range m.Parts {
		if m.Parts[i].Attachment {
			out = append(out, &m.Parts[i])
		}
	}
	return out
}
