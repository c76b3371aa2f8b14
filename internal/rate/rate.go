// Package rate is the token bucket that keeps a run under its --rate:
// every call the run makes, whoever makes it (the lanes, the fixtures in
// IAM, the cleanup), waits for a token from the same bucket.
package rate

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Bucket hands out one token every 1/rate seconds and holds at most one:
// a run that waited on a slow call does not make up for it with a burst,
// so over any stretch of the run the calls per second stay at or under the
// rate. A nil *Bucket has no bound. It is safe for concurrent use.
type Bucket struct {
	mu    sync.Mutex
	every time.Duration
	next  time.Time // when the next token is due
}

// Min is the slowest rate there is: one call every 100 seconds. A run
// slower than that could not wait out IAM before its first case, and a
// slower rate (1e-10, say) makes intervals past what a time.Duration
// holds.
const Min = 0.01

// Invalid says what is wrong with perSecond as a bound on calls ("" when
// nothing is): it must be a finite number of at least Min.
func Invalid(perSecond float64) string {
	if math.IsNaN(perSecond) || math.IsInf(perSecond, 0) || perSecond < Min {
		return fmt.Sprintf("must be a finite number of calls a second, at least %g", Min)
	}
	return ""
}

// New returns a bucket of perSecond tokens a second; nil when perSecond is
// not above 0 (no bound). A rate under Min is taken as Min: callers refuse
// it first (Invalid), and an interval past what a time.Duration holds
// must never wrap into no bound at all.
func New(perSecond float64) *Bucket {
	if !(perSecond > 0) {
		return nil
	}
	return &Bucket{every: time.Duration(float64(time.Second) / max(perSecond, Min))}
}

// Seconds is s seconds as a time.Duration, never wrapping: past the
// largest Duration it is the largest.
func Seconds(s float64) time.Duration {
	if !(s < float64(math.MaxInt64)/float64(time.Second)) {
		if s > 0 {
			return math.MaxInt64
		}
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// Wait takes a token, waiting until it is due. It returns ctx's error when
// ctx ends first; the token is then lost, which only slows the run.
func (b *Bucket) Wait(ctx context.Context) error {
	if b == nil {
		return ctx.Err()
	}
	b.mu.Lock()
	now := time.Now()
	at := b.next
	if at.Before(now) {
		at = now
	}
	b.next = at.Add(b.every)
	b.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
