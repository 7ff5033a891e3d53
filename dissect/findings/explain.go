package findings

// Explanation is the teaching text of a finding code or a timeline phase.
type Explanation struct {
	// Code is the finding code, or the phase name for PhaseText.
	Code string
	// Title is a short heading.
	Title string
	// Severity states the severity rule (by port role and evidence); empty
	// for phases.
	Severity string
	// Why says what the evidence means (for a phase: what happens in it).
	Why string
	// Attack says how an attacker causes or exploits it (for a phase: what
	// can go wrong there).
	Attack string
	// Fix says what to change (for a phase: what a good session shows).
	Fix string
	// References cites the RFC sections and CVEs, most specific first.
	References []string
}

// Explain returns the explanation of a finding code.
func Explain(code string) (Explanation, bool) {
	for _, e := range Catalogue() {
		if e.Code == code {
			return e, true
		}
	}
	return Explanation{}, false
}
