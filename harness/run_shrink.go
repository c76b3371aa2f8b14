package harness

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// shrinkBudget bounds the calls spent shrinking one deviation's example.
const shrinkBudget = 60

// maxShrunkPerRule bounds the deviations of one rule that are shrunk; the
// others keep their first example as it was sent.
const maxShrunkPerRule = 8

// shrinkFailures replaces the example of each deviation of each failing
// rule with a minimal request that still fails the same way (the same
// signature): members are removed and values simplified one at a time,
// each candidate re-run on a pool of the same kind put back into the same
// prior state, and judged by the lane's session like any other call. It
// works on the failures as the target sent them, before the report scrubs
// them, and runs once the lanes are done.
func (l *lane) shrinkFailures(ctx context.Context) {
	for _, rt := range l.run.tally.rules {
		if rt.status() != StatusFail {
			continue
		}
		for i, d := range rt.sorted() {
			if i >= maxShrunkPerRule || ctx.Err() != nil {
				break
			}
			f := &d.f
			if f.Operation != contracts.OpSetUserPoolMfaConfig {
				continue
			}
			req, ok := f.Request.(map[string]any)
			if !ok {
				continue
			}
			if small, fs := l.shrinkSet(ctx, d.signature, *f, req); fs != nil {
				keepCase, keepRepro := f.Case, f.Reproduce
				*f = *fs
				f.Case, f.Reproduce = keepCase+" (shrunk)", keepRepro
				f.Request = small
			}
		}
	}
}

// shrinkSet looks for a smaller request that fails the same way (the same
// deviation signature: rule, outcome, error type and differing members)
// without breaking more model constraints than the original, first
// from a pool in its fresh state, else from the original prior state. The
// finding reports the state the target itself answered after the reset.
func (l *lane) shrinkSet(ctx context.Context, sig string, orig Finding, req map[string]any) (map[string]any, *Finding) {
	kind := fuzz.PoolKind(orig.Pool)
	if kind == "" {
		kind = fuzz.PoolDefault
	}
	id, err := l.pool(ctx, kind)
	if err != nil {
		return nil, nil
	}
	s := &shrinker{l: l, sig: sig, rule: orig.Rule, kind: kind, id: id, prior: orig.PriorState,
		maxViolations: setViolations(req), budget: shrinkBudget}
	cur := cloneJSON(req)
	if pid, ok := cur["UserPoolId"].(string); ok && pid != l.missingPoolID() &&
		len(contracts.Validate(contracts.GetUserPoolMfaConfigRequest(), map[string]any{"UserPoolId": pid})) == 0 {
		cur["UserPoolId"] = id
	}
	best := s.first(ctx, cur)
	if best == nil {
		return nil, nil
	}
	for changed := true; changed && s.budget > 0; {
		changed = false
		for _, cand := range candidates(cur) {
			if f := s.try(ctx, cand); f != nil {
				cur, best, changed = cand, f, true
				break
			}
		}
	}
	return cur, best
}

// shrinker tries candidates of one deviation's example on one pool, each
// from the same prior state, within a budget of calls.
type shrinker struct {
	l             *lane
	sig           string
	rule          contracts.RuleID
	kind          fuzz.PoolKind
	id            string
	prior         *contracts.MfaConfig
	maxViolations int
	budget        int
}

func setViolations(m map[string]any) int {
	return len(contracts.Validate(contracts.SetUserPoolMfaConfigRequest(), m))
}

// first tries the example as it is: from a fresh pool, which makes the
// simplest counterexample, else from the original prior state, which
// the later candidates then start from too.
func (s *shrinker) first(ctx context.Context, cur map[string]any) *Finding {
	if s.prior != nil {
		saved := s.prior
		s.prior = nil
		if f := s.try(ctx, cur); f != nil {
			return f
		}
		s.prior = saved
	}
	return s.try(ctx, cur)
}

// try sends a candidate from the prior state and returns its finding if
// it fails the same way; nil when it does not, or the budget is spent.
func (s *shrinker) try(ctx context.Context, cand map[string]any) *Finding {
	if s.budget <= 0 || ctx.Err() != nil {
		return nil
	}
	s.budget -= 2
	if setViolations(cand) > s.maxViolations {
		return nil
	}
	if !s.l.restore(ctx, s.id, s.prior) {
		s.budget = 0
		return nil
	}
	body, _ := json.Marshal(cand)
	var x judge.Exchange
	r := s.l.run
	if !r.raw(ctx, &x, contracts.Target(contracts.OpSetUserPoolMfaConfig), contracts.ContentType, body) {
		return nil
	}
	for _, jf := range s.l.session.Judge(&x).Findings {
		if jf.Rule == s.rule && judge.SignatureOf(jf) == s.sig {
			f := r.tally.finding(jf, "")
			f.Pool, f.PoolID = string(s.kind), s.id
			return &f
		}
	}
	return nil
}

// restore puts a pool back into a prior MFA state with one Set of the
// prior configuration (a valid request by construction), adopted by the
// session unjudged; no prior is the fresh state, MfaConfiguration OFF,
// sent explicitly so that a target that mishandles an omitted mode can
// still be reset.
func (l *lane) restore(ctx context.Context, id string, prior *contracts.MfaConfig) bool {
	req := map[string]any{"UserPoolId": id, "MfaConfiguration": contracts.MfaOff}
	if prior != nil {
		for k, v := range contracts.ValueOf(prior) {
			req[k] = v
		}
	}
	body, _ := json.Marshal(req)
	var x judge.Exchange
	return l.run.raw(ctx, &x, contracts.Target(contracts.OpSetUserPoolMfaConfig), contracts.ContentType, body) &&
		l.session.Adopt(&x)
}

// candidates are one-step simplifications of a request: each member
// removed (deepest first), each string replaced by a shorter one.
func candidates(req map[string]any) []map[string]any {
	var out []map[string]any
	var paths [][]string
	var walk func(m map[string]any, prefix []string)
	walk = func(m map[string]any, prefix []string) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			p := append(slices.Clone(prefix), k)
			if sub, ok := m[k].(map[string]any); ok {
				walk(sub, p)
			}
			paths = append(paths, p)
		}
	}
	walk(req, nil)
	for _, p := range paths {
		if len(p) == 1 && p[0] == "UserPoolId" {
			continue
		}
		c := cloneJSON(req)
		deletePath(c, p)
		out = append(out, c)
	}
	for _, p := range paths {
		if s, ok := getPath(req, p).(string); ok && len(s) > 8 && p[len(p)-1] != "UserPoolId" {
			c := cloneJSON(req)
			setPath(c, p, halve(s))
			out = append(out, c)
		}
	}
	return out
}

// halve is the first half of s, cut where a rune starts: a split rune
// would send invalid UTF-8, another request than the one that failed.
func halve(s string) string {
	i := len(s) / 2
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

func cloneJSON(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

func getPath(m map[string]any, p []string) any {
	var cur any = m
	for _, k := range p {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[k]
	}
	return cur
}

func deletePath(m map[string]any, p []string) {
	if parent, ok := getPath(m, p[:len(p)-1]).(map[string]any); ok {
		delete(parent, p[len(p)-1])
	}
}

func setPath(m map[string]any, p []string, v any) {
	if parent, ok := getPath(m, p[:len(p)-1]).(map[string]any); ok {
		parent[p[len(p)-1]] = v
	}
}
