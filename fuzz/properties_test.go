package fuzz_test

import (
	"context"
	"os"
	"testing"

	"pgregory.net/rapid"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// reference is one reference emulator shared by the properties: each case
// works on pools of its own kind, created by the run.
var reference harness.Target

func TestMain(m *testing.M) {
	reference = harness.Reference(contracts.DefaultWorld())
	code := m.Run()
	reference.Close()
	os.Exit(code)
}

// conforms runs cases against the reference emulator and fails on any
// deviation: the reference is the executable contract, so a finding here is
// a bug in the emulator, the judge or the generators.
func conforms(t *rapid.T, cases ...fuzz.Case) {
	rep, err := harness.Run(context.Background(), reference,
		harness.WithParallel(1), harness.WithShrink(false), config.OptionOf[harness.Option](func(c *config.Config) { c.Cases = cases }))
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, rr := range rep.Rules {
		if rr.Status == harness.StatusFail || rr.Status == harness.StatusWarn {
			t.Fatalf("rule %s %s on case %s: %s", rr.ID, rr.Status, rr.Failures[0].Case, rr.Failures[0].Detail)
		}
	}
}

// PropRandomCase: any generated case, on the reference, conforms.
func PropRandomCase(t *rapid.T) { conforms(t, fuzz.RandomCase().Draw(t, "case")) }

// PropSequence: any stateful call sequence (create, set, get, describe,
// set again, delete, calls on the deleted pool) follows the state rules.
func PropSequence(t *rapid.T) { conforms(t, fuzz.Sequence().Draw(t, "sequence")) }

func TestRandomCaseConforms(t *testing.T) { rapid.Check(t, PropRandomCase) }
func TestSequenceConforms(t *testing.T)   { rapid.Check(t, PropSequence) }

func FuzzRandomCase(f *testing.F) { f.Fuzz(rapid.MakeFuzz(PropRandomCase)) }
func FuzzSequence(f *testing.F)   { f.Fuzz(rapid.MakeFuzz(PropSequence)) }
