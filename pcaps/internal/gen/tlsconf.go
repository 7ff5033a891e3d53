package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"time"
)

const (
	// certSeed is the fixed Ed25519 seed of the sample server key: the
	// certificate and its signature (Ed25519 is deterministic, RFC 8032,
	// Section 5.1.6) are byte-identical on every run.
	certSeed = "smtpscope sample server key #01!"
	// serverName is the name in the certificate, the SNI and the banners.
	serverName = "mail.example.net"
	// mxName is the relay name, also in the certificate.
	mxName = "mx.example.net"
)

// baseTime is the capture start of every scenario and the clock of both TLS
// peers (certificate validity is checked against it).
func baseTime() time.Time { return time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC) }

// caSeed is the fixed Ed25519 seed of the sample certificate authority.
const caSeed = "smtpscope sample CA key  ###02!!"

// serverCert returns the sample server's Ed25519 certificate, issued by a
// sample CA (so that it is not self-signed: the demo's good session has no
// certificate finding), and a pool trusting that CA. Both certificates are
// byte-identical on every run (Ed25519 is deterministic).
func serverCert() (tls.Certificate, *x509.CertPool, error) {
	caKey := ed25519.NewKeyFromSeed([]byte(caSeed))
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(0x5a3d00),
		Subject:               pkix.Name{CommonName: "smtpscope sample CA", Organization: []string{"smtpscope sample"}},
		NotBefore:             time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2030, time.January, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	// The reader is unused by Ed25519 signing; it is required by the API.
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("gen: create CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("gen: parse CA certificate: %w", err)
	}
	key := ed25519.NewKeyFromSeed([]byte(certSeed))
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(0x5a3d1e),
		Subject:               pkix.Name{CommonName: serverName, Organization: []string{"smtpscope sample"}},
		NotBefore:             time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{serverName, mxName},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("gen: create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("gen: parse certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

// serverTLS returns the server's TLS configuration: X25519 only so key shares
// have a fixed size, no session tickets (no NewSessionTicket of varying
// size), TLS 1.2 and 1.3.
func serverTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates:           []tls.Certificate{cert},
		MinVersion:             tls.VersionTLS12,
		CurvePreferences:       []tls.CurveID{tls.X25519},
		SessionTicketsDisabled: true,
		Time:                   baseTime,
	}
}

// clientTLS returns a client configuration pinned to one TLS version that
// writes its secrets to keys in NSS key log format. For TLS 1.2 the suite is
// ECDHE-ECDSA-AES128-GCM-SHA256 (RFC 5289), which Go uses with Ed25519
// certificates (RFC 8422, Section 5.1.1).
func clientTLS(pool *x509.CertPool, version uint16, keys io.Writer) *tls.Config {
	c := &tls.Config{
		ServerName:             serverName,
		RootCAs:                pool,
		MinVersion:             version,
		MaxVersion:             version,
		CurvePreferences:       []tls.CurveID{tls.X25519},
		SessionTicketsDisabled: true,
		KeyLogWriter:           keys,
		Time:                   baseTime,
	}
	if version == tls.VersionTLS12 {
		c.CipherSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
	}
	return c
}
