package cmd

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCredentials(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"report", "--credentials", "--keylog", "../pcaps/demo.keys", "../pcaps/demo.pcap"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	for _, want := range []string{"PLAIN          alice@example.net            ********   success (235), in TLS",
		"LOGIN          bob@example.com              ********   success (235), in clear", "2 AUTH exchange(s)"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	out.Reset()
	if code := Main([]string{"report", "--credentials", "--reveal", "--json", "../pcaps/attack-plainauth25.pcap"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), `"user":"bob@example.com","password":"hunter2","result":235,"success":true,"in_tls":false`) {
		t.Errorf("--reveal --json: %s", out.String())
	}
}

// The users of NTLM and SCRAM exchanges, which carry no password.
func TestCredentialsNTLMandSCRAM(t *testing.T) {
	pc := filepath.Join(t.TempDir(), "auth.pcap")
	p := newPcapBuilder(t, pc)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	c := p.conv(1, 587)
	c.server("220 mx\r\n")
	c.client("EHLO c\r\n")
	c.server("250-mx\r\n250 AUTH NTLM SCRAM-SHA-256\r\n")
	c.client("AUTH NTLM " + b64("NTLMSSP\x00\x01\x00\x00\x00\x07\x82\x08\xa2") + "\r\n")
	c.server("334 " + b64("NTLMSSP\x00\x02\x00\x00\x00challenge") + "\r\n")
	c.client(b64(string(ntlmAuthenticate("CORP", "alice"))) + "\r\n")
	c.server("235 ok\r\n")
	c.client("AUTH SCRAM-SHA-256 " + b64("n,,n=bob,r=rOprNGfwEbeRWgbNEkqO") + "\r\n")
	c.server("334 " + b64("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096") + "\r\n")
	c.client(b64("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=") + "\r\n")
	c.server("535 5.7.8 failed\r\n")
	c.fin()
	p.close()
	var out, errb bytes.Buffer
	if code := Main([]string{"report", "--credentials", pc}, nil, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{`NTLM           CORP\alice                   -          success (235), in clear`,
		"SCRAM-SHA-256  bob                          -          failed (535), in clear"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
}

// ntlmAuthenticate is an NTLM AUTHENTICATE_MESSAGE ([MS-NLMP] 2.2.1.3),
// UTF-16LE strings.
func ntlmAuthenticate(domain, user string) []byte {
	u16 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), 0)
		}
		return b
	}
	payload := [][]byte{make([]byte, 24), make([]byte, 24), u16(domain), u16(user), u16("WS1"), nil}
	hdr := []byte("NTLMSSP\x00\x03\x00\x00\x00")
	off := 64
	var body []byte
	for _, p := range payload {
		hdr = append(hdr, byte(len(p)), 0, byte(len(p)), 0, byte(off), 0, 0, 0)
		body = append(body, p...)
		off += len(p)
	}
	hdr = append(hdr, 0x05, 0x82, 0x08, 0xa2) // NEGOTIATE_UNICODE among the flags
	return append(hdr, body...)
}
