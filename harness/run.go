package harness

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// ErrSetup is a run that could not start or go on: an unreachable target,
// fixtures that could not be created, a bad option. The command line
// exits 2 on it.
var ErrSetup = errors.New("setup failed")

// ErrSilent is a target that stopped answering: config.MaxSilent calls in
// a row had no answer, or as many calls of one operation (a target that
// hangs on it while it answers the others). It comes wrapped with
// ErrSetup.
var ErrSilent = errors.New("the target stopped answering")

// errCut is a call cut short by the run's own cancellation, or not sent
// because the call budget is spent: it is not an answer of the target's,
// and is never judged.
var errCut = errors.New("call cut by the run's cancellation")

// run is one conformance run.
type run struct {
	cfg    config.Config
	world  *contracts.World
	target Target
	client *cip.Client
	http   *http.Client
	calls  atomic.Int64
	tally  *tally
	roles  roleMap
	meter  *meter
	// roleWait is how long the run waited for IAM to accept its roles.
	roleWait time.Duration

	mu sync.Mutex
	// live holds the pools the run created and has not deleted, each with
	// its rank of creation: deleted pools leave it, so a run of any length
	// holds only the pools alive at once.
	live    map[string]int
	created int
	// refused are the fixture pool kinds the target would not create,
	// with why and how many cases that left unsent.
	refused map[fuzz.PoolKind]*RefusedPool

	silence    silence
	done       atomic.Int64 // cases judged
	lastSilent atomic.Int64 // when the last call with no answer ended, unix nanoseconds
	interrupt  *interruption
	// until is the context's deadline plus deadlineGrace: no call of the
	// run, not even one that creates or the cleanup's, outlasts it. Zero
	// without a deadline.
	until time.Time
}

// deadlineGrace is how long past its context's deadline a run goes on
// deleting what it made, so that Run returns within a second of the
// deadline: what is not deleted by then is in the report's leftovers.
const deadlineGrace = 800 * time.Millisecond

// ErrDeadline is a run whose context's deadline passed: Run returns the
// report of what it judged (marked interrupted) with an error wrapping
// ErrDeadline and context.DeadlineExceeded.
var ErrDeadline = errors.New("the run's deadline passed")

// uncut is ctx without its cancellation, for a call that must not be cut
// once sent (a create; a delete of the run's own), still bounded by the
// run's deadline.
func (r *run) uncut(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx = context.WithoutCancel(ctx)
	if r.until.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, r.until)
}

func (r *run) track(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.live == nil {
		r.live = map[string]int{}
	}
	r.created++
	r.live[id] = r.created
}

func (r *run) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.live, id)
}

// sdk makes one SDK call through retry; it returns errCut when the run's
// context ended the call.
func (r *run) sdk(ctx context.Context, x *judge.Exchange, call func(context.Context) (any, error)) (any, error) {
	var out any
	var err error
	if !r.retry(ctx, x, func(ctx context.Context) { out, err = call(withExchange(ctx, x)) }) {
		return nil, errCut
	}
	return out, err
}

// raw sends a raw request through retry; false means the run's context
// cut it.
func (r *run) raw(ctx context.Context, x *judge.Exchange, target, contentType string, body []byte) bool {
	return r.retry(ctx, x, func(ctx context.Context) {
		sendRaw(ctx, r.http, r.target.URL(), target, contentType, body, x)
		x.RequestBody = body
	})
}

// retry sends one call, each attempt admitted by the meter and bounded by
// the call timeout, retrying throttled answers with back-off (throttling
// is never a deviation), and counts every HTTP request. false means the
// run's context cut the call or the budget refused it: x is no answer to
// judge.
func (r *run) retry(ctx context.Context, x *judge.Exchange, send func(context.Context)) bool {
	for attempt := 0; ; attempt++ {
		*x = judge.Exchange{}
		if r.meter.admit(ctx) != nil {
			return false
		}
		cctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
		send(cctx)
		cancel()
		if cut(ctx, x) {
			return false
		}
		r.count(x)
		if !judge.Throttled(x) || attempt >= r.cfg.MaxRetries {
			return true
		}
		if !sleep(ctx, r.cfg.Backoff<<attempt) {
			return false
		}
	}
}

// cut reports whether the run's own context ended a call before its
// answer was read whole: that is the run stopping, not the target failing.
func cut(ctx context.Context, x *judge.Exchange) bool {
	return ctx.Err() != nil && noAnswer(x)
}

func (r *run) count(x *judge.Exchange) {
	if x.Status != 0 || x.Err != nil {
		r.calls.Add(1)
	}
	if noAnswer(x) {
		r.lastSilent.Store(time.Now().UnixNano())
	}
	r.silence.note(x.Target, x.Status != 0)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(min(d, 2*time.Second))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Run sends a run's cases to the target and judges every answer. It
// returns an error wrapping ErrSetup when the target cannot be used (it
// cannot be reached, or stopped answering: see ErrSilent); the fixtures it
// created are deleted in every case, also when ctx is cancelled: an
// interrupted run reports what it judged so far, marked interrupted, and
// no call cut by the interruption is judged. When ctx has a deadline, Run
// returns within a second of it: past the deadline, the report of what was
// judged comes with an error wrapping ErrDeadline.
func Run(ctx context.Context, target Target, opts ...Option) (*Report, error) {
	cfg, err := configure(opts)
	if err != nil {
		return nil, err
	}
	if target == nil {
		return nil, fmt.Errorf("%w: no target", ErrSetup)
	}
	if lt := liveOf(target); lt != nil {
		if err := lt.settle(&cfg); err != nil {
			return nil, err
		}
	}
	if err := emptyShard(cfg); err != nil {
		return nil, err
	}
	r := &run{cfg: cfg, world: cfg.WorldOrDefault(), target: target, meter: newMeter(cfg.Rate, cfg.MaxCalls)}
	if d, ok := ctx.Deadline(); ok {
		r.until = d.Add(deadlineGrace)
	}
	r.roles = newRoleMap(r.world)
	if cfg.Recorded != nil {
		r.tally = newTally(r.world, cfg, target.Info())
		return r.rejudge(), nil
	}
	r.client, r.http = newClient(target, cfg.Region)
	r.tally = newTally(r.world, cfg, target.Info(), signingSecrets(r.client)...)
	rep, err := r.send(ctx)
	if err == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%w): the report holds what was judged by then", ErrDeadline, context.DeadlineExceeded)
		if rep != nil && len(rep.Leftovers) > 0 {
			err = fmt.Errorf("%w; the cleanup could not delete %d things in its %s: %v", err, len(rep.Leftovers), deadlineGrace, rep.Leftovers)
		}
	}
	return rep, scrubError(r.tally.scrub, err)
}

// cases is how a run gets its cases: made one at a time as they are sent
// (a run of any length holds none of them), or the ones it was given.
type cases struct {
	n        int
	until    time.Time // with --duration: no random case starts after it
	given    []fuzz.Case
	sweepLen int
	seed     int64
	shard    config.Shard // the part of the cases this run sends
}

func (r *run) cases() *cases {
	if r.cfg.Cases != nil {
		return &cases{n: len(r.cfg.Cases), given: r.cfg.Cases, shard: r.cfg.Shard}
	}
	sweepLen := len(fuzz.Sweep())
	c := &cases{n: max(r.cfg.Checks, sweepLen), sweepLen: sweepLen, seed: r.cfg.Seed, shard: r.cfg.Shard}
	if r.cfg.Duration > 0 {
		c.n, c.until = math.MaxInt, time.Now().Add(r.cfg.Duration)
	}
	return c
}

// more reports whether case i is to be sent: with a duration, the sweep
// always is, and a random case only while the time has not passed.
func (c *cases) more(i int) bool {
	if i >= c.n {
		return false
	}
	return c.until.IsZero() || i < c.sweepLen || time.Now().Before(c.until)
}

// at returns case i; random is a lane's own generator (generators are not
// shared between goroutines).
func (c *cases) at(i int, random *fuzz.Random) fuzz.Case {
	if c.given != nil {
		return c.given[i]
	}
	return fuzz.CaseAt(c.seed, i, random)
}

func (r *run) send(ctx context.Context) (rep *Report, err error) {
	start := time.Now()
	r.interrupt = watch(ctx)
	defer r.interrupt.stop()
	cs := r.cases()
	lanes := make([]*lane, config.Lanes)
	for i := range lanes {
		lanes[i] = r.newLane(i)
	}
	defer func() {
		// Cleanup runs on every ending; what it could not delete is in the
		// report (a leftover on a live account is a leak).
		left := r.cleanup()
		if rep != nil {
			rep.Leftovers = left
			rep.Summary.CleanupCalls = r.meter.cleanup.Load()
		} else if len(left) > 0 && err != nil {
			err = fmt.Errorf("%w; and the run could not delete what it created: %v", err, left)
		}
	}()
	// Fail fast on a target that cannot be used: one lane creates its
	// default pool before any other starts.
	if _, err := lanes[0].pool(ctx, fuzz.PoolDefault); err != nil {
		if r.settle(ctx, lanes); ctx.Err() != nil {
			return r.finish(ctx, cs.shard.Cases(cs.n), start, nil), nil
		}
		return nil, err
	}
	if err := r.prepareAccount(ctx); err != nil {
		if ctx.Err() != nil {
			return r.finish(ctx, cs.shard.Cases(cs.n), start, nil), nil
		}
		return nil, err
	}
	stopProgress := r.progress(cs, start)
	defer stopProgress()
	workErr := r.workAll(ctx, lanes, cs)
	// A target that stopped answering may have stopped for the same Ctrl-C
	// that is about to interrupt this run.
	r.settle(ctx, lanes)
	if workErr != nil && ctx.Err() == nil {
		return nil, workErr
	}
	n := cs.shard.Cases(cs.n)
	if !cs.until.IsZero() {
		n = int(r.done.Load())
	}
	stopProgress()
	return r.finish(ctx, n, start, lanes[0]), nil
}

// workAll sends every lane's cases on the run's workers, and returns the
// first error that made a lane stop (the target unusable). A lane that
// finds the target unusable (silent, say) cuts the other lanes' calls in
// flight: the run ends without their timeouts.
func (r *run) workAll(ctx context.Context, lanes []*lane, cs *cases) error {
	workers := min(r.cfg.Parallel, config.Lanes)
	var wg sync.WaitGroup
	var setupErr atomic.Pointer[error]
	wctx, stopWork := context.WithCancel(ctx)
	defer stopWork()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.work(wctx, w, workers, lanes, cs, &setupErr); err != nil {
				setupErr.CompareAndSwap(nil, &err)
				stopWork()
			}
		}()
	}
	wg.Wait()
	if p := setupErr.Load(); p != nil {
		return *p
	}
	return nil
}

// progress calls the configured progress function four times a second
// until the returned stop is called (at most once it matters).
func (r *run) progress(cs *cases, start time.Time) (stop func()) {
	if r.cfg.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var once sync.Once
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p := config.Progress{Done: int(r.done.Load()), Calls: r.calls.Load(), Elapsed: time.Since(start),
					Failing: r.tally.failing()}
				if cs.until.IsZero() {
					p.Total = cs.shard.Cases(cs.n)
				} else {
					p.Left = max(time.Until(cs.until), 0)
				}
				r.cfg.Progress(p)
			}
		}
	}()
	return func() { once.Do(func() { close(done); <-finished }) }
}

// work runs, in index order, the cases of the lanes worker w owns: lane l
// has cases l, l+Lanes, l+2*Lanes, ... A shard sends only the rounds of
// its own blocks (config.Shard).
func (r *run) work(ctx context.Context, w, workers int, lanes []*lane, cs *cases, setupErr *atomic.Pointer[error]) error {
	for base := 0; base < cs.n; base += config.Lanes {
		if !cs.shard.Owns(base, cs.n) {
			continue
		}
		for l := w; l < config.Lanes; l += workers {
			i := base + l
			if !cs.more(i) {
				return nil
			}
			if ctx.Err() != nil || setupErr.Load() != nil || r.meter.ended() {
				return nil
			}
			err := lanes[l].runCase(ctx, i, cs.at(i, lanes[l].random))
			r.done.Add(1)
			if err != nil {
				if ctx.Err() != nil || r.meter.ended() {
					// Interrupted, or the budget is spent: not a broken target.
					return nil
				}
				return err
			}
		}
	}
	return nil
}

// finish shrinks the failures (not after an interruption, nor once the
// call budget is spent: that would send more calls), builds the report and
// stamps calls and time.
func (r *run) finish(ctx context.Context, n int, start time.Time, shrinkLane *lane) *Report {
	if r.cfg.Shrink && shrinkLane != nil && ctx.Err() == nil && !r.meter.ended() {
		sctx, stop := r.meter.bound(ctx)
		shrinkLane.shrinkFailures(sctx)
		stop()
	}
	rep := r.tally.report(r.target.Info(), n)
	rep.Interrupted = ctx.Err() != nil
	rep.StartedAt = start.UTC().Format(time.RFC3339)
	r.stampRefused(rep)
	r.stampLive(rep)
	r.stampShard(rep)
	rep.Summary.Calls = r.calls.Load()
	rep.Summary.ElapsedS = time.Since(start).Seconds()
	return rep
}

// cleanup deletes every pool the run created and did not delete, then
// what the run made in its account (a live run's roles), with a context of
// its own so that an interrupted run still cleans up; Config.HardStop (a
// second interrupt) stops it. The budget never refuses its calls. It
// returns what it could not delete, each with the reason.
func (r *run) cleanup() []Leftover {
	r.mu.Lock()
	ids := slices.Collect(maps.Keys(r.live))
	slices.SortFunc(ids, func(a, b string) int { return r.live[a] - r.live[b] })
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(forCleanup(cmp.Or(r.cfg.HardStop, context.Background())), r.cleanupTime(len(ids)))
	defer cancel()
	if !r.until.IsZero() {
		var stop context.CancelFunc
		ctx, stop = context.WithDeadline(ctx, r.until)
		defer stop()
	}
	deletes := contracts.Target(contracts.OpDeleteUserPool)
	var left []Leftover
	for _, id := range ids {
		err := ctx.Err()
		switch {
		case err != nil:
		case r.silence.silentOn(deletes):
			err = fmt.Errorf("not deleted: the target stopped answering DeleteUserPool")
		default:
			err = r.deleteLeft(ctx, id)
		}
		if err != nil {
			left = append(left, Leftover{Pool: r.tally.scrub.String(id), Error: r.tally.scrub.String(cleanupError(ctx, err))})
		}
	}
	return append(left, r.teardownAccount(ctx)...)
}

// deleteLeft deletes a pool at cleanup. A delete whose answer was lost is
// sent once more, and a pool the target no longer has is gone, not left:
// an earlier delete (a case's own, or one an interrupt cut after the
// target had carried it out) deleted it.
func (r *run) deleteLeft(ctx context.Context, id string) error {
	var err error
	for range 2 {
		var x judge.Exchange
		err = r.deletePool(ctx, id, &x)
		if err == nil || judge.ErrorCode(&x) == contracts.ResourceNotFoundException().Code {
			r.forget(id)
			return nil
		}
		if x.Status != 0 || ctx.Err() != nil {
			return err
		}
	}
	return err
}

// newSession is a judging session of the run: its world and strictness,
// and the observations that narrow the contract or the watcher told of
// what calls show.
func (r *run) newSession() *judge.Session {
	s := judge.New(r.world, r.cfg.StrictMessages)
	if r.cfg.Watch != nil {
		s.Watch(r.cfg.Watch)
	}
	if r.cfg.Narrow != nil {
		s.NarrowWith(r.cfg.Narrow)
	}
	return s
}

// rejudge judges recorded exchanges one by one, in recorded order, against
// the current contract, without sending anything: the way to judge a
// recording made by another version of the generators (a nightly
// recording of real AWS, say). The session follows pools by ID from the
// CreateUserPool and read-back that made them, as it does in a live run.
// Throttled exchanges are passed over, as a live run retries them.
func (r *run) rejudge() *Report {
	start := time.Now()
	s := r.newSession()
	judged := 0
	for i := range r.cfg.Recorded {
		x := &r.cfg.Recorded[i]
		if judge.Throttled(x) {
			continue
		}
		r.calls.Add(1)
		j := s.Judge(x)
		if !j.Judged {
			r.tally.fold(position{caseIndex: i}, "", j)
			continue
		}
		r.tally.fold(position{caseIndex: i}, fmt.Sprintf("interaction %d", i+1), j)
		judged++
	}
	rep := r.tally.report(r.target.Info(), judged)
	rep.Summary.Calls = r.calls.Load()
	rep.Summary.ElapsedS = time.Since(start).Seconds()
	return rep
}
