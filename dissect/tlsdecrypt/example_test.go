package tlsdecrypt_test

import (
	"fmt"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/tlsdecrypt"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

func ExampleParseKeyLog() {
	keys, err := tlsdecrypt.ParseKeyLog(strings.NewReader(
		"# written by SSLKEYLOGFILE\n" +
			"CLIENT_RANDOM 1ED24D31EB077F45CF6CB0145390C4F1C86F3B7DC3E9868C00FDCF791E414ACC " +
			"BFAB4EEAEE92E1091AFECC965CDCA60D69D62B409DDC1027B058FB5F09E380EC0F2B5B5222BAD49CBFA77CEF05615B45\n" +
			"CLIENT_RANDOM 00 11\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	st := keys.Stats()
	fmt.Println(keys.Len(), "connection,", st.Bad, "bad line:", st.BadLines[0].Line, st.BadLines[0].Reason)
	// Output:
	// 1 connection, 1 bad line: 3 client random is not 32 bytes of hex: "00"
}

// ExampleConn shows the wiring: every record tlsrec frames, of both
// directions, goes to one Conn per TCP connection.
func ExampleConn() {
	conn := tlsdecrypt.NewConn(nil) // no key log: nothing decrypts
	ch := &tlsrec.ClientHello{Random: [32]byte{1}}
	sh := &tlsrec.ServerHello{CipherSuite: 0x1301, SelectedVersion: tlsrec.VersionTLS13}
	conn.Record(wire.ClientToServer, &tlsrec.Record{Type: 22, Handshake: []tlsrec.Handshake{{Type: 1, ClientHello: ch}}})
	conn.Record(wire.ServerToClient, &tlsrec.Record{Type: 22, Handshake: []tlsrec.Handshake{{Type: 2, ServerHello: sh}}})
	if p, ok := conn.Record(wire.ServerToClient, &tlsrec.Record{Type: 23, Fragment: make([]byte, 40), Encrypted: true}); ok {
		fmt.Printf("%d %q\n", p.Type, p.Data)
	}
	st := conn.Status()
	fmt.Println(st.Decrypting, st.Problem, st.Reason)
	// Output:
	// false no-key no key for this client random
}
