package rate

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"
)

// TestBucketHoldsTheRate: eight goroutines taking tokens as fast as they
// can get 40 a second between them, not more, and not much less.
func TestBucketHoldsTheRate(t *testing.T) {
	const perSecond, calls = 40.0, 41
	b := New(perSecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first, last time.Time
	n := make(chan struct{}, calls)
	for range calls {
		n <- struct{}{}
	}
	close(n)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if err := b.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				now := time.Now()
				mu.Lock()
				if first.IsZero() || now.Before(first) {
					first = now
				}
				if now.After(last) {
					last = now
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	got := float64(calls-1) / last.Sub(first).Seconds()
	if got > perSecond*1.02 || got < perSecond*0.9 {
		t.Fatalf("%d calls at %.1f/s, want %.0f/s", calls, got, perSecond)
	}
}

// TestNoBurstAfterIdle: a bucket left idle holds one token, not many.
func TestNoBurstAfterIdle(t *testing.T) {
	b := New(20)
	ctx := context.Background()
	_ = b.Wait(ctx)
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	for range 3 {
		_ = b.Wait(ctx)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Fatalf("three tokens after an idle spell took %v: a burst; want about 100ms", d)
	}
}

// TestWaitEndsWithContext: a cancelled wait returns at once with the
// context's error; a nil bucket never waits.
func TestWaitEndsWithContext(t *testing.T) {
	b := New(0.1)
	_ = b.Wait(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := b.Wait(ctx); err == nil {
		t.Fatal("a wait of ten seconds returned no error within a 20ms context")
	}
	var none *Bucket
	if err := none.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if New(0) != nil {
		t.Fatal("New(0) bounds the rate; 0 means no bound")
	}
}

// TestSlowRatesStayBounds: a rate under Min is refused by Invalid, and a
// bucket made of one anyway (or of Min) still waits between tokens: an
// interval past what a time.Duration holds once wrapped into a negative
// one, which is no bound at all.
func TestSlowRatesStayBounds(t *testing.T) {
	for _, r := range []float64{1e-10, 1e-300, Min} {
		b := New(r)
		if b == nil || b.every <= 0 || b.every > 101*time.Second {
			t.Errorf("New(%g): a bucket of interval %v, want at most 100s and above 0", r, b.every)
		}
	}
	for _, r := range []float64{1e-10, -1, 0, math.NaN(), math.Inf(1)} {
		if Invalid(r) == "" {
			t.Errorf("Invalid(%g) accepts it", r)
		}
	}
	if Invalid(Min) != "" || Invalid(5) != "" {
		t.Error("Invalid refuses a rate of Min or 5")
	}
	if d := Seconds(1e300); d != math.MaxInt64 {
		t.Errorf("Seconds(1e300) = %v, want the largest Duration", d)
	}
	if d := Seconds(2.5); d != 2500*time.Millisecond {
		t.Errorf("Seconds(2.5) = %v", d)
	}
}
