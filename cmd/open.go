package cmd

import (
	"fmt"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/pcaps"
)

// open opens a capture by name: "-" is stdin, "" the embedded demo.
func (e *env) open(name string) (*capture.File, error) {
	opts := capture.Options{}
	switch name {
	case "":
		f, err := pcaps.FS().Open(pcaps.Demo())
		if err != nil {
			return nil, fmt.Errorf("cmd: embedded demo: %w", err)
		}
		return capture.NewFile(f, "demo:"+pcaps.Demo(), opts)
	case "-":
		return capture.NewFile(e.stdin, "stdin", opts)
	}
	return capture.Open(name, opts)
}
