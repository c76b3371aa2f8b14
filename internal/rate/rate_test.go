package rate

import (
	"context"
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
