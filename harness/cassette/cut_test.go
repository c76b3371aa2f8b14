package cassette_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/config"
)

// hugeOnce serves the reference emulator on loopback, except that the
// first GetUserPoolMfaConfig is answered with size bytes of a JSON string
// that never ends, written in small pieces so the server holds none of it.
func hugeOnce(t *testing.T, w *contracts.World, size int) string {
	t.Helper()
	return hugeAnswers(t, w, contracts.OpGetUserPoolMfaConfig, size, 1)
}

// hugeAnswers is hugeOnce for the first n calls of an operation.
func hugeAnswers(t *testing.T, w *contracts.World, op string, size, n int) string {
	t.Helper()
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	u, err := url.Parse(ref.Info().Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != contracts.Target(op) || served.Add(1) > int64(n) {
			proxy.ServeHTTP(rw, r)
			return
		}
		io.Copy(io.Discard, r.Body)
		rw.Header().Set("Content-Type", contracts.ContentType)
		rw.WriteHeader(http.StatusOK)
		piece := bytes.Repeat([]byte("A"), 64<<10)
		io.WriteString(rw, `{"MfaConfiguration":"`)
		for n := 0; n < size; n += len(piece) {
			if _, err := rw.Write(piece); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRecordingCutsHugeAnswers: a target answering 50 MB to one call is
// recorded with that answer cut at config.MaxResponse, in bounded memory; the run sees
// the answer cut short (a failing call, not a silent target), and the
// cassette replays to the same verdict.
func TestRecordingCutsHugeAnswers(t *testing.T) {
	w := contracts.DefaultWorld()
	endpoint := hugeOnce(t, w, 50<<20)
	target, err := harness.Endpoint(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Close() })
	path := filepath.Join(t.TempDir(), "huge.yaml")
	flags := cassette.Flags{Region: w.Region, Checks: 1, Parallel: 1, Rules: []string{"*"}}
	var rep *harness.Report
	var runErr error
	before, peak, after := heapDuring(func() {
		rec := cassette.NewRecorder(path, cassette.NewHeader(target.Info(), 1, flags, nil), w)
		rep, runErr = harness.Run(context.Background(), harness.WrapTarget(target, rec.Transport), harness.WithChecks(1),
			harness.WithSeed(1), harness.WithParallel(1), harness.WithWorld(w), harness.WithRegion(w.Region))
		rec.Finish(rep, runErr)
		if err := rec.Save(); err != nil {
			t.Fatal(err)
		}
	})
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("recording a 50 MB answer: heap in use %d MiB before, %d MiB at most, %d MiB after; cassette of %d bytes",
		before>>20, peak>>20, after>>20, st.Size())
	if runErr != nil {
		t.Fatalf("recording run: %v", runErr)
	}
	if st.Size() >= 4<<20 {
		t.Errorf("cassette is %d bytes; want under 4 MB", st.Size())
	}
	const limit = 200 << 20
	if peak-before > limit {
		t.Errorf("recording took %d MiB of heap; want under %d MiB", (peak-before)>>20, limit>>20)
	}
	if !cutShown(rep) {
		t.Errorf("the recorded run does not report the answer as cut short:\n%s", console(rep))
	}

	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	replayed, stats, err := cassette.Replay(context.Background(), c)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if stats.Missed > 0 || stats.Unused > 0 {
		t.Errorf("replay used the cassette partly: %+v", stats)
	}
	if err := cassette.SameVerdict(c.Header.Verdict, replayed); err != nil {
		t.Errorf("replay judged otherwise than the recording:\n%v", err)
	}
	if !cutShown(replayed) {
		t.Errorf("the replay does not report the answer as cut short:\n%s", console(replayed))
	}
	rejudged, _, err := cassette.Rejudge(c)
	if err != nil {
		t.Fatalf("rejudge: %v", err)
	}
	if !cutShown(rejudged) {
		t.Errorf("rejudging does not report the answer as cut short:\n%s", console(rejudged))
	}
}

func cutShown(rep *harness.Report) bool {
	for _, r := range rep.Rules {
		for _, f := range r.Failures {
			if strings.Contains(f.Detail, "answer cut short") && strings.Contains(f.Detail, fmt.Sprint(config.MaxResponse)) {
				return true
			}
		}
	}
	return false
}

func console(rep *harness.Report) string {
	var b bytes.Buffer
	rep.WriteConsole(&b)
	return b.String()
}

// TestCutAtTheLimit: an answer of exactly config.MaxResponse bytes is
// kept whole; one byte more and it is cut, and the caller, the cassette
// and its replay all see config.MaxResponse bytes then ErrAnswerCut; a
// target cannot mark its own answer cut.
func TestCutAtTheLimit(t *testing.T) {
	const limit = config.MaxResponse
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.Header.Get("X-Size"), &n)
		if r.Header.Get("X-Forge") != "" {
			rw.Header().Set("X-Mfaconform-Answer-Cut-At", "12")
			rw.Header().Set("X-Mfaconform-Answer-Length", "99")
			rw.Header().Set("X-Mfaconform-Answer-Sha256", strings.Repeat("0", 64))
		}
		rw.Header().Set("Content-Type", contracts.ContentType)
		rw.Write(bytes.Repeat([]byte("A"), n))
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name, reason string
		size         int
		forge        bool
		wantLen      int
		wantCut      bool
	}{
		{"exactly the limit", "the limit is what a run reads", limit, false, limit, false},
		{"one byte past the limit", "a run would report it too large", limit + 1, false, limit, true},
		{"far past the limit", "the recorder reads no more than the limit", 3 * limit, false, limit, true},
		{"marker sent by the target", "only the recorder marks an answer cut", 10, true, 10, false},
	}
	path := filepath.Join(t.TempDir(), "cut.yaml")
	rec := cassette.NewRecorder(path, cassette.NewHeader(harness.TargetInfo{Kind: harness.KindEndpoint}, 1, cassette.Flags{}, nil), nil)
	send := func(t *testing.T, rt http.RoundTripper, i int) (int, error) {
		t.Helper()
		tt := tests[i]
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(fmt.Sprintf(`{"UserPoolId":"us-east-1_case%d"}`, i)))
		req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpGetUserPoolMfaConfig))
		req.Header.Set("Content-Type", contracts.ContentType)
		req.Header.Set("X-Size", fmt.Sprint(tt.size))
		if tt.forge {
			req.Header.Set("X-Forge", "1")
		}
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		defer resp.Body.Close()
		for _, h := range []string{"X-Mfaconform-Answer-Cut-At", "X-Mfaconform-Answer-Length", "X-Mfaconform-Answer-Sha256"} {
			if resp.Header.Get(h) != "" {
				t.Errorf("%s: the caller sees the recorder's mark %s", tt.name, h)
			}
		}
		b, err := io.ReadAll(resp.Body)
		return len(b), err
	}
	check := func(t *testing.T, how string, i, n int, err error) {
		t.Helper()
		tt := tests[i]
		if n != tt.wantLen || errors.Is(err, cassette.ErrAnswerCut) != tt.wantCut || (err != nil && !tt.wantCut) {
			t.Errorf("%s, %s (%s): read %d bytes, error %v; want %d bytes, cut %v", how, tt.name, tt.reason, n, err, tt.wantLen, tt.wantCut)
		}
	}
	live := rec.Transport(http.DefaultTransport)
	for i := range tests {
		n, err := send(t, live, i)
		check(t, "recording", i, n, err)
	}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	replay := cassette.NewReplayer(c, cassette.NewScrubber(nil))
	for i := range tests {
		n, err := send(t, replay, i)
		check(t, "replay", i, n, err)
	}
}

// TestRecordingKeepsPrefixAndDigest: twenty answers of 5 MB each are
// recorded as a bounded prefix each, marked with the whole answer's length
// and SHA-256, and the cassette replays and rejudges to the verdict of the
// run, which saw each answer cut after the prefix as its replay does.
func TestRecordingKeepsPrefixAndDigest(t *testing.T) {
	const size, n = 5 << 20, 20
	w := contracts.DefaultWorld()
	endpoint := hugeAnswers(t, w, contracts.OpSetUserPoolMfaConfig, size, n)
	target, err := harness.Endpoint(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Close() })
	path := filepath.Join(t.TempDir(), "huge.yaml")
	flags := cassette.Flags{Region: w.Region, Checks: 40, Parallel: 1, Rules: []string{"*"}}
	rec := cassette.NewRecorder(path, cassette.NewHeader(target.Info(), 1, flags, nil), w)
	rep, runErr := harness.Run(context.Background(), harness.WrapTarget(target, rec.Transport), harness.WithChecks(40),
		harness.WithSeed(1), harness.WithParallel(1), harness.WithWorld(w), harness.WithRegion(w.Region))
	if runErr != nil {
		t.Fatalf("recording run: %v", runErr)
	}
	rec.Finish(rep, runErr)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if limit := int64(n*config.MaxResponse + 8<<20); st.Size() > limit {
		t.Errorf("a cassette of %d answers of %d bytes is %d bytes; want at most %d (a prefix of %d bytes each and the rest)",
			n, size, st.Size(), limit, config.MaxResponse)
	}
	c, err := cassette.Load(path, cassette.WithMaxSize(st.Size()))
	if err != nil {
		t.Fatal(err)
	}
	// The whole answer: `{"MfaConfiguration":"` and size bytes of "A" in
	// pieces of 64 KiB.
	whole := append([]byte(`{"MfaConfiguration":"`), bytes.Repeat([]byte("A"), (size+64<<10-1)/(64<<10)*(64<<10))...)
	sum := sha256.Sum256(whole)
	cut := 0
	for _, in := range c.Interactions {
		if in.Response.Headers.Get("X-Mfaconform-Answer-Cut-At") == "" {
			continue
		}
		cut++
		if got, want := in.Response.Headers.Get("X-Mfaconform-Answer-Length"), fmt.Sprint(len(whole)); got != want {
			t.Errorf("a cut answer marked of length %s, want %s", got, want)
		}
		if got, want := in.Response.Headers.Get("X-Mfaconform-Answer-Sha256"), hex.EncodeToString(sum[:]); got != want {
			t.Errorf("a cut answer marked with sha256 %s, want %s (the whole answer's)", got, want)
		}
		if len(in.Response.Body) != config.MaxResponse {
			t.Errorf("a cut answer keeps %d bytes, want %d", len(in.Response.Body), config.MaxResponse)
		}
	}
	if cut != n {
		t.Errorf("%d answers recorded cut, want %d", cut, n)
	}
	replayed, stats, err := cassette.Replay(context.Background(), c)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if stats.Missed > 0 || stats.Unused > 0 {
		t.Errorf("replay used the cassette partly: %+v", stats)
	}
	if err := cassette.SameVerdict(c.Header.Verdict, replayed); err != nil {
		t.Errorf("replay judged otherwise than the recording:\n%v", err)
	}
	rejudged, _, err := cassette.Rejudge(c)
	if err != nil {
		t.Fatalf("rejudge: %v", err)
	}
	// Rejudging also judges the calls shrinking sent, so it checks more;
	// the rules that fail are the run's.
	if got, want := rejudged.Failing(), rep.Failing(); !slices.Equal(got, want) {
		t.Errorf("rejudging fails %v, the recording run %v", got, want)
	}
	if !strings.Contains(console(replayed), "sha256 "+hex.EncodeToString(sum[:])) {
		t.Errorf("the replay does not name the whole answer's digest:\n%s", console(replayed))
	}
}
