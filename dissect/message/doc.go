// Package message is smtpscope's message layer: it reads the bytes of one
// mail message as they stream out of the SMTP parser (smtp.Options.StreamBody,
// EvBody events) and builds what the message carries: every header field
// (bounded), the named ones extracted and RFC 2047-decoded, and the MIME tree
// with each part's content type, charset, transfer encoding, disposition,
// file name, decoded size, MD5/SHA-1/SHA-256 and a bounded text preview.
//
// It is push-based like every smtpscope parser: Write takes any split of the
// message bytes and the result is the same; nothing grows with the size of a
// message (a 300 MB attachment costs the same memory as a small one): base64
// and quoted-printable are decoded and hashed as they stream, only the header
// sections (MaxHeaderBytes) and each part's preview (MaxPreview) are kept.
// Every bound is counted when hit (Message.Limits, wire.Limit).
//
// Implemented: RFC 5322 (header fields, folding, the header/body split),
// RFC 2045 (MIME-Version, Content-Type, Content-Transfer-Encoding: base64,
// quoted-printable, 7bit, 8bit, binary), RFC 2046 (multipart boundaries,
// preamble and epilogue, message/rfc822, multipart/digest's default),
// RFC 2047 (encoded words, via mime.WordDecoder with golang.org/x/text
// charsets), RFC 2183 (Content-Disposition and its filename), RFC 2231
// (parameter continuations and charsets, via mime.ParseMediaType),
// RFC 6376 (DKIM-Signature d= and s=), RFC 8617 (ARC-Seal i=, d=, s=, cv=),
// RFC 8601 (Authentication-Results), RFC 7208 (Received-SPF).
package message
