package zeek

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"time"
)

// Type is a Zeek log type name as the #types line spells it.
type Type string

// The Zeek types the logs use.
const (
	TTime      Type = "time"
	TInterval  Type = "interval"
	TString    Type = "string"
	TAddr      Type = "addr"
	TPort      Type = "port"
	TCount     Type = "count"
	TBool      Type = "bool"
	TEnum      Type = "enum"
	TSetString Type = "set[string]"
	TVecString Type = "vector[string]"
	TVecAddr   Type = "vector[addr]"
	TVecIntvl  Type = "vector[interval]"
)

// Field is one column of a log.
type Field struct {
	Name string
	Type Type
}

// Schema is a log's path ("smtp" for smtp.log) and columns.
type Schema struct {
	Path   string
	Fields []Field
}

// Value is one field of a row. The zero Value is unset ("-").
type Value struct {
	set  bool
	kind Type
	s    string   // string, enum, addr, or a number already formatted
	list []string // set and vector elements
	num  bool     // s is a JSON number (count, port, time, interval)
	nums bool     // list elements are numbers
	b    bool
}

// Unset is a field without a value.
var Unset = Value{}

// Str is a string value ("" is written as Zeek's empty field).
func Str(s string) Value { return Value{set: true, kind: TString, s: s} }

// StrOpt is Str, or Unset when s is "" (Zeek's &optional fields that were
// never assigned).
func StrOpt(s string) Value {
	if s == "" {
		return Unset
	}
	return Str(s)
}

// Enum is an enum value (conn.log proto).
func Enum(s string) Value { return Value{set: true, kind: TEnum, s: s} }

// Addr is an address in Zeek's spelling (IPv6 without brackets).
func Addr(s string) Value {
	if s == "" {
		return Unset
	}
	return Value{set: true, kind: TAddr, s: s}
}

// Port is a port number (the /tcp suffix is not written, as Zeek's writer).
func Port(p uint16) Value {
	return Value{set: true, kind: TPort, s: strconv.Itoa(int(p)), num: true}
}

// Count is a non-negative integer.
func Count(n int64) Value {
	if n < 0 {
		n = 0
	}
	return Value{set: true, kind: TCount, s: strconv.FormatInt(n, 10), num: true}
}

// Bool is T or F.
func Bool(b bool) Value { return Value{set: true, kind: TBool, b: b} }

// Time is seconds since the epoch with microseconds (Zeek's %.6f);
// the zero time is Unset.
func Time(t time.Time) Value {
	if t.IsZero() {
		return Unset
	}
	return Value{set: true, kind: TTime, s: seconds(float64(t.UnixMicro()) / 1e6), num: true}
}

// Interval is a duration in seconds with microseconds.
func Interval(d time.Duration) Value {
	return Value{set: true, kind: TInterval, s: seconds(d.Seconds()), num: true}
}

func seconds(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		f = 0
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}

// List is a set or vector of strings or addresses (nil is written as
// Zeek's empty field, "(empty)").
func List(elems []string) Value {
	return Value{set: true, kind: TSetString, list: append([]string{}, elems...)}
}

// Counts is a vector[count] (Unset when empty).
func Counts(ns []int64) Value {
	if len(ns) == 0 {
		return Unset
	}
	v := Value{set: true, kind: "vector[count]", nums: true}
	for _, n := range ns {
		v.list = append(v.list, strconv.FormatInt(n, 10))
	}
	return v
}

// ListOpt is List, or Unset when elems is empty.
func ListOpt(elems []string) Value {
	if len(elems) == 0 {
		return Unset
	}
	return List(elems)
}

// Row is one record: a value per field of the schema, extra fields Unset.
type Row []Value

// Format is the output format: Zeek's ASCII (TSV) or JSON writer.
type Format int

// Formats.
const (
	TSV Format = iota
	JSON
)

// ParseFormat reads "tsv" or "json".
func ParseFormat(s string) (Format, bool) {
	switch s {
	case "tsv", "ascii", "":
		return TSV, true
	case "json":
		return JSON, true
	}
	return TSV, false
}

// Log writes one log file: the header when the first row comes (as
// Zeek's writer, no file exists for a log without records), the rows,
// then #close.
type Log struct {
	schema Schema
	format Format
	w      *bufio.Writer
	opened bool
	open   time.Time
	buf    []byte
}

// NewLog returns a writer of schema's rows to w.
func NewLog(w io.Writer, s Schema, f Format, open time.Time) *Log {
	return &Log{schema: s, format: f, w: bufio.NewWriter(w), open: open}
}

// Write writes one row.
func (l *Log) Write(r Row) error {
	if !l.opened {
		l.opened = true
		if l.format == TSV {
			l.header()
		}
	}
	l.buf = l.buf[:0]
	if l.format == TSV {
		l.buf = appendTSVRow(l.buf, l.schema, r)
	} else {
		l.buf = appendJSONRow(l.buf, l.schema, r)
	}
	_, err := l.w.Write(l.buf)
	return err
}

// Close writes #close (TSV) and flushes.
func (l *Log) Close(at time.Time) error {
	if l.opened && l.format == TSV {
		l.w.WriteString("#close\t" + stamp(at) + "\n")
	}
	return l.w.Flush()
}

// stamp is the #open/#close time: Zeek's %Y-%m-%d-%H-%M-%S.
func stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02-15-04-05")
}

func (l *Log) header() {
	w := l.w
	w.WriteString("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n")
	w.WriteString("#path\t" + l.schema.Path + "\n#open\t" + stamp(l.open) + "\n#fields")
	for _, f := range l.schema.Fields {
		w.WriteString("\t" + f.Name)
	}
	w.WriteString("\n#types")
	for _, f := range l.schema.Fields {
		w.WriteString("\t" + string(f.Type))
	}
	w.WriteString("\n")
}
