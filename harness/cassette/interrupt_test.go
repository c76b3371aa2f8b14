package cassette_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/config"
)

type countingRT struct {
	next  http.RoundTripper
	n     *atomic.Int64
	after int64
	stop  func()
}

func (c countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.n.Add(1) == c.after {
		c.stop()
	}
	return c.next.RoundTrip(r)
}

// TestInterruptedRunSavesWhatItRecorded cancels a run mid-way (as Ctrl-C
// does): the cassette exists, is valid, says the run was interrupted and
// holds every interaction recorded so far; a replay judges that part.
func TestInterruptedRunSavesWhatItRecorded(t *testing.T) {
	w := contracts.DefaultWorld()
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	path := filepath.Join(t.TempDir(), "interrupted.yaml")
	rec := cassette.NewRecorder(path, cassette.NewHeader(ref.Info(), 1, cassette.Flags{Region: w.Region, Checks: 2000, Parallel: 4, Rules: []string{"*"}}, nil), w)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	target := harness.WrapTarget(harness.WrapTarget(ref, rec.Transport), func(next http.RoundTripper) http.RoundTripper {
		return countingRT{next: next, n: &n, after: 300, stop: cancel}
	})
	stop := rec.Checkpoint(20 * time.Millisecond)
	rep, err := harness.Run(ctx, target, harness.WithChecks(2000), harness.WithSeed(1), harness.WithParallel(4), harness.WithWorld(w))
	stop()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if !rep.Interrupted {
		t.Fatalf("the run was not interrupted (%d calls)", rep.Summary.Calls)
	}
	rec.Finish(rep, err)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatalf("the interrupted cassette does not load: %v", err)
	}
	if !c.Header.Interrupted || len(c.Interactions) != rec.Len() || len(c.Interactions) < 250 {
		t.Errorf("interrupted=%v, %d interactions in the file, %d recorded", c.Header.Interrupted, len(c.Interactions), rec.Len())
	}
	if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp")); len(tmp) > 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}
	// Its replay is partial: either a report marked interrupted or, when
	// the recording stopped in a pool's creation, a clear error; never a
	// complete verdict.
	got, _, err := cassette.Replay(context.Background(), c)
	switch {
	case err != nil && (!errors.Is(err, cassette.ErrMismatch) || !strings.Contains(err.Error(), "interrupted")):
		t.Errorf("replaying an interrupted cassette: %v", err)
	case err == nil && !got.Interrupted:
		t.Errorf("the replay of an interrupted cassette claims to be complete")
	}
}

// TestCheckpointIsAlwaysValid reads the file while a recording run saves
// checkpoints: every read is a whole cassette, never half of one.
func TestCheckpointIsAlwaysValid(t *testing.T) {
	t.Parallel()
	w := contracts.DefaultWorld()
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	path := filepath.Join(t.TempDir(), "live.yaml")
	rec := cassette.NewRecorder(path, cassette.NewHeader(ref.Info(), 1, cassette.Flags{Region: w.Region}, nil), w)
	stop := rec.Checkpoint(time.Millisecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = harness.Run(context.Background(), harness.WrapTarget(ref, rec.Transport), harness.WithChecks(600), harness.WithWorld(w))
	}()
	reads := 0
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		if data, err := os.ReadFile(path); err == nil {
			if _, err := cassette.Parse(path, data); err != nil {
				t.Fatalf("a checkpoint read mid-run is not a valid cassette: %v", err)
			}
			reads++
		}
		time.Sleep(2 * time.Millisecond)
	}
	stop()
	if reads == 0 {
		t.Fatal("no checkpoint was ever written")
	}
}

// cutAfterAnswer reads the answer of call number at whole, then cancels
// the run, as a Ctrl-C that lands just after an answer came in: the
// caller gets the context's error, not the answer.
type cutAfterAnswer struct {
	next http.RoundTripper
	n    *atomic.Int64
	at   int64
	stop func()
}

func (c cutAfterAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err != nil || c.n.Add(1) != c.at {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	c.stop()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// delivered counts the answers that reach the caller.
type delivered struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (d delivered) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(r)
	if err == nil {
		d.n.Add(1)
	}
	return resp, err
}

// TestCutCallIsNotRecorded: a call the run's cancellation cut after its
// answer was read is not judged by the run, so it is not recorded: the
// cassette holds exactly the answers the caller got, its replay reports
// no FAIL, and diff sends and lists nothing else.
func TestCutCallIsNotRecorded(t *testing.T) {
	w := contracts.DefaultWorld()
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	path := filepath.Join(t.TempDir(), "cut.yaml")
	rec := cassette.NewRecorder(path, cassette.NewHeader(ref.Info(), 1, cassette.Flags{Region: w.Region, Checks: 2000, Parallel: 4, Rules: []string{"*"}}, nil), w)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	inner := harness.WrapTarget(ref, func(next http.RoundTripper) http.RoundTripper {
		return cutAfterAnswer{next: next, n: &n, at: 300, stop: cancel}
	})
	var answered atomic.Int64
	target := harness.WrapTarget(harness.WrapTarget(inner, rec.Transport), func(next http.RoundTripper) http.RoundTripper {
		return delivered{next: next, n: &answered}
	})
	rep, err := harness.Run(ctx, target, harness.WithChecks(2000), harness.WithSeed(1), harness.WithParallel(4), harness.WithWorld(w))
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if !rep.Interrupted {
		t.Fatal("the run was not interrupted")
	}
	if int64(rec.Len()) != answered.Load() {
		t.Errorf("recorded %d interactions, the caller got %d answers: the cut call was recorded", rec.Len(), answered.Load())
	}
	rec.Finish(rep, err)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := cassette.Replay(context.Background(), c)
	if err != nil && !errors.Is(err, cassette.ErrMismatch) {
		t.Fatalf("replay: %v", err)
	}
	if got != nil && got.Summary.Fail != 0 {
		var b bytes.Buffer
		got.WriteConsole(&b)
		t.Errorf("the replay of an interrupted reference run fails:\n%s", b.String())
	}
	fresh := harness.Reference(w)
	defer fresh.Close()
	d, err := cassette.Diff(context.Background(), c, fresh, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Summary.Sent != len(c.Interactions) || !d.Same() {
		t.Errorf("diff sent %d of %d, %d differ: %+v", d.Summary.Sent, len(c.Interactions), d.Summary.Differ, d.Interactions)
	}
}

// cutDelete cuts the first DeleteUserPool after the target has done it:
// the pool is gone, and the run never saw the answer.
type cutDelete struct {
	next http.RoundTripper
	done *atomic.Bool
	stop func()
}

func (c cutDelete) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err != nil || r.Header.Get("X-Amz-Target") != contracts.Target(contracts.OpDeleteUserPool) || !c.done.CompareAndSwap(false, true) {
		return resp, err
	}
	c.stop()
	return resp, err
}

// TestCleanupAfterInterruptIsNotRecorded: after a Delete the interruption
// cut (done by the target, unanswered), the run still deletes its pools;
// those calls meet a state the recording cannot show, so a recorder told
// Until the run's context records none of them, and diff of the recording
// against a fresh reference finds nothing.
func TestCleanupAfterInterruptIsNotRecorded(t *testing.T) {
	w := contracts.DefaultWorld()
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	path := filepath.Join(t.TempDir(), "cleanup.yaml")
	rec := cassette.NewRecorder(path, cassette.NewHeader(ref.Info(), 1, cassette.Flags{Region: w.Region}, nil), w)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec.Until(ctx)
	var done atomic.Bool
	inner := harness.WrapTarget(ref, func(next http.RoundTripper) http.RoundTripper {
		return cutDelete{next: next, done: &done, stop: cancel}
	})
	seq := fuzz.Case{Kind: "sequence", Pool: fuzz.PoolDefault, Lifecycle: true, Steps: []fuzz.Step{
		{Op: fuzz.OpDescribe, Pool: fuzz.PoolCurrent}, {Op: fuzz.OpDelete, Pool: fuzz.PoolCurrent},
		{Op: fuzz.OpDescribe, Pool: fuzz.PoolCurrent}}}
	rep, err := harness.Run(ctx, harness.WrapTarget(inner, rec.Transport), harness.WithWorld(w), harness.WithParallel(1),
		config.OptionOf[harness.Option](func(c *config.Config) { c.Cases = []fuzz.Case{seq} }))
	if err != nil || !rep.Interrupted || !done.Load() {
		t.Fatalf("run: %v (interrupted %v, delete cut %v)", err, rep != nil && rep.Interrupted, done.Load())
	}
	rec.Finish(rep, err)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range c.Interactions {
		if in.Response.Code != 200 {
			t.Errorf("interaction %d %s answered %d: a call after the interruption was recorded", i, in.Request.Headers.Get("X-Amz-Target"), in.Response.Code)
		}
	}
	fresh := harness.Reference(w)
	defer fresh.Close()
	d, err := cassette.Diff(context.Background(), c, fresh, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Same() {
		t.Errorf("diff of the interrupted recording: %d differ: %+v", d.Summary.Differ, d.Interactions)
	}
}
