package harness_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// shardChecks is the size of the runs the shard tests split: past the
// sweep (343 cases), so that random cases are dealt too.
const shardChecks = 420

// shardTarget is a target the union of shards is checked against. A
// stateful one answers a call after what earlier calls did to its pool:
// what a case finds there depends on the cases before it on its lane's
// pool, which a shard starts new at its block's first case.
type shardTarget struct {
	name     string
	stateful bool
	seeds    []int64
	// wrap is made anew for each target: a wrapper's state is its
	// target's.
	wrap func() func(http.RoundTripper) http.RoundTripper
}

func shardTargets() []shardTarget {
	return []shardTarget{
		{"reference", false, []int64{1, 5}, func() func(http.RoundTripper) http.RoundTripper {
			return func(next http.RoundTripper) http.RoundTripper { return next }
		}},
		{"many-deviations", false, []int64{1, 5}, func() func(http.RoundTripper) http.RoundTripper {
			return rewriter{after: func(c *call, a *answer) {
				// Every error renamed after its operation, and not-found
				// sent with 404: several signatures under several rules.
				if a.Code != "" && a.Status >= 400 {
					a.setCode(a.Code + "For" + c.Op)
				}
				if strings.HasPrefix(a.Code, contracts.ResourceNotFoundException().Code) {
					a.Status = 404
				}
			}}.wrap
		}},
		{"stale-read", true, []int64{1}, func() func(http.RoundTripper) http.RoundTripper { return staleRead }},
		{"merging", true, []int64{1}, merging},
	}
}

// caseCalls counts the calls that cases send (Set, Get and raw wire
// requests), pool IDs put aside: fixture pools, made per lane and per
// shard, are left out.
type caseCalls struct {
	mu sync.Mutex
	n  map[string]int
}

var poolIDs = regexp.MustCompile(`us-east-1_[0-9A-Za-z]+`)

func (cc *caseCalls) wrap(next http.RoundTripper) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		target := r.Header.Get("X-Amz-Target")
		if !strings.HasSuffix(target, "UserPool") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			key := target + " " + poolIDs.ReplaceAllString(string(body), "POOL")
			cc.mu.Lock()
			if cc.n == nil {
				cc.n = map[string]int{}
			}
			cc.n[key]++
			cc.mu.Unlock()
		}
		return next.RoundTrip(r)
	})
}

// runShard runs shard index/total (total 0: the whole run) against
// target.
func runShard(t *testing.T, target harness.Target, seed int64, index, total int) *harness.Report {
	t.Helper()
	opts := []harness.Option{harness.WithChecks(shardChecks), harness.WithSeed(seed), harness.WithParallel(4)}
	if total > 0 {
		opts = append(opts, harness.WithShard(index, total))
	}
	rep, err := harness.Run(context.Background(), target, opts...)
	if err != nil {
		t.Fatalf("Run seed %d shard %d/%d: %v", seed, index, total, err)
	}
	if len(rep.Leftovers) > 0 {
		t.Fatalf("Run seed %d shard %d/%d left %v", seed, index, total, rep.Leftovers)
	}
	return rep
}

// statuses are the rules' statuses.
func statuses(rep *harness.Report) string {
	var b strings.Builder
	for _, rr := range rep.Rules {
		fmt.Fprintf(&b, "%s %s\n", rr.ID, rr.Status)
	}
	return b.String()
}

// verdicts is what a merged report must share with the unsharded one:
// each rule's status and deviation signatures, and the cases.
func verdicts(rep *harness.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, %d cases, %d pass %d fail %d warn %d skip\n", rep.Seed, rep.Cases,
		rep.Summary.Pass, rep.Summary.Fail, rep.Summary.Warn, rep.Summary.Skip)
	for _, rr := range rep.Rules {
		var sigs []string
		for _, f := range rr.Failures {
			sigs = append(sigs, harness.Signature(rr.ID, f))
		}
		slices.Sort(sigs)
		fmt.Fprintf(&b, "%s %s %s\n", rr.ID, rr.Status, strings.Join(sigs, " "))
	}
	return b.String()
}

// TestShardsMergeToTheUnshardedRun: for seeds, N in {1, 2, 3, 7} and
// targets right and broken, the merged report of N shards has the
// unsharded report's rule statuses and deviation signatures (with the
// same examples and counts), and the shards together send each case's
// calls exactly as often as the unsharded run does. Against a stateful
// target the statuses are the same; a deviation that only a pool's
// inherited state shows may be found at another call, or not, near a
// block's start (docs/nightly.md).
func TestShardsMergeToTheUnshardedRun(t *testing.T) {
	// Not parallel: its many runs would starve the timing tests
	// (TestRateHolds) that run in parallel.
	for _, tt := range shardTargets() {
		name := tt.name
		for _, seed := range tt.seeds {
			t.Run(fmt.Sprintf("%s/seed%d", name, seed), func(t *testing.T) {
				whole, broken := &caseCalls{}, tt.wrap()
				target := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()),
					func(next http.RoundTripper) http.RoundTripper { return whole.wrap(broken(next)) })
				t.Cleanup(func() { target.Close() })
				want := runShard(t, target, seed, 0, 0)
				if name != "reference" && want.Conforms() {
					t.Fatalf("the %s target conforms: the test shows nothing", name)
				}
				for _, n := range []int{1, 2, 3, 7} {
					parts, broken := &caseCalls{}, tt.wrap()
					target := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()),
						func(next http.RoundTripper) http.RoundTripper { return parts.wrap(broken(next)) })
					t.Cleanup(func() { target.Close() })
					var shards []*harness.Report
					for i := range n {
						shards = append(shards, runShard(t, target, seed, i+1, n))
					}
					// Given in any order.
					slices.Reverse(shards)
					got, err := harness.Merge(shards...)
					if err != nil {
						t.Fatalf("Merge of %d shards: %v", n, err)
					}
					if got.Cases != want.Cases {
						t.Errorf("seed %d, %d shards: %d cases merged, %d unsharded", seed, n, got.Cases, want.Cases)
					}
					if g, w := statuses(got), statuses(want); g != w {
						t.Errorf("seed %d, %d shards against %s: merged statuses differ from the unsharded run's\n--- unsharded\n%s--- merged\n%s",
							seed, n, name, w, g)
					}
					if g, w := verdicts(got), verdicts(want); g != w && tt.stateful {
						t.Logf("seed %d, %d shards against stateful %s: deviations differ where blocks start", seed, n, name)
					} else if g != w {
						t.Errorf("seed %d, %d shards against %s: merged deviations differ from the unsharded run's\n--- unsharded\n%s--- merged\n%s",
							seed, n, name, w, g)
					}
					sameExamples(t, want, got, n == 1)
					if name == "reference" && !maps.Equal(whole.n, parts.n) {
						t.Errorf("seed %d, %d shards: the shards' case calls differ from the unsharded run's: %s", seed, n, callDiff(whole.n, parts.n))
					}
				}
			})
		}
	}
}

// sameExamples: the counts of a merged rule add up; exact (one shard),
// each deviation shows the case and count the unsharded run shows. With
// more shards they may differ: the contract is stateful (what a Set must
// answer depends on the pool's state), and a lane's pools start new at
// each block's first case.
func sameExamples(t *testing.T, want, got *harness.Report, exact bool) {
	t.Helper()
	for _, w := range want.Rules {
		g := got.Rule(w.ID)
		if exact && g.FailedCases != w.FailedCases {
			t.Errorf("%s: %d failing calls merged, %d unsharded", w.ID, g.FailedCases, w.FailedCases)
		}
		listed := g.Unlisted
		for i, f := range g.Failures {
			listed += f.Count
			if exact && i < len(w.Failures) && (f.Case != w.Failures[i].Case || f.Count != w.Failures[i].Count) {
				t.Errorf("%s deviation %d: example %q (%d calls) merged, %q (%d calls) unsharded", w.ID, i+1, f.Case, f.Count,
					w.Failures[i].Case, w.Failures[i].Count)
			}
		}
		if listed != g.FailedCases {
			t.Errorf("%s: listed counts and unlisted make %d, not the %d failing calls", w.ID, listed, g.FailedCases)
		}
	}
}

func callDiff(want, got map[string]int) string {
	var d []string
	for k, n := range want {
		if got[k] != n {
			d = append(d, fmt.Sprintf("%dx unsharded, %dx sharded: %.120s", n, got[k], k))
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			d = append(d, fmt.Sprintf("0x unsharded, %dx sharded: %.120s", n, k))
		}
	}
	slices.Sort(d)
	if len(d) > 5 {
		d = append(d[:5], fmt.Sprintf("and %d more", len(d)-5))
	}
	return strings.Join(d, "\n")
}

// TestShardsAtOnceOnOneTarget: three shards sharing one (stateful,
// broken) target at the same time reach the verdicts they reach one after
// another, each on pools named for its shard, and leave nothing behind.
func TestShardsAtOnceOnOneTarget(t *testing.T) {
	// Not parallel: its many runs would starve the timing tests
	// (TestRateHolds) that run in parallel.
	const n = 3
	var mu sync.Mutex
	names := map[string]bool{}
	named := rewriter{before: func(c *call) *answer {
		if c.Op == "CreateUserPool" {
			mu.Lock()
			names[fmt.Sprint(c.Req["PoolName"])] = true
			mu.Unlock()
		}
		return nil
	}}
	shared := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()),
		func(next http.RoundTripper) http.RoundTripper { return named.wrap(staleRead(next)) })
	t.Cleanup(func() { shared.Close() })
	together := make([]*harness.Report, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := harness.Run(context.Background(), shared, harness.WithChecks(shardChecks), harness.WithSeed(3),
				harness.WithShard(i+1, n))
			if err != nil || len(rep.Leftovers) > 0 {
				t.Errorf("shard %d/%d: %v, left %v", i+1, n, err, rep)
				return
			}
			together[i] = rep
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	apart := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()), staleRead)
	t.Cleanup(func() { apart.Close() })
	var oneByOne []*harness.Report
	for i := range n {
		oneByOne = append(oneByOne, runShard(t, apart, 3, i+1, n))
	}
	a, err := harness.Merge(together...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := harness.Merge(oneByOne...)
	if err != nil {
		t.Fatal(err)
	}
	if a.Conforms() {
		t.Fatal("the stale-read target conforms: the test shows nothing")
	}
	if va, vb := verdicts(a), verdicts(b); va != vb {
		t.Errorf("shards at once and one after another differ\n--- one after another\n%s--- at once\n%s", vb, va)
	}
	for name := range names {
		if !regexp.MustCompile(`^mfaconform-s[1-3]of3-`).MatchString(name) {
			t.Errorf("pool %q does not carry its shard in its name", name)
		}
	}
	if len(names) == 0 {
		t.Error("no pool was created")
	}
}

// TestMergeRefuses: Merge refuses reports that are not each shard of one
// run once, naming the problem.
func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	target := harness.Reference(contracts.DefaultWorld())
	t.Cleanup(func() { target.Close() })
	run := func(opts ...harness.Option) *harness.Report {
		rep, err := harness.Run(context.Background(), target, append([]harness.Option{harness.WithChecks(200)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	whole, s1, s2 := run(), run(harness.WithShard(1, 2)), run(harness.WithShard(2, 2))
	if s1.Shard == nil || s1.Shard.Index != 1 || s1.Shard.Total != 2 || s1.Cases+s2.Cases != whole.Cases {
		t.Fatalf("shard reports record %+v and %d+%d cases; want shard 1/2 and %d cases in all", s1.Shard, s1.Cases, s2.Cases, whole.Cases)
	}
	merged, err := harness.Merge(s1, s2)
	if err != nil {
		t.Fatal(err)
	}
	reversed, err := harness.Merge(s2, s1)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(merged), mustJSON(reversed); !bytes.Equal(a, b) {
		t.Errorf("Merge(s1, s2) and Merge(s2, s1) differ:\n%s\n%s", a, b)
	}
	rows := []struct {
		name, reason string
		reports      []*harness.Report
		want         string
	}{
		{"none", "nothing to merge", nil, "no report"},
		{"missing", "half a run is not the run", []*harness.Report{s1}, "shard 2/2 missing"},
		{"duplicate", "a shard twice counts its cases twice", []*harness.Report{s1, s2, s1}, "report 3: shard 1/2 is given twice"},
		{"not-a-shard", "an unsharded report is no part", []*harness.Report{s1, whole}, "report 2: not a shard"},
		{"merged", "a merge is not a shard", []*harness.Report{merged, s2}, "report 1: not a shard: it is already a merge"},
		{"other-seed", "another seed sends other cases", []*harness.Report{s1, run(harness.WithShard(2, 2), harness.WithSeed(9))}, "seed 9, not 1"},
		{"other-checks", "another count sends other cases", []*harness.Report{s1, run(harness.WithShard(2, 2), harness.WithChecks(300))}, "checks 300, not 200"},
		{"other-total", "shards of another split", []*harness.Report{s1, run(harness.WithShard(2, 3))}, "shards 3, not 2"},
		{"other-rules", "other rules give other statuses", []*harness.Report{s1, run(harness.WithShard(2, 2), harness.WithRules("set.*"))}, "rules set.*, not *"},
		{"other-target", "another target's verdicts are not this one's", []*harness.Report{s1, run(harness.WithShard(2, 2), harness.WithTargetName("moto"))}, `target name "moto", not ""`},
		{"other-contract", "another contract judges otherwise", []*harness.Report{s1, withContract(s2, "other")}, "contract other, not"},
		{"other-version", "another version sends other cases", []*harness.Report{s1, withVersion(s2, "9.9.9")}, "version 9.9.9, not"},
	}
	for _, row := range rows {
		_, err := harness.Merge(row.reports...)
		if !errors.Is(err, harness.ErrMerge) || !strings.Contains(fmt.Sprint(err), row.want) {
			t.Errorf("%s (%s): Merge error %v, want ErrMerge saying %q", row.name, row.reason, err, row.want)
		}
	}
}

func withContract(r *harness.Report, c string) *harness.Report {
	cp := *r
	cp.Contract = c
	return &cp
}

func withVersion(r *harness.Report, v string) *harness.Report {
	cp := *r
	cp.Version = v
	return &cp
}

// TestWithShardRefuses: a shard out of range, or one that would own no
// case, is refused before anything is sent.
func TestWithShardRefuses(t *testing.T) {
	t.Parallel()
	// 343 cases (the sweep) make 86 rounds: shard 87 of 87 has none.
	for _, s := range [][2]int{{0, 2}, {3, 2}, {1, 0}, {-1, -1}, {87, 87}} {
		_, err := harness.Run(context.Background(), harness.Reference(nil), harness.WithShard(s[0], s[1]))
		if !errors.Is(err, harness.ErrOption) || !strings.Contains(err.Error(), "WithShard") {
			t.Errorf("WithShard(%d, %d): error %v, want ErrOption naming WithShard", s[0], s[1], err)
		}
	}
}
