package zeek

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Table is a log read back by its own header, as zeek-cut and Zeek's
// ASCII reader (threading/formatters/Ascii.cc, ParseValue) read one.
type Table struct {
	Path         string
	Fields       []string
	Types        []string
	Separator    string
	SetSeparator string
	Empty        string
	Unset        string
	Open, Close  string
	Rows         [][]string // raw (escaped) values, one per field
}

// ReadTSV reads a Zeek ASCII log. The #fields line decides the columns;
// a row with another number of values is an error naming its line.
func ReadTSV(r io.Reader) (*Table, error) {
	t := &Table{Separator: "\t", SetSeparator: ",", Empty: "(empty)", Unset: "-"}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		if strings.HasPrefix(l, "#separator ") {
			sep, err := unescapeHeader(strings.TrimPrefix(l, "#separator "))
			if err != nil {
				return nil, fmt.Errorf("zeek: line %d: #separator: %w", line, err)
			}
			t.Separator = sep
			continue
		}
		if strings.HasPrefix(l, "#") {
			key, val, _ := strings.Cut(l[1:], t.Separator)
			switch key {
			case "set_separator":
				t.SetSeparator = val
			case "empty_field":
				t.Empty = val
			case "unset_field":
				t.Unset = val
			case "path":
				t.Path = val
			case "open":
				t.Open = val
			case "close":
				t.Close = val
			case "fields":
				t.Fields = strings.Split(val, t.Separator)
			case "types":
				t.Types = strings.Split(val, t.Separator)
			}
			continue
		}
		if t.Fields == nil {
			return nil, fmt.Errorf("zeek: line %d: a record before the #fields line", line)
		}
		vals := strings.Split(l, t.Separator)
		if len(vals) != len(t.Fields) {
			return nil, fmt.Errorf("zeek: line %d: %d values for %d fields", line, len(vals), len(t.Fields))
		}
		t.Rows = append(t.Rows, vals)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("zeek: line %d: %w", line+1, err)
	}
	if len(t.Types) != len(t.Fields) {
		return nil, fmt.Errorf("zeek: %d types for %d fields", len(t.Types), len(t.Fields))
	}
	return t, nil
}

func unescapeHeader(s string) (string, error) {
	out, err := Unescape(s)
	if err != nil {
		return "", err
	}
	return out, nil
}

// Index is the column of field name, -1 when the log has none.
func (t *Table) Index(name string) int {
	for i, f := range t.Fields {
		if f == name {
			return i
		}
	}
	return -1
}

// Cut selects columns by name as zeek-cut does: each row's values of the
// named fields, "-" for a field the log does not have.
func (t *Table) Cut(names ...string) [][]string {
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = t.Index(n)
	}
	out := make([][]string, 0, len(t.Rows))
	for _, r := range t.Rows {
		row := make([]string, len(names))
		for i, j := range idx {
			if j < 0 {
				row[i] = t.Unset
			} else {
				row[i] = r[j]
			}
		}
		out = append(out, row)
	}
	return out
}

// Value decodes one raw value: ok is false when it is unset; a set or
// vector comes back as its unescaped elements, anything else as one
// unescaped string.
func (t *Table) Value(row []string, name string) (vals []string, ok bool, err error) {
	j := t.Index(name)
	if j < 0 || row[j] == t.Unset {
		return nil, false, nil
	}
	raw := row[j]
	typ := t.Types[j]
	if strings.HasPrefix(typ, "set[") || strings.HasPrefix(typ, "vector[") || strings.HasPrefix(typ, "table[") {
		if raw == t.Empty {
			return []string{}, true, nil
		}
		for _, e := range strings.Split(raw, t.SetSeparator) {
			if e == t.Empty {
				vals = append(vals, "") // an empty element, as the writer spells it
				continue
			}
			u, err := Unescape(e)
			if err != nil {
				return nil, true, err
			}
			vals = append(vals, u)
		}
		return vals, true, nil
	}
	if raw == t.Empty && typ == "string" {
		return []string{""}, true, nil
	}
	u, err := Unescape(raw)
	return []string{u}, true, err
}

// Unescape undoes the ASCII writer's escaping: \xHH is the byte, \\ a
// backslash.
func Unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			b.WriteByte('\\')
			i++
			continue
		}
		if i+3 < len(s) && s[i+1] == 'x' {
			n, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return "", fmt.Errorf("bad escape %q at byte %d", s[i:i+4], i)
			}
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		return "", fmt.Errorf("bad escape at byte %d", i)
	}
	return b.String(), nil
}

// ReadJSON reads a log written with LogAscii::use_json: one object per
// line.
func ReadJSON(r io.Reader) ([]map[string]any, error) {
	var out []map[string]any
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		var m map[string]any
		d := json.NewDecoder(strings.NewReader(sc.Text()))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			return nil, fmt.Errorf("zeek: line %d: %w", line, err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("zeek: line %d: %w", line+1, err)
	}
	return out, nil
}
