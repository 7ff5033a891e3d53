package tlsrec_test

import (
	"fmt"

	"github.com/smtpscope/smtpscope/dissect/tlsname"
	"github.com/smtpscope/smtpscope/dissect/tlsrec"
	"github.com/smtpscope/smtpscope/dissect/wire"
)

// printer is a Sink printing one line per record.
type printer struct{}

func (printer) Record(r *tlsrec.Record) {
	fmt.Printf("frame %d: %s (%s, %d bytes)\n", r.Pos.Frame, r.Summary, tlsname.VersionName(r.Version), r.Length)
}

func ExampleParser() {
	p := tlsrec.NewParser(wire.ServerToClient, tlsrec.Options{}, printer{})
	// A fatal handshake_failure alert split over two segments, then the
	// first bytes of an application data record.
	p.Feed([]byte{21, 3, 3, 0}, wire.Pos{Frame: 7})
	p.Feed([]byte{2, 2, 40, 23, 3, 3, 0, 9, 'p', 'a', 'r'}, wire.Pos{Frame: 8})
	p.Close(wire.Pos{Frame: 9})
	// Output:
	// frame 8: Alert: fatal handshake_failure (TLS 1.2, 2 bytes)
	// frame 8: Application Data [partial: 3 of 9 bytes] (TLS 1.2, 9 bytes)
}
