package mfatest

import (
	"net/http"
	"testing"

	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
)

// What the external tests (package mfatest_test) need of this package's
// internals and test doubles.

type Recorder = recorder

var (
	NewRecorder         = newRecorder
	SweepInput          = sweepInput
	AcceptOffWithFactor = acceptOffWithFactor
	MergeNotReplace     = mergeNotReplace
	DropMember          = dropMember
)

// CheckHandler is TestHandler reporting to t.
func CheckHandler(t *Recorder, h http.Handler, opts ...harness.Option) {
	testTarget(t, harness.Handler(h), opts)
}

// CheckTarget is TestHandler and TestEndpoint, for any target.
func CheckTarget(t *Recorder, target harness.Target, opts ...harness.Option) {
	testTarget(t, target, opts)
}

// JudgeSweepInput runs what Fuzz does with an input that selects a sweep
// case, reporting to t; false when in selects none.
func JudgeSweepInput(t *Recorder, h http.Handler, in []byte, opts ...harness.Option) bool {
	c, ok := sweepCase(fuzz.Sweep(), in)
	if ok {
		judgeCase(t, h, c, opts)
	}
	return ok
}

// WithoutSeeds is Fuzz with an empty seed corpus: what the fuzzing
// engine finds on its own, from nothing.
func WithoutSeeds(f *testing.F, h http.Handler, opts ...harness.Option) {
	fuzzBody(f, h, fuzz.Sweep(), opts)
}
