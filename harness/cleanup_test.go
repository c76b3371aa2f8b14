package harness_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestLostDeleteAnswerIsNoLeftover: a DeleteUserPool the target carried out
// but whose answer was lost (as when an interrupt cuts the call) makes the
// cleanup's second delete answer ResourceNotFoundException. The pool is
// gone: it is not reported as one the run could not delete.
func TestLostDeleteAnswerIsNoLeftover(t *testing.T) {
	emu := emulator.New()
	var lost atomic.Int64
	target := harness.WrapTarget(harness.Handler(emu), func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			if err == nil && strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DeleteUserPool") && resp.StatusCode == 200 && lost.Add(1) <= 3 {
				return nil, errors.New("connection reset after the pool was deleted")
			}
			return resp, err
		})
	})
	rep, err := harness.Run(context.Background(), target, harness.WithChecks(60))
	if err != nil {
		t.Fatal(err)
	}
	if lost.Load() < 3 {
		t.Fatalf("only %d delete answers were lost: the test did not test", lost.Load())
	}
	if len(rep.Leftovers) > 0 {
		t.Errorf("pools the target deleted are reported left over: %+v", rep.Leftovers)
	}
	if ids := emu.PoolIDs(); len(ids) != 0 {
		t.Errorf("the run left %d pools on the target: %v", len(ids), ids)
	}
}
