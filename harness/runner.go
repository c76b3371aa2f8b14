package harness

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
)

// Version is the tool version carried by reports and cassettes.
const Version = "0.1.0"

// Option configures a run.
type Option func(*config)

type config struct {
	region      string
	checks      int
	seed        int64
	parallel    int
	rules       []string
	strict      bool
	world       *contracts.World
	callTimeout time.Duration
	maxRetries  int
	backoff     time.Duration
	shrink      bool
	reproduce   string
	targetName  string
}

func defaults() config {
	return config{region: "us-east-1", checks: 500, seed: 1, parallel: 4, rules: []string{"*"},
		world: contracts.DefaultWorld(), callTimeout: 10 * time.Second, maxRetries: 8,
		backoff: 20 * time.Millisecond, shrink: true}
}

// WithRegion sets the region the SDK client signs for.
func WithRegion(r string) Option { return func(c *config) { c.region = r } }

// WithChecks sets how many cases a run sends (at least the sweep).
func WithChecks(n int) Option { return func(c *config) { c.checks = n } }

// WithSeed sets the seed: the same seed gives the same cases.
func WithSeed(s int64) Option { return func(c *config) { c.seed = s } }

// WithParallel sets how many workers send cases at once.
func WithParallel(p int) Option { return func(c *config) { c.parallel = max(p, 1) } }

// WithRules limits the report to the rules matching the globs.
func WithRules(globs ...string) Option { return func(c *config) { c.rules = globs } }

// WithStrictMessages makes message findings fail instead of warn.
func WithStrictMessages(b bool) Option { return func(c *config) { c.strict = b } }

// WithWorld replaces the default fixture world.
func WithWorld(w *contracts.World) Option { return func(c *config) { c.world = w } }

// WithCallTimeout bounds each call.
func WithCallTimeout(d time.Duration) Option { return func(c *config) { c.callTimeout = d } }

// WithRetries sets how often a throttled call is retried, and the first
// back-off (doubled each time).
func WithRetries(n int, backoff time.Duration) Option {
	return func(c *config) { c.maxRetries, c.backoff = n, backoff }
}

// WithShrink turns shrinking of failures on or off.
func WithShrink(b bool) Option { return func(c *config) { c.shrink = b } }

// WithReproduce sets the command line reports print to reproduce a
// failure; "--rules <id>" is appended.
func WithReproduce(cmd string) Option { return func(c *config) { c.reproduce = cmd } }

// WithTargetName names the target in reports; a named report leaves out
// what changes from run to run (the endpoint's port, pool IDs).
func WithTargetName(name string) Option { return func(c *config) { c.targetName = name } }

// run is one conformance run.
type run struct {
	cfg    config
	target Target
	client *cip.Client
	http   *http.Client
	calls  atomic.Int64

	mu      sync.Mutex
	created []string // pools to delete at the end
	deleted map[string]bool

	silent atomic.Int64 // consecutive calls with no answer
}

const maxSilent = 5

func (r *run) track(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.created = append(r.created, id)
}

func (r *run) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.deleted == nil {
		r.deleted = map[string]bool{}
	}
	r.deleted[id] = true
}

// sdk makes one SDK call, retrying throttled calls with back-off
// (throttling is never a deviation), and counts every HTTP request.
func (r *run) sdk(ctx context.Context, x *Exchange, call func(context.Context) (any, error)) (any, error) {
	for attempt := 0; ; attempt++ {
		*x = Exchange{}
		cctx, cancel := context.WithTimeout(ctx, r.cfg.callTimeout)
		out, err := call(withExchange(cctx, x))
		cancel()
		r.count(x)
		if !r.throttled(x) || attempt >= r.cfg.maxRetries {
			return out, err
		}
		if !sleep(ctx, r.cfg.backoff<<attempt) {
			return out, err
		}
	}
}

// raw sends a raw request with the same retry rules.
func (r *run) raw(ctx context.Context, x *Exchange, target, contentType string, body []byte) {
	for attempt := 0; ; attempt++ {
		*x = Exchange{}
		cctx, cancel := context.WithTimeout(ctx, r.cfg.callTimeout)
		sendRaw(cctx, r.http, r.target.URL(), target, contentType, body, x)
		cancel()
		x.RequestBody = body
		r.count(x)
		if !r.throttled(x) || attempt >= r.cfg.maxRetries || !sleep(ctx, r.cfg.backoff<<attempt) {
			return
		}
	}
}

func (r *run) count(x *Exchange) {
	if x.Status != 0 || x.Err != nil {
		r.calls.Add(1)
	}
	if x.Status == 0 {
		r.silent.Add(1)
	} else {
		r.silent.Store(0)
	}
}

func (r *run) throttled(x *Exchange) bool {
	if x.Status < 400 || !bytes.Contains(x.Body, []byte(contracts.TooManyRequestsException().Code)) &&
		!strings.Contains(x.Header.Get("X-Amzn-ErrorType"), contracts.TooManyRequestsException().Code) {
		return false
	}
	code, _, _ := errorOf(x, decodeAny(x.Body), nil)
	return code == contracts.TooManyRequestsException().Code
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
// returns an error wrapping ErrSetup when the target cannot be used; the
// fixtures it created are deleted in every case, also when ctx is
// cancelled (an interrupted run reports what it judged so far).
func Run(ctx context.Context, target Target, opts ...Option) (*Report, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	return runCases(ctx, target, cfg, fuzz.Cases(cfg.seed, cfg.checks))
}

// RunCases is Run over the given cases instead of the generated ones: the
// seam property tests use to run what rapid draws.
func RunCases(ctx context.Context, target Target, cases []fuzz.Case, opts ...Option) (*Report, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	return runCases(ctx, target, cfg, cases)
}

func runCases(ctx context.Context, target Target, cfg config, cases []fuzz.Case) (*Report, error) {
	if _, err := contracts.MatchRules(cfg.rules...); err != nil {
		return nil, fmt.Errorf("%w: --rules: %v", ErrSetup, err)
	}
	r := &run{cfg: cfg, target: target}
	r.client, r.http = newClient(target, cfg.region)
	start := time.Now()
	defer r.cleanup()

	results := make([]caseResult, len(cases))
	workers := make([]*worker, cfg.parallel)
	for i := range workers {
		workers[i] = &worker{run: r, id: i, pools: map[fuzz.PoolKind]*poolState{}}
	}
	// Fail fast on a target that cannot be used: one worker creates its
	// default pool before any other starts.
	if _, err := workers[0].pool(ctx, fuzz.PoolDefault); err != nil && ctx.Err() == nil {
		return nil, err
	}
	var wg sync.WaitGroup
	var setupErr atomic.Pointer[error]
	for _, w := range workers {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for i := w.id; i < len(cases); i += len(workers) {
				if ctx.Err() != nil || setupErr.Load() != nil {
					return
				}
				res, err := w.runCase(ctx, i, cases[i])
				if err != nil && ctx.Err() != nil {
					// Interrupted, not a broken target: the report keeps
					// what was judged so far.
					return
				}
				if err != nil {
					setupErr.CompareAndSwap(nil, &err)
					return
				}
				results[i] = res
			}
		}(w)
	}
	wg.Wait()
	if p := setupErr.Load(); p != nil {
		return nil, *p
	}
	rep := r.report(cases, results, time.Since(start))
	if ctx.Err() != nil {
		rep.Interrupted = true
	}
	if cfg.shrink && ctx.Err() == nil {
		r.shrinkReport(ctx, rep, workers[0])
	}
	rep.Summary.Calls = r.calls.Load()
	rep.Summary.ElapsedS = time.Since(start).Seconds()
	return rep, nil
}

// cleanup deletes every pool the run created and did not delete, with a
// context of its own so that an interrupted run still cleans up.
func (r *run) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r.mu.Lock()
	ids := slices.Clone(r.created)
	r.mu.Unlock()
	for _, id := range ids {
		r.mu.Lock()
		gone := r.deleted[id]
		r.mu.Unlock()
		if !gone {
			_ = r.deletePool(ctx, id)
		}
	}
}
