package harness_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// TestOptionsRefuseBadValues: an option given a value it cannot hold makes
// Run fail with ErrOption naming the option, before any call is sent.
// Before, WithParallel(0) was quietly 1, WithRules("sett.*") checked no
// rule and Check said the target conformed, and a NaN rate was no bound.
func TestOptionsRefuseBadValues(t *testing.T) {
	var calls atomic.Int64
	ref := emulator.New()
	target := harness.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		ref.ServeHTTP(w, r)
	}))
	for _, tc := range []struct {
		name string
		opt  harness.Option
	}{
		{"WithChecks", harness.WithChecks(-1)},
		{"WithChecks", harness.WithChecks(0)},
		{"WithParallel", harness.WithParallel(0)},
		{"WithMaxCalls", harness.WithMaxCalls(-5)},
		{"WithRate", harness.WithRate(math.NaN())},
		{"WithRate", harness.WithRate(math.Inf(1))},
		{"WithRate", harness.WithRate(-1)},
		{"WithCallTimeout", harness.WithCallTimeout(0)},
		{"WithCallTimeout", harness.WithCallTimeout(-time.Second)},
		{"WithDuration", harness.WithDuration(-time.Minute)},
		{"WithRetries", harness.WithRetries(-1, time.Millisecond)},
		{"WithRegion", harness.WithRegion("")},
		{"WithRules", harness.WithRules("sett.*")},
		{"WithRules", harness.WithRules("[")},
		{"WithRules", harness.WithRules()},
	} {
		rep, err := harness.Run(context.Background(), target, harness.WithChecks(100), tc.opt)
		if !errors.Is(err, harness.ErrOption) || !strings.Contains(err.Error(), tc.name+"(") || rep != nil {
			t.Errorf("%s: Run gave (%v, %v), want an error wrapping ErrOption naming the option", tc.name, rep != nil, err)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d calls were sent with a refused option, want none", n)
	}
	err := harness.Check(context.Background(), target, harness.WithRules("sett.*"))
	if !errors.Is(err, harness.ErrOption) {
		t.Errorf("Check with rules matching nothing: %v, want ErrOption (it said the target conforms)", err)
	}
	// Valid values still make a run.
	if err := harness.Check(context.Background(), target, harness.WithChecks(100), harness.WithRules("set.off-*"),
		harness.WithRate(0), harness.WithMaxCalls(0), harness.WithDuration(0)); err != nil {
		t.Errorf("valid options: %v", err)
	}
}
