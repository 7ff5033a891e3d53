// Package report writes sessions for people (a compact text ladder per
// session) and for programs (NDJSON, one object per session, in the field
// names of ARCHITECTURE.md's contract). It reads the model only.
package report
