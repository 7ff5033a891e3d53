package live

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// selfSigned makes a certificate for "localhost".
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// serveSMTP answers one connection on ln as a minimal ESMTP server with
// STARTTLS (RFC 5321, RFC 3207), then closes. Errors go to errc.
func serveSMTP(ln net.Listener, cert tls.Certificate, errc chan<- error) {
	conn, err := ln.Accept()
	if err != nil {
		errc <- err
		return
	}
	defer conn.Close()
	var c net.Conn = conn
	r := bufio.NewReader(c)
	say := func(s string) error { _, err := c.Write([]byte(s + "\r\n")); return err }
	inTLS := false
	if err := say("220 localhost ESMTP test"); err != nil {
		errc <- err
		return
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			errc <- err
			return
		}
		verb, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			if inTLS {
				err = say("250-localhost\r\n250 8BITMIME")
			} else {
				err = say("250-localhost\r\n250 STARTTLS")
			}
		case "STARTTLS":
			if err = say("220 2.0.0 ready"); err != nil {
				break
			}
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{cert}})
			if err = tc.Handshake(); err != nil {
				break
			}
			c, r, inTLS = tc, bufio.NewReader(tc), true
		case "MAIL", "RCPT":
			err = say("250 2.1.0 ok")
		case "DATA":
			if err = say("354 go ahead"); err != nil {
				break
			}
			for {
				l, rerr := r.ReadString('\n')
				if rerr != nil {
					err = rerr
					break
				}
				if l == ".\r\n" {
					break
				}
			}
			if err == nil {
				err = say("250 2.0.0 queued")
			}
		case "QUIT":
			say("221 2.0.0 bye")
			errc <- nil
			return
		default:
			err = say("502 5.5.2 unknown")
		}
		if err != nil {
			errc <- err
			return
		}
	}
}
