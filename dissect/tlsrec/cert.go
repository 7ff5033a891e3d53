package tlsrec

import (
	"bytes"
	//lint:ignore SA1019 x509 still returns *dsa.PublicKey for old certificates; used only to report their key size
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"golang.org/x/crypto/cryptobyte"
)

// parseCertificates decodes a TLS ≤ 1.2 Certificate body (RFC 5246, Section
// 7.4.2): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. At most
// maxCerts certificates are decoded; a certificate that crypto/x509 rejects
// gets its Err set and does not fail the message.
func parseCertificates(body []byte, cache *CertCache) ([]Certificate, error) {
	s := cryptobyte.String(body)
	var list cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return nil, helloError("Certificate", "certificate_list", body)
	}
	var certs []Certificate
	for !list.Empty() {
		var der cryptobyte.String
		if !list.ReadUint24LengthPrefixed(&der) || len(der) == 0 {
			return certs, helloError("Certificate", "ASN.1Cert entry", list)
		}
		if len(certs) == maxCerts {
			return certs, fmt.Errorf("tlsrec: Certificate: more than %d certificates, the rest not decoded", maxCerts)
		}
		certs = append(certs, cache.decode(der))
	}
	return certs, nil
}

// CertCache remembers decoded certificates by their DER bytes, so that a
// server's chain, sent again in every session of a capture, is parsed and
// its self-signature verified (an RSA operation) once. It holds at most
// maxCachedCerts entries and is not safe for concurrent use; a nil
// *CertCache decodes every time.
type CertCache struct {
	m     map[string]Certificate
	bytes int
}

// Bounds of a CertCache: entries and DER bytes kept as keys.
const (
	maxCachedCerts     = 256
	maxCachedCertBytes = 2 << 20
)

// NewCertCache returns an empty cache.
func NewCertCache() *CertCache { return &CertCache{m: map[string]Certificate{}} }

func (c *CertCache) decode(der []byte) Certificate {
	if c == nil {
		return decodeCertificate(der)
	}
	if out, ok := c.m[string(der)]; ok {
		out.SANs = slices.Clone(out.SANs) // the caller's own
		return out
	}
	out := decodeCertificate(der)
	if len(c.m) >= maxCachedCerts || c.bytes+len(der) > maxCachedCertBytes {
		clear(c.m)
		c.bytes = 0
	}
	c.m[string(der)] = out
	c.bytes += len(der)
	out.SANs = slices.Clone(out.SANs)
	return out
}

// decodeCertificate extracts what smtpscope shows from one DER certificate.
func decodeCertificate(der []byte) Certificate {
	sum := sha256.Sum256(der)
	fp := hex.EncodeToString(sum[:])
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return Certificate{SHA256: fp, Err: sanitize.String(fmt.Errorf("tlsrec: certificate: %w", err).Error())}
	}
	out := Certificate{
		Subject:    sanitize.Text(c.Subject.String()),
		Issuer:     sanitize.Text(c.Issuer.String()),
		NotBefore:  c.NotBefore,
		NotAfter:   c.NotAfter,
		KeyAlgo:    c.PublicKeyAlgorithm.String(),
		SigAlgo:    c.SignatureAlgorithm.String(),
		SHA256:     fp,
		Version:    c.Version,
		MaxPathLen: -1,
	}
	if c.SerialNumber != nil {
		out.Serial = strings.ToUpper(c.SerialNumber.Text(16))
		if len(out.Serial)%2 == 1 {
			out.Serial = "0" + out.Serial // OpenSSL prints whole bytes
		}
	}
	if c.BasicConstraintsValid {
		out.BasicConstraints, out.CA = true, c.IsCA
		if c.MaxPathLen > 0 || c.MaxPathLenZero {
			out.MaxPathLen = c.MaxPathLen
		}
	}
	for _, n := range c.DNSNames {
		out.DNSNames = append(out.DNSNames, sanitize.Text(n))
	}
	for _, n := range c.EmailAddresses {
		out.Emails = append(out.Emails, sanitize.Text(n))
	}
	for _, ip := range c.IPAddresses {
		out.IPs = append(out.IPs, ip.String())
	}
	for _, u := range c.URIs {
		out.URIs = append(out.URIs, sanitize.Text(u.String()))
	}
	out.SANs = append(append(append(append(out.SANs, out.DNSNames...), out.Emails...), out.IPs...), out.URIs...)
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		out.KeyBits = k.N.BitLen()
		out.Exponent = k.E
	case *ecdsa.PublicKey:
		if k.Curve != nil {
			out.KeyBits = k.Curve.Params().BitSize
			out.Curve = curveName(k.Curve.Params().Name)
		}
	case ed25519.PublicKey:
		out.KeyBits = 256
	case *dsa.PublicKey:
		if k.P != nil {
			out.KeyBits = k.P.BitLen()
		}
	}
	out.SelfSigned = selfSigned(c)
	return out
}

// selfSigned reports whether c names itself as issuer and its signature
// verifies with its own key. crypto/x509 refuses to verify SHA-1 (and MD5)
// signatures, still common on self-signed mail certificates: for those the
// key identifiers decide (no authority key id, or equal to the subject's).
func selfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawSubject, c.RawIssuer) {
		return false
	}
	err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	if err == nil {
		return true
	}
	var insecure x509.InsecureAlgorithmError
	if errors.As(err, &insecure) {
		return len(c.AuthorityKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId)
	}
	return false
}

// ParseCertificates13 decodes a TLS 1.3 Certificate message body (RFC 8446,
// Section 4.4.2), as read after decryption: certificate_request_context
// <0..2^8-1>, then certificate_list<0..2^24-1> of CertificateEntry
// {cert_data<1..2^24-1>, extensions<0..2^16-1>}. Raw public keys are not
// supported (they are not negotiated by SMTP clients).
// cache may be nil.
func ParseCertificates13(body []byte, cache *CertCache) ([]Certificate, error) {
	s := cryptobyte.String(body)
	var ctx, list cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&ctx) || !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return nil, helloError("Certificate", "TLS 1.3 certificate_list", body)
	}
	var certs []Certificate
	for !list.Empty() {
		var der, exts cryptobyte.String
		if !list.ReadUint24LengthPrefixed(&der) || len(der) == 0 || !list.ReadUint16LengthPrefixed(&exts) {
			return certs, helloError("Certificate", "CertificateEntry", list)
		}
		if len(certs) == maxCerts {
			return certs, fmt.Errorf("tlsrec: Certificate: more than %d certificates, the rest not decoded", maxCerts)
		}
		certs = append(certs, cache.decode(der))
	}
	return certs, nil
}

// curveName is OpenSSL's short name of a NIST curve (what Zeek's x509.log
// writes in certificate.curve).
func curveName(goName string) string {
	switch goName {
	case "P-256":
		return "prime256v1"
	case "P-384":
		return "secp384r1"
	case "P-521":
		return "secp521r1"
	case "P-224":
		return "secp224r1"
	}
	return goName
}
