package findings

// CitedSections is the reviewed table of RFC sections and CVEs, for the
// lesson pages' citation test (lessoncitations_test.go).
var CitedSections = citedSections
