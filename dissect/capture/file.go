package capture

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// Buffer sizes and limits of the file readers.
const (
	// readBufSize is the size of the buffer records are read from (and
	// pointed into): 1 MiB, or more when Options.MaxRecord needs it.
	readBufSize = 1 << 20
	// sniffBufSize buffers the raw file while its magic number is sniffed.
	sniffBufSize = 64 << 10
	// blockSlack is room beyond MaxRecord for a record or block header and
	// pcapng options in the read buffer.
	blockSlack = 64 << 10
)

// File reads a pcap or pcapng capture, possibly gzip-compressed. It
// implements Reader. A File is not safe for concurrent use.
type File struct {
	name    string
	maxRec  int
	br      *bufio.Reader
	counter *countingReader
	gz      *gzip.Reader
	closer  io.Closer
	size    int64
	off     int64 // offset of the next unread byte of the uncompressed stream
	number  int64 // frames returned so far
	isNG    bool
	pcap    pcapReader
	ng      pcapngReader
	frame   Frame
	err     error // sticky: once set, Next returns it forever
	// lastReal is the offset after the last record holding a packet;
	// maxEmpty bounds how far reading may go past it (Options.MaxEmptyRun).
	lastReal, maxEmpty int64
	sawReal            bool
}

// Open opens the capture at path; "-" means standard input (which Close
// leaves open). The format is detected from the magic number: gzip, then
// pcap (four magics) or pcapng. Errors name the file.
func Open(path string, opts Options) (*File, error) {
	if path == "-" {
		return NewFile(os.Stdin, "stdin", opts)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	f, err := NewFile(fh, path, opts)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// NewFile reads a capture from r; name is used in errors. It reads and
// checks the file header before returning. Close does not close r.
func NewFile(r io.Reader, name string, opts Options) (*File, error) {
	f := &File{name: name, maxRec: opts.maxRecord(), maxEmpty: opts.maxEmptyRun()}
	f.size = sizeOf(r)
	f.counter = &countingReader{r: r}
	raw := bufio.NewReaderSize(f.counter, sniffBufSize)
	var src io.Reader = raw
	// RFC 1952, Section 2.3.1: ID1 = 31, ID2 = 139.
	if m, _ := raw.Peek(2); len(m) == 2 && m[0] == 0x1f && m[1] == 0x8b {
		gz, err := gzip.NewReader(raw)
		if err != nil {
			return nil, &FormatError{File: name, Msg: "bad gzip header", Err: err}
		}
		f.gz = gz
		src = gz
	}
	size := readBufSize
	if opts.ReadBuffer > 0 {
		size = opts.ReadBuffer
	}
	if need := f.maxRec + blockSlack; need > size {
		size = need
	}
	f.br = bufio.NewReaderSize(src, size)
	if err := f.readHeader(); err != nil {
		return nil, err
	}
	f.lastReal = f.off
	return f, nil
}

// readHeader sniffs the magic number and reads the file header.
func (f *File) readHeader() error {
	m, err := f.br.Peek(4)
	if len(m) < 4 {
		if len(m) == 0 && err == io.EOF {
			return f.errorf(0, "empty file")
		}
		return f.shortRead(0, "file header", err)
	}
	switch {
	case m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a:
		f.isNG = true
		return f.ngStart()
	default:
		if p, ok := pcapMagic(m); ok {
			f.pcap = p
			return f.pcapHeader()
		}
	}
	return f.errorf(0, "unknown file format (magic %q)", m)
}

// Next returns the next frame. It returns io.EOF at a clean end of the
// file and a *FormatError otherwise; after an error every later call
// returns the same error. The frame and its Data are reused by the next
// call.
func (f *File) Next() (*Frame, error) {
	if f.err != nil {
		return nil, f.err
	}
	var err error
	if f.isNG {
		err = f.nextPcapng()
	} else {
		err = f.nextPcap()
	}
	if err == nil {
		if f.frame.OrigLen > 0 || len(f.frame.Data) > 0 {
			f.lastReal, f.sawReal = f.off, true
		} else {
			err = f.checkEmptyRun()
		}
	}
	if err != nil {
		f.err = err
		return nil, err
	}
	return &f.frame, nil
}

// checkEmptyRun stops reading when more than maxEmpty bytes came without a
// record holding a packet (empty pcap records, pcapng blocks that are not
// packets): a decompression bomb, or a file that is not a capture.
func (f *File) checkEmptyRun() error {
	if f.off-f.lastReal <= f.maxEmpty {
		return nil
	}
	what := "of data"
	if f.gz != nil {
		what = "of decompressed data (from " + sizeText(f.counter.n) + " of gzip; a decompression bomb?)"
	}
	if !f.sawReal {
		return f.errorf(f.off, "no capture records after %s %s", sizeText(f.maxEmpty), what)
	}
	return f.errorf(f.off, "no capture records in %s %s since offset %d", sizeText(f.maxEmpty), what, f.lastReal)
}

// sizeText spells a byte count for a message: MiB, KiB or bytes.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.4g MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.4g KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Decompressed returns the bytes of the capture decompressed so far, 0 when
// the file is not gzipped (for the progress shown while a .gz is read).
func (f *File) Decompressed() int64 {
	if f.gz == nil {
		return 0
	}
	return f.off
}

// BytesRead returns how much of the file has been consumed, for a progress
// bar: the compressed bytes read when the file is gzipped (so that it
// reaches Size), else the bytes of the capture consumed.
func (f *File) BytesRead() int64 {
	if f.gz != nil {
		return f.counter.n
	}
	return f.off
}

// Ready reports whether the next frame can be read without waiting long:
// always for a regular file, else when bytes are buffered (a pipe).
func (f *File) Ready() bool { return f.size > 0 || f.br.Buffered() > 0 }

// Size returns the file size if known (a regular file), else 0.
func (f *File) Size() int64 { return f.size }

// SecretsSeen returns how many secrets blocks were read so far, cheaply,
// so that a reader can look for new ones after every frame.
func (f *File) SecretsSeen() int { return len(f.ng.secrets) }

// Secrets returns the payloads of the pcapng Decryption Secrets Blocks with
// secrets type TLS key log (0x544c534b) seen so far, in file order. The
// returned slice and the payloads are the caller's.
func (f *File) Secrets() [][]byte {
	out := make([][]byte, len(f.ng.secrets))
	for i, s := range f.ng.secrets {
		out[i] = bytes.Clone(s)
	}
	return out
}

// Close releases the file. It closes the underlying file only if Open
// opened it (not stdin, and not the reader given to NewFile).
func (f *File) Close() error {
	var err error
	if f.gz != nil {
		err = f.gz.Close()
	}
	if f.closer != nil {
		if cerr := f.closer.Close(); err == nil {
			err = cerr
		}
		f.closer = nil
	}
	if f.err == nil {
		f.err = &FormatError{File: f.name, Offset: f.off, Msg: "file closed"}
	}
	return err
}

// errorf returns a *FormatError at offset off.
func (f *File) errorf(off int64, format string, args ...any) error {
	return &FormatError{File: f.name, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// shortRead turns a failed read of what at offset off into a *FormatError:
// "truncated WHAT" when the input ended, else the I/O error wrapped.
func (f *File) shortRead(off int64, what string, err error) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FormatError{File: f.name, Offset: off, Msg: "truncated " + what}
	}
	return &FormatError{File: f.name, Offset: off, Msg: "reading " + what, Err: err}
}

// peek returns exactly n buffered bytes at the current offset, or the error
// for a short read of what at offset off. n never exceeds the buffer size.
func (f *File) peek(n int, off int64, what string) ([]byte, error) {
	b, err := f.br.Peek(n)
	if len(b) < n {
		return nil, f.shortRead(off, what, err)
	}
	return b, nil
}

// skip consumes n bytes that have been peeked.
func (f *File) skip(n int) {
	f.br.Discard(n) // cannot fail: the n bytes are buffered
	f.off += int64(n)
}

// countingReader counts the bytes read from the raw file.
type countingReader struct {
	r io.Reader
	n int64
}

// Read implements io.Reader.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// sizeOf returns the size of r if it is a regular file, else 0.
func sizeOf(r io.Reader) int64 {
	s, ok := r.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return 0
	}
	fi, err := s.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return fi.Size()
}
