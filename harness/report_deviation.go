package harness

import (
	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// A rule can fail for several unrelated reasons. A deviation is one of
// them: the failures of a rule grouped by a signature that leaves values
// out, so that a second bug under the same rule is reported next to the
// first instead of hidden behind it.

// maxDeviationsPerRule bounds the deviations a report lists for one rule:
// the error type in a signature is the target's, and a target that makes
// up a new one on every call must not grow the run's memory.
const maxDeviationsPerRule = 50

// Signature is the deviation signature of a finding of a rule: the one
// the report gave it, or, for a report that predates signatures, one made
// from its fields as the judge makes it.
func Signature(rule contracts.RuleID, f Finding) string {
	if f.Signature != "" {
		return f.Signature
	}
	paths := make([]string, len(f.Differences))
	for i, d := range f.Differences {
		paths[i] = d.Path
	}
	return judge.Signature(string(rule), f.Operation, f.Got.Status, f.Got.Error, paths)
}

// deviation is one signature's failures: how many, and the first by
// position (shrunk at the end of the run).
type deviation struct {
	signature string
	at        position
	count     int
	f         Finding
}
