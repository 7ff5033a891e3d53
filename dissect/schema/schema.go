// Package schema holds the published JSON Schema of smtpscope's NDJSON
// sessions (`report --json`), versioned by file name, and a validator for
// the part of JSON Schema (draft 2020-12) that the schema uses: type,
// properties, required, additionalProperties, items, enum, minimum and
// format "date-time". No dependency: the keywords it does not know are
// annotations to it.
package schema

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Session is the JSON Schema of one session line, version 1.
//
//go:embed session-1.schema.json
var Session []byte

// Version is the schema's version (x-smtpscope-schema-version).
const Version = "1.0"

// node is one schema object.
type node struct {
	Type                 typeList         `json:"type"`
	Properties           map[string]*node `json:"properties"`
	Required             []string         `json:"required"`
	AdditionalProperties *bool            `json:"additionalProperties"`
	Items                *node            `json:"items"`
	Enum                 []string         `json:"enum"`
	Minimum              *float64         `json:"minimum"`
	Format               string           `json:"format"`
}

// typeList is "type": one name or a list of names.
type typeList []string

func (t *typeList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*t = typeList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("schema: type: %w", err)
	}
	*t = many
	return nil
}

// Validator checks documents against a schema.
type Validator struct{ root *node }

// New reads a schema.
func New(schemaJSON []byte) (*Validator, error) {
	var n node
	if err := json.Unmarshal(schemaJSON, &n); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &Validator{root: &n}, nil
}

// ValidateLine checks one JSON document (a line of NDJSON) and returns
// every violation, each naming its JSON path.
func (v *Validator) ValidateLine(line []byte) []error {
	var doc any
	d := json.NewDecoder(bytesReader(line))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return []error{fmt.Errorf("not JSON: %w", err)}
	}
	var errs []error
	check(v.root, doc, "$", &errs)
	return errs
}

func check(n *node, v any, path string, errs *[]error) {
	if n == nil {
		return
	}
	bad := func(format string, a ...any) {
		*errs = append(*errs, fmt.Errorf("%s: "+format, append([]any{path}, a...)...))
	}
	if len(n.Type) > 0 && !slices.ContainsFunc(n.Type, func(t string) bool { return isType(v, t) }) {
		bad("%s is not of type %v", kind(v), []string(n.Type))
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range n.Required {
			if _, ok := x[r]; !ok {
				bad("required property %q is missing", r)
			}
		}
		for k, val := range x {
			p, ok := n.Properties[k]
			if !ok {
				if n.AdditionalProperties != nil && !*n.AdditionalProperties {
					bad("property %q is not allowed", k)
				}
				continue
			}
			check(p, val, path+"."+k, errs)
		}
	case []any:
		for i, e := range x {
			check(n.Items, e, path+"["+strconv.Itoa(i)+"]", errs)
		}
	case string:
		if len(n.Enum) > 0 && !slices.Contains(n.Enum, x) {
			bad("%q is not one of %v", x, n.Enum)
		}
		if n.Format == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				bad("%q is not an RFC 3339 date-time", x)
			}
		}
	case json.Number:
		if n.Minimum != nil {
			f, err := x.Float64()
			if err != nil || f < *n.Minimum {
				bad("%s is below the minimum %v", x, *n.Minimum)
			}
		}
	}
}

func isType(v any, t string) bool {
	switch t {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		if _, err := n.Int64(); err == nil {
			return true
		}
		f, err := n.Float64()
		return err == nil && f == math.Trunc(f)
	}
	return false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case json.Number:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}
