package session

import (
	"slices"
	"strings"
)

// CapabilityChange is one EHLO keyword offered both before and after TLS
// with other parameters (SIZE 10240000 → SIZE 52428800, AUTH LOGIN → AUTH
// PLAIN LOGIN).
type CapabilityChange struct {
	Keyword string   `json:"keyword"`
	Before  []string `json:"before"`
	After   []string `json:"after"`
}

// CapabilityDiff compares the EHLO capabilities offered in clear with those
// offered again inside TLS (RFC 3207, Section 4.2: the client must discard
// what it learnt before TLS and ask again; the server may offer more, AUTH
// typically, or less).
type CapabilityDiff struct {
	Before  []string           `json:"before"`  // keywords in clear, in order
	After   []string           `json:"after"`   // keywords inside TLS, in order
	Added   []string           `json:"added"`   // offered only inside TLS
	Removed []string           `json:"removed"` // offered only in clear
	Changed []CapabilityChange `json:"changed"` // offered in both, with other parameters
}

// DiffCapabilities returns the difference between the capabilities a
// session's server offered before and after TLS, or nil when it did not
// offer capabilities on both sides (no STARTTLS, or the EHLO inside TLS
// could not be read).
func DiffCapabilities(s *Session) *CapabilityDiff {
	var before, after []*Capability
	for i := range s.Capabilities {
		if c := &s.Capabilities[i]; c.InTLS {
			after = append(after, c)
		} else {
			before = append(before, c)
		}
	}
	if len(before) == 0 || len(after) == 0 {
		return nil
	}
	d := &CapabilityDiff{Before: keywords(before), After: keywords(after), Added: []string{}, Removed: []string{},
		Changed: []CapabilityChange{}}
	find := func(list []*Capability, kw string) *Capability {
		for _, c := range list {
			if strings.EqualFold(c.Keyword, kw) {
				return c
			}
		}
		return nil
	}
	for _, c := range after {
		b := find(before, c.Keyword)
		switch {
		case b == nil:
			d.Added = append(d.Added, c.Keyword)
		case !slices.EqualFunc(b.Params, c.Params, strings.EqualFold):
			d.Changed = append(d.Changed, CapabilityChange{Keyword: c.Keyword, Before: nonNil(b.Params), After: nonNil(c.Params)})
		}
	}
	for _, c := range before {
		if find(after, c.Keyword) == nil {
			d.Removed = append(d.Removed, c.Keyword)
		}
	}
	return d
}

// Same reports whether nothing changed.
func (d *CapabilityDiff) Same() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

func keywords(cs []*Capability) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		if !slices.Contains(out, c.Keyword) {
			out = append(out, c.Keyword)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
