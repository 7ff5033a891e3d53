package capture

import "strconv"

// FormatError reports a capture file that cannot be read further: a bad
// header, a lying length field, a truncated record or an I/O failure.
type FormatError struct {
	// File is the name of the capture ("stdin" for "-").
	File string
	// Offset is the offset in the (uncompressed) capture of the damaged
	// header, record or block.
	Offset int64
	// Msg says what is wrong; offending bytes are quoted.
	Msg string
	// Err is the underlying error, if any (an I/O or gzip error).
	Err error
}

// Error returns "capture: FILE: offset N: msg" (followed by ": err" when an
// underlying error is wrapped).
func (e *FormatError) Error() string {
	s := "capture: " + e.File + ": offset " + strconv.FormatInt(e.Offset, 10) + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *FormatError) Unwrap() error { return e.Err }
