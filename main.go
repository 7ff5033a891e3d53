// Command smtpscope shows SMTP sessions in packet captures as interactive
// timelines, and reports on them. See README.md.
package main

import (
	"os"

	"github.com/smtpscope/smtpscope/cmd"
)

func main() {
	os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
