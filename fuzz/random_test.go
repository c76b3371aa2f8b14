package fuzz_test

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/fuzz"
)

// TestRandomFromManyGoroutines: the lanes of a run draw cases from one
// shared generator at once; each case is still the one its seed and index
// give (go test -race also checks that the drawing shares no state).
func TestRandomFromManyGoroutines(t *testing.T) {
	const n = 40
	want := make([]fuzz.Case, n)
	for i := range want {
		want[i] = fuzz.NewRandom().At(7, i)
	}
	got := make([]fuzz.Case, n)
	shared := fuzz.NewRandom()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < n; i += 4 {
				got[i] = shared.At(7, i)
			}
		})
	}
	wg.Wait()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("cases drawn at once differ from cases drawn one by one (-one by one +at once):\n%s", d)
	}
}
