package cassette_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

// synthetic returns the YAML of a cassette of n interactions: Gets of n/2
// pools, each recorded twice (identical requests answered in order).
func synthetic(t testing.TB, n int) []byte {
	t.Helper()
	c := &cassette.Cassette{Header: cassette.NewHeader(harness.TargetInfo{Kind: harness.KindReference}, 1, cassette.Flags{Region: "us-east-1"}, nil)}
	for i := 0; i < n; i++ {
		body := fmt.Sprintf(`{"UserPoolId":"us-east-1_P%08d"}`, i/2)
		c.Interactions = append(c.Interactions, &vcr.Interaction{
			Request: vcr.Request{Method: "POST", URL: "http://127.0.0.1/", Body: body, Headers: http.Header{
				"X-Amz-Target": {contracts.Target(contracts.OpGetUserPoolMfaConfig)}, "Content-Type": {contracts.ContentType}}},
			Response: vcr.Response{Code: 200, Status: "200 OK", Body: fmt.Sprintf(`{"MfaConfiguration":"OFF","n":%d}`, i),
				Headers: http.Header{"Content-Type": {contracts.ContentType}}},
		})
	}
	data, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// replayAll loads a cassette and asks for every recorded request once, in
// order: what a replay costs outside the judging.
func replayAll(t testing.TB, data []byte) (load, serve time.Duration) {
	start := time.Now()
	c, err := cassette.Parse("synthetic", data)
	if err != nil {
		t.Fatal(err)
	}
	rp := cassette.NewReplayer(c, cassette.NewScrubber(nil))
	load = time.Since(start)
	start = time.Now()
	for i, in := range c.Interactions {
		req, _ := http.NewRequestWithContext(context.Background(), "POST", "http://cassette.invalid/", strings.NewReader(in.Request.Body))
		req.Header = in.Request.Headers.Clone()
		resp, err := rp.RoundTrip(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		resp.Body.Close()
	}
	serve = time.Since(start)
	if st := rp.Stats(); st.Unused != 0 || st.Missed != 0 {
		t.Fatalf("uneven replay: %+v", st)
	}
	return load, serve
}

// TestReplayScalesLinearly replays synthetic cassettes of 1,000 and 10,000
// interactions and reports interactions per second and the heap's peak;
// the time per interaction must not grow with the cassette (go-vcr's own
// GetInteraction, measured beside it, scans the cassette per request).
func TestReplayScalesLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	perOp := map[int]float64{}
	for _, n := range []int{1000, 10000} {
		data := synthetic(t, n)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := peakHeap()
		load, serve := replayAll(t, data)
		peak := stop()
		total := load + serve
		perOp[n] = float64(total) / float64(n)
		t.Logf("%6d interactions (%5.1f MB YAML): load+index %v, serve %v; %.0f interactions/s overall, %.0f/s served; peak heap %.1f MB",
			n, float64(len(data))/1e6, load.Round(time.Millisecond), serve.Round(time.Millisecond),
			float64(n)/total.Seconds(), float64(n)/serve.Seconds(), float64(peak-before.HeapAlloc)/1e6)

		c, _ := cassette.Parse("synthetic", data)
		vc := &vcr.Cassette{Interactions: c.Interactions, Matcher: func(r *http.Request, i vcr.Request) bool {
			return r.Header.Get("X-Amz-Target") == i.Headers.Get("X-Amz-Target") && r.Header.Get("X-Body") == i.Body
		}}
		start := time.Now()
		for _, in := range c.Interactions {
			req, _ := http.NewRequest("POST", "http://x/", nil)
			req.Header.Set("X-Amz-Target", in.Request.Headers.Get("X-Amz-Target"))
			req.Header.Set("X-Body", in.Request.Body)
			if _, err := vc.GetInteraction(req); err != nil {
				t.Fatal(err)
			}
		}
		gv := time.Since(start)
		t.Logf("%6d interactions: go-vcr GetInteraction (linear scan) serves %.0f/s", n, float64(n)/gv.Seconds())
	}
	ratio := perOp[10000] / perOp[1000]
	t.Logf("time per interaction, 10,000 vs 1,000: x%.2f (1 is linear)", ratio)
	if ratio > 3 {
		t.Errorf("replay is not linear: time per interaction grows x%.1f from 1,000 to 10,000", ratio)
	}
}

// peakHeap samples the heap until stopped and returns its peak.
func peakHeap() func() uint64 {
	done := make(chan struct{})
	res := make(chan uint64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				res <- peak
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); return <-res }
}

// BenchmarkReplay10k is the replay of a 10,000-interaction cassette.
func BenchmarkReplay10k(b *testing.B) {
	data := synthetic(b, 10000)
	b.ResetTimer()
	for range b.N {
		replayAll(b, data)
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "interactions/s")
}
