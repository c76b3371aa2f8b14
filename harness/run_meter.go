package harness

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/mfaconform/mfaconform/internal/rate"
)

// meter admits every call of a run: one token bucket (Config.Rate) that
// all workers, the fixtures in IAM and the cleanup share, and a hard
// budget (Config.MaxCalls) for all but the cleanup. A call is counted
// against the budget when it is admitted, before it is sent, so that the
// calls sent never exceed it, whatever the workers do at once.
type meter struct {
	bucket  *rate.Bucket
	max     int64
	spent   atomic.Int64
	cleanup atomic.Int64
	once    sync.Once
	over    chan struct{} // closed when a call is first refused
}

func newMeter(perSecond float64, maxCalls int64) *meter {
	return &meter{bucket: rate.New(perSecond), max: maxCalls, over: make(chan struct{})}
}

type cleanupKey struct{}

// forCleanup marks the calls made with ctx as the run's cleanup: never
// refused by the budget, and counted apart.
func forCleanup(ctx context.Context) context.Context {
	return context.WithValue(ctx, cleanupKey{}, true)
}

func isCleanup(ctx context.Context) bool {
	c, _ := ctx.Value(cleanupKey{}).(bool)
	return c
}

// errBudget is a call the budget refused: it was not sent.
var errBudget = errors.New("the call budget is spent")

// admit waits for the call's token; it returns errBudget when the budget
// is spent (the call must not be sent), or ctx's error.
func (m *meter) admit(ctx context.Context) error {
	if isCleanup(ctx) {
		m.cleanup.Add(1)
	} else if !m.take() {
		m.once.Do(func() { close(m.over) })
		return errBudget
	}
	return m.bucket.Wait(ctx)
}

func (m *meter) take() bool {
	for {
		n := m.spent.Load()
		if m.max > 0 && n >= m.max {
			return false
		}
		if m.spent.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// ended reports whether the budget refused a call: the run sends no
// further case.
func (m *meter) ended() bool {
	select {
	case <-m.over:
		return true
	default:
		return false
	}
}

// bound returns a context that also ends when the budget is spent: for
// work that should stop then (shrinking), not for calls already sent.
func (m *meter) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-m.over:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
