package cassette_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

// record runs the reference emulator with checks cases, recording into a
// cassette in a temporary folder, and returns its path and the report.
func record(t *testing.T, checks int, w *contracts.World, opts ...harness.Option) (string, *harness.Report) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.yaml")
	return path, recordTo(t, context.Background(), path, checks, w, opts...)
}

func recordTo(t *testing.T, ctx context.Context, path string, checks int, w *contracts.World, opts ...harness.Option) *harness.Report {
	t.Helper()
	if w == nil {
		w = contracts.DefaultWorld()
	}
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	flags := cassette.Flags{Region: w.Region, Checks: checks, Parallel: 4, Rules: []string{"*"}}
	rec := cassette.NewRecorder(path, cassette.NewHeader(ref.Info(), 1, flags, nil), w)
	target := harness.WrapTarget(ref, rec.Transport)
	all := append([]harness.Option{harness.WithChecks(checks), harness.WithSeed(1), harness.WithParallel(4),
		harness.WithWorld(w), harness.WithRegion(w.Region)}, opts...)
	rep, err := harness.Run(ctx, target, all...)
	rec.Finish(rep, err)
	if serr := rec.Save(); serr != nil {
		t.Fatalf("saving %s: %v", path, serr)
	}
	if err != nil {
		t.Fatalf("recording run: %v", err)
	}
	return rep
}

// heapDuring runs fn and returns the heap in use before it, the highest
// seen while it ran (sampled every few milliseconds) and after it.
func heapDuring(fn func()) (before, peak, after uint64) {
	inUse := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	runtime.GC()
	before = inUse()
	peak = before
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				peak = max(peak, inUse())
			}
		}
	}()
	fn()
	close(done)
	<-sampled
	after = inUse()
	return before, max(peak, after), after
}
