package pcaps_test

import (
	"fmt"
	"io/fs"

	"github.com/smtpscope/smtpscope/pcaps"
)

func Example() {
	data, err := fs.ReadFile(pcaps.FS(), pcaps.Demo())
	if err != nil {
		panic(err)
	}
	fmt.Println(pcaps.Demo(), len(data) > 0, "keys:", pcaps.KeyLog(pcaps.Demo()))
	for _, name := range pcaps.Names() {
		if keys := pcaps.KeyLog(name); keys != "" {
			fmt.Println(name, "+", keys)
		} else {
			fmt.Println(name)
		}
	}
	// Output:
	// demo.pcap true keys: demo.keys
	// attack-cmdinject25.pcap
	// attack-overlap25.pcap
	// attack-plainauth25.pcap
	// attack-refused25.pcap
	// attack-respinject587.pcap
	// attack-smuggling25.pcap
	// attack-stripped587.pcap
	// attack-tls10-rc4-25.pcap
	// attack-tlsfail-retry25.pcap
	// chunking25.pcap
	// demo.pcap + demo.keys
	// gap25.pcap
	// out-of-order25.pcap
	// pipelining25.pcap
	// plain25.pcap
	// recorded-dovecot-lmtp-24.pcap
	// recorded-postfix-cmdinject-25.pcap + recorded-postfix-cmdinject-25.keys
	// recorded-postfix-curl587.pcapng + recorded-postfix-curl587.keys
	// recorded-postfix-plain465.pcap
	// recorded-postfix-smtps-to-25.pcap
	// recorded-postfix-smuggle-default-25.pcap
	// recorded-postfix-smuggle-normalize-25.pcap
	// recorded-postfix-smuggle-reject-25.pcap
	// recorded-postfix-snaplen54-25.pcap
	// recorded-postfix-swaks25.pcapng
	// recorded-postfix-tls-not-offered-25.pcap
	// recorded-postfix-tls-refused-25.pcap
	// rejected-data25.pcap
	// smtps465-tls13-ipv6.pcap + smtps465-tls13-ipv6.keys
	// starttls587-tls12.pcap + starttls587-tls12.keys
	// starttls587-tls13.pcap + starttls587-tls13.keys
}
