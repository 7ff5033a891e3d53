// Package tlsdecrypt decrypts the TLS records of a captured connection with
// the secrets of an NSS key log (SSLKEYLOGFILE), so that the SMTP inside
// STARTTLS or implicit TLS can be shown.
//
// ParseKeyLog reads a key log file (or a pcapng Decryption Secrets Block,
// which carries the same text). A Conn follows one TCP connection: it is fed
// every record that dissect/tlsrec frames, of both directions, in capture
// order. It learns the client random from the ClientHello and the version and
// cipher suite from the ServerHello, looks the secrets up, derives the record
// keys and returns the plaintext of each protected record. Status says why a
// connection is not (or no longer) decrypted.
//
// A passive analyzer needs no constant-time code: MACs, padding and AEAD tags
// are checked only to detect a wrong key or a desynchronised sequence number.
// No length read from the wire sizes an allocation; buffers are bounded by the
// TLS record limit (RFC 5246, Section 6.2.3).
//
// Implemented specifications:
//   - NSS key log format (CLIENT_RANDOM and the TLS 1.3 labels); pcapng
//     Decryption Secrets Block (draft-ietf-opsawg-pcapng, Section 4.7)
//   - RFC 8446 (TLS 1.3): key schedule labels (§7.1), traffic keys (§7.3),
//     record protection and per-record nonce (§5.2, §5.3, §5.4), key switch
//     after Finished, KeyUpdate (§4.6.3), compatibility CCS (Appendix D.4)
//   - RFC 5246 (TLS 1.2): PRF (§5), key block (§6.3), record protection
//     (§6.2.3.2 CBC with HMAC, §6.2.3.3 AEAD), sequence numbers (§6.1)
//   - RFC 2246 / RFC 4346 (TLS 1.0 / 1.1): MD5/SHA-1 PRF (§5), implicit
//     (1.0) and explicit (1.1) CBC IVs
//   - RFC 5288 (AES-GCM suites), RFC 5289 (ECDHE SHA-256/384 suites),
//     RFC 7905 (ChaCha20-Poly1305), RFC 7366 (encrypt-then-MAC),
//     RFC 7627 (extended master secret: only the master secret's derivation
//     changes, and the key log already carries the master secret)
package tlsdecrypt
