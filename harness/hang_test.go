package harness_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// hangingServer is the reference emulator on a loopback port, except that
// it never answers the operation op: such a call waits until the client
// gives up on it (or the test ends). hung counts those calls.
func hangingServer(t *testing.T, op string) (target harness.Target, emu *emulator.Emulator, hung *atomic.Int64) {
	t.Helper()
	emu = emulator.New()
	hung = new(atomic.Int64)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") == contracts.Target(op) {
			hung.Add(1)
			// Read whole, the request lets the server see the client
			// close the connection: the handler then ends, and what is
			// left after the run is the run's.
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		emu.ServeHTTP(w, r)
	}))
	// Registered after the server's Close, so it runs first: Close waits
	// for the blocked handlers.
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	target, err := harness.Endpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return target, emu, hung
}

// settledGoroutines waits (at most two seconds) until the goroutines are
// no more than want, and returns how many there are.
func settledGoroutines(want int) int {
	deadline := time.Now().Add(2 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestHungOperationEndsTheRun: a target that never answers
// GetUserPoolMfaConfig while it answers every other call resets no count
// of "calls in a row": the run must still find it out, after
// config.MaxSilent unanswered calls of that operation, and end with
// ErrSilent (exit 2 on the command line) in bounded time, leaving no pool
// and no goroutine of its hung calls behind.
func TestHungOperationEndsTheRun(t *testing.T) {
	before := runtime.NumGoroutine()
	target, emu, hung := hangingServer(t, contracts.OpGetUserPoolMfaConfig)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	_, err := harness.Run(ctx, target, harness.WithCallTimeout(300*time.Millisecond))
	took := time.Since(start)
	if !errors.Is(err, harness.ErrSilent) || !errors.Is(err, harness.ErrSetup) {
		t.Fatalf("Run returned %v after %v and %d hung calls; want ErrSilent", err, took, hung.Load())
	}
	if took > 5*time.Second {
		t.Errorf("the run took %v to find out a hung operation", took)
	}
	if n := hung.Load(); n > 12 {
		t.Errorf("%d calls were sent to the hung operation, want about 5", n)
	}
	if ids := emu.PoolIDs(); len(ids) != 0 {
		t.Errorf("the run left %d pools: %v", len(ids), ids)
	}
	target.Close()
	// The test's server and its connections apart, nothing is left.
	if n := settledGoroutines(before + 4); n > before+4 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after Run returned, %d before: something of the hung calls is left\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
	t.Logf("ended after %v and %d hung calls: %v", took.Round(time.Millisecond), hung.Load(), err)
}

// TestDeadlineEndsTheRun: a run whose context has a deadline returns
// within a second of it, with an error wrapping context.DeadlineExceeded
// and the report of what it judged, even while calls hang (the call
// timeout is far longer), and deletes its pools in that second.
func TestDeadlineEndsTheRun(t *testing.T) {
	target, emu, hung := hangingServer(t, contracts.OpGetUserPoolMfaConfig)
	defer target.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	rep, err := harness.Run(ctx, target, harness.WithCallTimeout(time.Minute))
	late := time.Since(deadline)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, harness.ErrDeadline) {
		t.Errorf("Run returned %v; want an error wrapping ErrDeadline and context.DeadlineExceeded", err)
	}
	if late > time.Second {
		t.Errorf("Run returned %v after its deadline, want within a second", late)
	}
	if rep == nil || !rep.Interrupted {
		t.Errorf("the report of what was judged is missing or not marked interrupted: %v", rep != nil)
	}
	if hung.Load() == 0 {
		t.Fatal("no call hung: the test did not test")
	}
	if ids := emu.PoolIDs(); len(ids) != 0 {
		t.Errorf("the run left %d pools: %v", len(ids), ids)
	}
	t.Logf("returned %v after the deadline", late.Round(time.Millisecond))
}
