package zeek

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// Options configure a Writer.
type Options struct {
	// Dir is the directory the logs are written to (created if needed).
	Dir string
	// Format is TSV (Zeek's ASCII writer) or JSON (LogAscii::use_json).
	Format Format
	// Open is the time in the #open line (Zeek writes the time the log
	// was opened); Close's argument is the #close time.
	Open time.Time
}

// Writer writes sessions as Zeek logs into a directory: a log's file
// exists only once it has a record, as with Zeek.
type Writer struct {
	opts  Options
	logs  map[string]*Log
	files map[string]*os.File
	order []string
}

// NewWriter returns a writer into opts.Dir.
func NewWriter(opts Options) (*Writer, error) {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("zeek: log directory: %w", err)
	}
	return &Writer{opts: opts, logs: map[string]*Log{}, files: map[string]*os.File{}}, nil
}

// Write writes every record of one finished session.
func (w *Writer) Write(s *session.Session) error {
	uid := UID(s)
	if err := w.write(ConnSchema, connRow(s, uid)); err != nil {
		return err
	}
	ids := makeFileIDs(s, uid)
	for _, r := range smtpRows(s, uid, ids) {
		if err := w.write(SMTPSchema, r); err != nil {
			return err
		}
	}
	for _, r := range filesRows(s, uid, ids) {
		if err := w.write(FilesSchema, r); err != nil {
			return err
		}
	}
	if r := sslRow(s, uid); r != nil {
		if err := w.write(SSLSchema, r); err != nil {
			return err
		}
	}
	for _, r := range x509Rows(s, uid) {
		if err := w.write(X509Schema, r); err != nil {
			return err
		}
	}
	for _, r := range weirdRows(s, uid) {
		if err := w.write(WeirdSchema, r); err != nil {
			return err
		}
	}
	for _, r := range noticeRows(s, uid) {
		if err := w.write(NoticeSchema, r); err != nil {
			return err
		}
	}
	return nil
}

// WriteNotices writes findings about session s that were found after it
// was written (those that need several sessions) to notice.log; s may be
// the light copy findings.Light keeps.
func (w *Writer) WriteNotices(s *session.Session, fs []session.Finding) error {
	for _, r := range findingRows(s, UID(s), fs) {
		if err := w.write(NoticeSchema, r); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) write(sc Schema, r Row) error {
	l := w.logs[sc.Path]
	if l == nil {
		name := filepath.Join(w.opts.Dir, sc.Path+".log")
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("zeek: %w", err)
		}
		l = NewLog(f, sc, w.opts.Format, w.opts.Open)
		w.logs[sc.Path], w.files[sc.Path] = l, f
		w.order = append(w.order, sc.Path)
	}
	if err := l.Write(r); err != nil {
		return fmt.Errorf("zeek: writing %s.log: %w", sc.Path, err)
	}
	return nil
}

// Close writes the #close lines and closes the files.
func (w *Writer) Close(at time.Time) error {
	var errs []error
	for _, p := range w.order {
		if err := w.logs[p].Close(at); err != nil {
			errs = append(errs, fmt.Errorf("zeek: writing %s.log: %w", p, err))
		}
		if err := w.files[p].Close(); err != nil {
			errs = append(errs, fmt.Errorf("zeek: closing %s.log: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

// Paths lists the logs written so far ("conn", "smtp", ...), in the
// order they were opened.
func (w *Writer) Paths() []string { return append([]string(nil), w.order...) }
