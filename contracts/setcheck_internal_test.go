package contracts

import (
	"slices"
	"testing"
)

// TestSetChecksMeasuredOrder keeps the checks of measured order in the order
// AWS was measured to run them (contract.md §3.2: M4, then M3, then M5);
// checks of unknown order may sit anywhere between them.
func TestSetChecksMeasuredOrder(t *testing.T) {
	want := []int{stageSmsConfig, stageOffWithFactor, stageEmailAccount}
	for i := 1; i < len(want); i++ {
		if want[i] <= want[i-1] {
			t.Fatalf("stage constants %v do not rise in the measured order M4, M3, M5", want)
		}
	}
	var got []int
	seen := map[string]bool{}
	for _, check := range setChecks {
		if check.name == "" || seen[check.name] {
			t.Errorf("check name %q is empty or listed twice", check.name)
		}
		seen[check.name] = true
		if check.run == nil {
			t.Errorf("check %q has no function", check.name)
		}
		if check.stage != orderUnknown {
			got = append(got, check.stage)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("measured stages along setChecks = %v, want %v (each measured check once, in increasing order)", got, want)
	}
}
