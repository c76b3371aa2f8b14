package harness_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// TestInterruptedRunDeletesItsPools: a run cancelled half way (as Ctrl-C
// does) returns a report marked interrupted and leaves no fixture pool
// behind on the target.
func TestInterruptedRunDeletesItsPools(t *testing.T) {
	emu := emulator.New()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	target, err := harness.Endpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	counting := harness.WrapTarget(target, func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			if n.Add(1) == 300 {
				cancel()
			}
			return next.RoundTrip(r)
		})
	})
	rep, err := harness.Run(ctx, counting, harness.WithParallel(2))
	if err != nil {
		t.Fatalf("an interrupted run is not a setup failure: %v", err)
	}
	if !rep.Interrupted {
		t.Error("the report is not marked interrupted")
	}
	if ids := emu.PoolIDs(); len(ids) != 0 {
		t.Errorf("the interrupted run left %d pools on the target: %v", len(ids), ids)
	}
	if n.Load() < 300 {
		t.Fatalf("the run stopped after %d calls, before the interruption", n.Load())
	}
}
