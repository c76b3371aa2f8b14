package harness

import (
	"slices"
	"strings"

	"github.com/mfaconform/mfaconform/internal/judge"
)

// A rule can fail for several unrelated reasons. A deviation is one of
// them: the failures of a rule grouped by a signature that leaves values
// out, so that a second bug under the same rule is reported next to the
// first instead of hidden behind it.

// Outcome classes of a signature.
const (
	classAccepted = "accepted"
	classRejected = "rejected"
	classProtocol = "protocol"
)

// maxDeviationsPerRule bounds the deviations a report lists for one rule:
// the error type in a signature is the target's, and a target that makes
// up a new one on every call must not grow the run's memory.
const maxDeviationsPerRule = 50

// maxSignaturePart bounds what one target-made part of a signature holds.
const maxSignaturePart = 80

// signatureOf is a finding's deviation: its rule, operation, outcome class
// (accepted, rejected, protocol), the error type the target answered and
// the member paths that differ, as "rule/operation/class/error/paths"
// ("-" for an empty part).
func signatureOf(f judge.Finding) string {
	class := classRejected
	switch {
	case strings.HasPrefix(string(f.Rule), "protocol.") || f.Got.Status == 0:
		class = classProtocol
	case f.Got.Status >= 200 && f.Got.Status < 300:
		class = classAccepted
	}
	var paths []string
	for _, d := range f.Differences {
		if !slices.Contains(paths, d.Path) {
			paths = append(paths, d.Path)
		}
	}
	slices.Sort(paths)
	op := f.Operation
	if op == "" {
		op = "unknown-operation"
	}
	return strings.Join([]string{string(f.Rule), op, class, part(f.Got.Error), part(strings.Join(paths, ","))}, "/")
}

func part(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r < ' ' {
			return '_'
		}
		return r
	}, s)
	switch {
	case s == "":
		return "-"
	case len(s) > maxSignaturePart:
		return s[:maxSignaturePart]
	}
	return s
}

// deviation is one signature's failures: how many, and the first by
// position (shrunk at the end of the run).
type deviation struct {
	signature string
	at        position
	count     int
	f         Finding
}
