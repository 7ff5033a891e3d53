// Package tlsrec frames the TLS records of one direction of a TCP connection
// and peeks into the plaintext parts of the handshake.
//
// A Parser is push-based: the builder (package build) feeds the direction's
// reassembled bytes in capture order (Feed), reports missing bytes (Gap) and
// the end of the stream (Close). Every complete record is handed to a Sink
// with the position of the frame that delivered its last byte, which is the
// frame tshark shows for the record. The output does not depend on how the
// bytes are split between Feed calls.
//
// Readable content is decoded: handshake messages joined across records
// (ClientHello with SNI, ALPN, versions, JA3 and JA4; ServerHello with the
// selected version and cipher suite; TLS ≤ 1.2 certificate chains), alerts
// and ChangeCipherSpec. Everything after encryption starts is reported as
// encrypted records with their raw fragments, for a later decryption layer.
//
// All binary parsing uses golang.org/x/crypto/cryptobyte; no length field is
// trusted for an allocation: bytes are accumulated only as they arrive, under
// the limits of Options, and every limit hit is counted in Stats.
//
// Implemented specifications:
//   - RFC 5246 (TLS 1.2): record layer (§6.2), handshake (§7.4), alerts (§7.2)
//   - RFC 8446 (TLS 1.3): record layer (§5), handshake (§4), alerts (§6),
//     middlebox compatibility (Appendix D.4)
//   - RFC 6066 (server_name), RFC 7301 (ALPN), RFC 8422 (supported_groups,
//     ec_point_formats), RFC 6520 (heartbeat), RFC 8701 (GREASE)
//   - JA3 (Salesforce) and JA4 (FoxIO) client fingerprints
package tlsrec
