package smtpcode

import (
	"strings"
	"testing"
)

func TestMeaning(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{220, "service ready"}, {454, "TLS not available"}, {535, "credentials invalid"},
		{556, "domain does not accept mail"}, {299, "success"}, {399, "intermediate"},
		{499, "transient failure"}, {599, "permanent failure"},
		{42, "not a valid"}, {199, "not a valid"}, {600, "not a valid"}, {-250, "not a valid"},
	}
	for _, tt := range tests {
		if got := Meaning(tt.code); !strings.Contains(got, tt.want) {
			t.Errorf("Meaning(%d) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
