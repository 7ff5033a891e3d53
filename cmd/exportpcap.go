package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gopacket/gopacket/layers"

	"github.com/smtpscope/smtpscope/dissect/capture"
	"github.com/smtpscope/smtpscope/dissect/capture/pcapngw"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// exportPcap writes the packets of the picked sessions to out as pcapng:
// every TCP segment between the session's endpoints from its first to its
// last frame, in capture order, with their original times.
func (e *env) exportPcap(name, out string, picked []*session.Session, force bool) int {
	src, err := e.open(name)
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
		return exitInput
	}
	defer src.Close()
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(out, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		fmt.Fprintf(e.stderr, "smtpscope export: %s exists (--force overwrites it)\n", sanitize.String(out))
		return exitInput
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "smtpscope export: %s\n", errtext.Plain(err))
		return exitInput
	}
	dec := capture.NewDecoder(capture.DecoderOptions{})
	var w *pcapngw.Writer
	var link layers.LinkType // the writer's one interface
	var written, otherLink int
	status := exitOK
	for {
		fr, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			status = exitInput
			break
		}
		seg, ok := dec.Decode(fr)
		if !ok || seg == nil || seg.TCP == nil || !inPicked(picked, fr.Number, seg) {
			continue
		}
		if w == nil {
			link = fr.LinkType
			if w, err = pcapngw.New(f, pcapngw.Options{LinkType: link}); err != nil {
				break
			}
		}
		if fr.LinkType != link {
			otherLink++
			continue
		}
		if err = w.WritePacket(fr.Time, fr.Data, fr.OrigLen); err != nil {
			break
		}
		written++
	}
	if w != nil && err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil || err == io.EOF {
		err = cerr
	}
	if err != nil && err != io.EOF {
		fmt.Fprintf(e.stderr, "smtpscope export: writing %s: %s\n", sanitize.String(out), errtext.Plain(err))
		return exitInput
	}
	if otherLink > 0 {
		fmt.Fprintf(e.stderr, "smtpscope export: %d packet(s) of another link type left out (pcapng with one interface)\n", otherLink)
	}
	fmt.Fprintf(e.stderr, "smtpscope export: %d packet(s) of %d session(s) written to %s\n", written, len(picked), sanitize.String(out))
	return status
}

// inPicked reports whether a segment belongs to one of the sessions: the
// same two endpoints (either direction) within its frames.
func inPicked(picked []*session.Session, frame int64, seg *capture.Segment) bool {
	src, dst := seg.Net.Src().String(), seg.Net.Dst().String()
	sp, dp := uint16(seg.TCP.SrcPort), uint16(seg.TCP.DstPort)
	for _, s := range picked {
		if frame < s.FirstFrame || frame > s.LastFrame {
			continue
		}
		c, v := s.Client, s.Server
		if (src == c.IP && sp == c.Port && dst == v.IP && dp == v.Port) || (src == v.IP && sp == v.Port && dst == c.IP && dp == c.Port) {
			return true
		}
	}
	return false
}
