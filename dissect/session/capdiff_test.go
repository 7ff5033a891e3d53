package session

import (
	"reflect"
	"testing"
)

func TestDiffCapabilities(t *testing.T) {
	s := &Session{Capabilities: []Capability{
		{Keyword: "SIZE", Params: []string{"10240000"}}, {Keyword: "PIPELINING"}, {Keyword: "STARTTLS"}, {Keyword: "8BITMIME"},
		{Keyword: "SIZE", Params: []string{"52428800"}, InTLS: true}, {Keyword: "PIPELINING", InTLS: true},
		{Keyword: "AUTH", Params: []string{"PLAIN", "LOGIN"}, InTLS: true}, {Keyword: "8bitmime", InTLS: true},
	}}
	d := DiffCapabilities(s)
	want := &CapabilityDiff{
		Before: []string{"SIZE", "PIPELINING", "STARTTLS", "8BITMIME"}, After: []string{"SIZE", "PIPELINING", "AUTH", "8bitmime"},
		Added: []string{"AUTH"}, Removed: []string{"STARTTLS"},
		Changed: []CapabilityChange{{Keyword: "SIZE", Before: []string{"10240000"}, After: []string{"52428800"}}},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("DiffCapabilities = %+v\nwant %+v", d, want)
	}
	if d.Same() {
		t.Error("Same() on a diff with changes")
	}
	// Only one side: nothing to compare.
	if DiffCapabilities(&Session{Capabilities: s.Capabilities[:4]}) != nil || DiffCapabilities(&Session{}) != nil {
		t.Error("a diff without capabilities on both sides")
	}
	same := DiffCapabilities(&Session{Capabilities: []Capability{{Keyword: "X"}, {Keyword: "X", InTLS: true}}})
	if same == nil || !same.Same() || len(same.Added) != 0 {
		t.Errorf("identical lists: %+v", same)
	}
}
