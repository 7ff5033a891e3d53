package zeek

import (
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// tlsVersion spells a version as Zeek's SSL::version_strings.
func tlsVersion(v string) string {
	switch v {
	case "TLS 1.3":
		return "TLSv13"
	case "TLS 1.2":
		return "TLSv12"
	case "TLS 1.1":
		return "TLSv11"
	case "TLS 1.0":
		return "TLSv10"
	case "SSL 3.0":
		return "SSLv3"
	case "SSL 2.0":
		return "SSLv2"
	}
	return v
}

// historyLetter is Zeek's ssl_history letter of a handshake message type
// (base/protocols/ssl/main.zeek, SSL::Info$ssl_history): the client's in
// upper case, the server's in lower case.
func historyLetter(t uint8) byte {
	switch t {
	case 0:
		return 'H' // hello_request
	case 1:
		return 'C' // client_hello
	case 2:
		return 'S' // server_hello
	case 3:
		return 'V' // hello_verify_request
	case 4:
		return 'T' // new_session_ticket
	case 5:
		return 'E' // end_of_early_data
	case 6:
		return 'J' // hello_retry_request
	case 8:
		return 'O' // encrypted_extensions
	case 11:
		return 'X' // certificate
	case 12:
		return 'K' // server_key_exchange
	case 13:
		return 'R' // certificate_request
	case 14:
		return 'N' // server_hello_done
	case 15:
		return 'Y' // certificate_verify
	case 16:
		return 'G' // client_key_exchange
	case 20:
		return 'F' // finished
	case 21:
		return 'W' // certificate_url
	case 22:
		return 'U' // certificate_status
	case 23:
		return 'A' // supplemental_data
	case 24:
		return 'P' // key_update
	case 254:
		return 'M' // message_hash
	}
	return 'Z'
}

const maxHistory = 100 // SSL::max_ssl_history_length

// sslHistory is what Zeek sees of the handshake: the plaintext handshake
// messages, ChangeCipherSpec (I) and alerts (L), in order.
func sslHistory(s *session.Session) (hist string, established bool, lastAlert string) {
	var b []byte
	appData := [2]bool{}
	for _, r := range s.TLSRecords {
		client := r.Dir == wire.ClientToServer
		add := func(c byte) {
			if !client {
				c += 'a' - 'A'
			}
			if len(b) < maxHistory {
				b = append(b, c)
			}
		}
		switch r.Type {
		case 20:
			add('I')
		case 21:
			if !r.Encrypted {
				add('L')
				if r.Summary != "" {
					lastAlert = alertName(r.Summary)
				}
			}
		case 22:
			if !r.Encrypted || r.Decrypted {
				if r.Decrypted {
					continue // Zeek cannot see inside
				}
				for _, h := range r.Handshake {
					add(historyLetter(h))
				}
			}
		case 23:
			if client {
				appData[0] = true
			} else {
				appData[1] = true
			}
		}
	}
	return string(b), appData[0] && appData[1], lastAlert
}

// alertName takes the description out of an alert record's summary
// ("Alert: fatal handshake_failure" -> "handshake_failure").
func alertName(summary string) string {
	f := strings.Fields(summary)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// sslRow is the ssl.log record of a session that used TLS (nil without).
func sslRow(s *session.Session, uid string) Row {
	t := s.TLS
	if t.Mode == session.TLSNone || len(s.TLSRecords) == 0 {
		return nil
	}
	r := newRow(SSLSchema)
	r.set("ts", Time(s.TLSRecords[0].Time))
	r.set("uid", Str(uid))
	r.connID(s)
	r.set("version", StrOpt(tlsVersion(t.Version)))
	r.set("cipher", StrOpt(t.Cipher))
	r.set("curve", StrOpt(t.Curve))
	r.set("server_name", StrOpt(t.SNI))
	r.set("resumed", Bool(false))
	hist, est, alert := sslHistory(s)
	r.set("last_alert", StrOpt(alert))
	r.set("next_protocol", StrOpt(t.ALPN))
	r.set("established", Bool(est || t.Decrypted))
	r.set("ssl_history", StrOpt(hist))
	if len(t.Certificates) > 0 {
		var fps, serials []string
		for _, c := range t.Certificates {
			fps = append(fps, c.SHA256)
			serials = append(serials, c.Serial)
		}
		r.set("cert_chain_fps", List(fps))
		r.set("client_cert_chain_fps", List(nil))
		r.set("smtpscope_cert_serials", List(serials))
		if t.SNI != "" {
			r.set("sni_matches_cert", Bool(session.SNIMatchesCert(t.SNI, t.Certificates[0])))
		}
	}
	r.set("smtpscope_stream", Count(s.Stream))
	r.set("smtpscope_tls_mode", Str(string(t.Mode)))
	r.set("smtpscope_ja3", StrOpt(t.JA3))
	r.set("smtpscope_ja4", StrOpt(t.JA4))
	r.set("smtpscope_ja3s", StrOpt(t.JA3S))
	r.set("smtpscope_ja4s", StrOpt(t.JA4S))
	r.set("smtpscope_decrypted", Bool(t.Decrypted))
	r.set("smtpscope_encrypted_records", Count(int64(t.EncryptedRecords)))
	return r.row
}

// keyAlg and sigAlg spell Go's algorithm names as OpenSSL's, which Zeek's
// x509.log writes.
func keyAlg(goName string) (alg, typ string) {
	switch goName {
	case "RSA":
		return "rsaEncryption", "rsa"
	case "ECDSA":
		return "id-ecPublicKey", "ecdsa"
	case "DSA":
		return "dsaEncryption", "dsa"
	case "Ed25519":
		return "ED25519", "ed25519"
	}
	return goName, strings.ToLower(goName)
}

func sigAlg(goName string) string {
	switch goName {
	case "MD5-RSA":
		return "md5WithRSAEncryption"
	case "SHA1-RSA":
		return "sha1WithRSAEncryption"
	case "SHA256-RSA":
		return "sha256WithRSAEncryption"
	case "SHA384-RSA":
		return "sha384WithRSAEncryption"
	case "SHA512-RSA":
		return "sha512WithRSAEncryption"
	case "SHA256-RSAPSS", "SHA384-RSAPSS", "SHA512-RSAPSS":
		return "rsassaPss"
	case "ECDSA-SHA1":
		return "ecdsa-with-SHA1"
	case "ECDSA-SHA256":
		return "ecdsa-with-SHA256"
	case "ECDSA-SHA384":
		return "ecdsa-with-SHA384"
	case "ECDSA-SHA512":
		return "ecdsa-with-SHA512"
	case "DSA-SHA1":
		return "dsaWithSHA1"
	case "DSA-SHA256":
		return "dsa_with_SHA256"
	case "Ed25519":
		return "ED25519"
	}
	return goName
}

// x509Rows are the x509.log records of the server's chain.
func x509Rows(s *session.Session, uid string) []Row {
	var rows []Row
	ts := certTime(s)
	for _, c := range s.TLS.Certificates {
		r := newRow(X509Schema)
		r.set("ts", Time(ts))
		r.set("fingerprint", StrOpt(c.SHA256))
		r.set("smtpscope_uid", Str(uid))
		r.set("host_cert", Bool(true))
		r.set("client_cert", Bool(false))
		if c.Err != "" {
			r.set("smtpscope_error", Str(c.Err))
			rows = append(rows, r.row)
			continue
		}
		r.set("certificate.version", Count(int64(c.Version)))
		r.set("certificate.serial", StrOpt(c.Serial))
		r.set("certificate.subject", StrOpt(c.Subject))
		r.set("certificate.issuer", StrOpt(c.Issuer))
		r.set("certificate.not_valid_before", Time(c.NotBefore))
		r.set("certificate.not_valid_after", Time(c.NotAfter))
		alg, typ := keyAlg(c.KeyAlgo)
		r.set("certificate.key_alg", StrOpt(alg))
		r.set("certificate.sig_alg", StrOpt(sigAlg(c.SigAlgo)))
		r.set("certificate.key_type", StrOpt(typ))
		if c.KeyBits > 0 {
			r.set("certificate.key_length", Count(int64(c.KeyBits)))
		}
		if c.Exponent > 0 {
			r.set("certificate.exponent", Str(itoa(c.Exponent)))
		}
		r.set("certificate.curve", StrOpt(c.Curve))
		r.set("san.dns", ListOpt(c.DNSNames))
		r.set("san.uri", ListOpt(c.URIs))
		r.set("san.email", ListOpt(c.Emails))
		r.set("san.ip", ListOpt(c.IPs))
		if c.BasicConstraints {
			r.set("basic_constraints.ca", Bool(c.CA))
			if c.MaxPathLen >= 0 {
				r.set("basic_constraints.path_len", Count(int64(c.MaxPathLen)))
			}
		}
		r.set("smtpscope_self_signed", Bool(c.SelfSigned))
		rows = append(rows, r.row)
	}
	return rows
}
