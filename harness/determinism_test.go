package harness_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
)

// reportJSON runs the reference with a seed and returns its JSON report
// with the run-dependent fields (date, wall time, loopback port) zeroed.
func reportJSON(t *testing.T, seed int64) map[string]any {
	t.Helper()
	target := harness.Reference(contracts.DefaultWorld())
	defer target.Close()
	rep, err := harness.Run(context.Background(), target, harness.WithChecks(400), harness.WithSeed(seed), harness.WithParallel(2))
	if err != nil {
		t.Fatalf("Run seed %d: %v", seed, err)
	}
	rep.Summary.ElapsedS = 0
	rep.StartedAt = ""
	rep.Target.Endpoint = ""
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSameSeedSameReport(t *testing.T) {
	t.Parallel()
	a, b := reportJSON(t, 7), reportJSON(t, 7)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("seed 7 twice gave different reports (-first +second):\n%s", d)
	}
	if a["seed"] != float64(7) {
		t.Errorf("report seed = %v, want 7", a["seed"])
	}
}

func TestDifferentSeedDifferentCases(t *testing.T) {
	kinds := func(seed int64) []string {
		var out []string
		for _, c := range fuzz.Cases(seed, 400) {
			out = append(out, c.Kind+"/"+string(c.Pool))
		}
		return out
	}
	if d := cmp.Diff(kinds(1), kinds(1)); d != "" {
		t.Fatalf("fuzz.Cases(1) is not deterministic:\n%s", d)
	}
	a, b := kinds(1), kinds(2)
	if len(a) != len(b) {
		t.Fatalf("case counts differ: %d and %d", len(a), len(b))
	}
	if cmp.Equal(a, b) {
		t.Errorf("seeds 1 and 2 gave the same %d case kinds", len(a))
	}
	sweep := len(fuzz.Sweep())
	if cmp.Equal(a[:sweep], b[:sweep]) == false {
		t.Errorf("the sweep (first %d cases) must not depend on the seed", sweep)
	}
}

// TestSameDeviationsWhateverParallel: on a target that carries state
// between calls (here one that merges a Set into the pool's earlier
// configuration), the same seed finds the same deviations, call for call,
// whatever the number of workers: cases run in lanes of fixed order.
func TestSameDeviationsWhateverParallel(t *testing.T) {
	t.Parallel()
	counts := func(parallel int) map[contracts.RuleID]int {
		rep := brokenRun(t, merging(), harness.WithParallel(parallel), harness.WithShrink(false))
		out := map[contracts.RuleID]int{}
		for _, r := range rep.Rules {
			out[r.ID] = r.FailedCases
		}
		return out
	}
	one := counts(1)
	if one[contracts.RuleFullReplace] == 0 {
		t.Fatalf("the merging target shows no set.full-replace deviation: %v", one)
	}
	for _, p := range []int{2, 3, 4, 8} {
		if d := cmp.Diff(one, counts(p)); d != "" {
			t.Errorf("--parallel %d finds other deviations than --parallel 1 (-1 +%d):\n%s", p, p, d)
		}
	}
}
