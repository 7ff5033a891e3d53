package wire

import (
	"slices"
	"strings"
	"testing"
)

func TestLimitNamesAreDistinct(t *testing.T) {
	seen := map[string]Limit{}
	for _, l := range Limits() {
		name := l.String()
		if strings.HasPrefix(name, "limit-") {
			t.Errorf("Limit(%d).String() = %q, want a name", l, name)
		}
		if o, dup := seen[name]; dup {
			t.Errorf("Limit(%d) and Limit(%d) are both %q", o, l, name)
		}
		seen[name] = l
	}
	if got := Limit(0).String(); got != "limit-0" {
		t.Errorf("Limit(0).String() = %q, want limit-0", got)
	}
}

func TestCountsHitSortsByName(t *testing.T) {
	c := Counts{LimitTimeline: 1, LimitFlows: 2, LimitSMTPLine: 0, LimitAnomalies: 3}
	c.Add(Counts{LimitFlows: 1})
	want := []Limit{LimitAnomalies, LimitFlows, LimitTimeline}
	if got := c.Hit(); !slices.Equal(got, want) || c[LimitFlows] != 3 {
		t.Errorf("Hit() = %v (flows %d), want %v (flows 3)", got, c[LimitFlows], want)
	}
}
