package harness

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/inert"
	"github.com/mfaconform/mfaconform/internal/judge"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// position orders judgments the same way on every run, whatever the
// order they arrive in: by case, then step.
type position struct{ caseIndex, step int }

func (p position) before(q position) bool {
	return p.caseIndex < q.caseIndex || p.caseIndex == q.caseIndex && p.step < q.step
}

// tally folds judgments into per-rule aggregates as they come, so that a
// run of any length holds only counts and the first few failures. The
// failures it keeps are as the target sent them (shrinking re-sends them);
// the report it makes has them scrubbed.
type tally struct {
	cfg    config.Config
	target TargetInfo
	world  *contracts.World
	scrub  *scrub.Scrubber
	mu     sync.Mutex
	rules  []*ruleTally
	index  map[contracts.RuleID]*ruleTally
}

type ruleTally struct {
	id         contracts.RuleID
	prov       string
	checked    int
	failed     int
	warned     bool
	skip       string
	skipAt     position
	deviations map[string]*deviation
	unlisted   int
}

// newTally returns the tally of a run in world w; secrets are the
// credentials the run signs with, redacted from its report like those of
// the environment.
func newTally(w *contracts.World, cfg config.Config, target TargetInfo, secrets ...string) *tally {
	selected, _ := contracts.MatchRules(cfg.Rules...)
	t := &tally{cfg: cfg, target: target, world: w, scrub: scrub.New(w, secrets...), index: map[contracts.RuleID]*ruleTally{}}
	for _, rule := range contracts.Rules() {
		if slices.Contains(selected, rule.ID) {
			rt := &ruleTally{id: rule.ID, prov: string(rule.Provenance)}
			t.rules = append(t.rules, rt)
			t.index[rule.ID] = rt
		}
	}
	return t
}

// fold adds one judgment; label names the call in its findings.
func (t *tally) fold(at position, label string, j judge.Judgment) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range j.Checked {
		if rt := t.index[id]; rt != nil {
			rt.checked++
		}
	}
	for id, why := range j.Skips {
		if rt := t.index[id]; rt != nil && (rt.skip == "" || at.before(rt.skipAt)) {
			rt.skip, rt.skipAt = why, at
		}
	}
	for _, jf := range j.Findings {
		rt := t.index[jf.Rule]
		if rt == nil {
			continue
		}
		rt.failed++
		rt.warned = rt.warned || jf.Warn
		rt.keep(at, judge.SignatureOf(jf), func() Finding { return t.finding(jf, label) })
	}
}

// failing counts the rules failing so far.
func (t *tally) failing() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, rt := range t.rules {
		if rt.status() == StatusFail {
			n++
		}
	}
	return n
}

// status is the rule's verdict: a rule that only warned is not failed.
func (rt *ruleTally) status() string { return ruleStatus(rt.checked, rt.failed, rt.warned) }

// ruleStatus is a rule's verdict from its counts: failures of a rule
// that only warns (a message rule, not strict) warn; a rule no call
// checked is skip. A run's tally and a merge of shards decide alike.
func ruleStatus(checked, failed int, warned bool) string {
	switch {
	case failed > 0 && warned:
		return StatusWarn
	case failed > 0:
		return StatusFail
	case checked > 0:
		return StatusPass
	}
	return StatusSkip
}

// keep counts a failure under its deviation, and keeps it as the
// deviation's example when it comes first by position (made only then:
// most failures repeat a deviation already kept).
func (rt *ruleTally) keep(at position, sig string, f func() Finding) {
	d := rt.deviations[sig]
	if d == nil {
		if len(rt.deviations) >= maxDeviationsPerRule {
			rt.unlisted++
			return
		}
		if rt.deviations == nil {
			rt.deviations = map[string]*deviation{}
		}
		d = &deviation{signature: sig, at: at, f: f()}
		rt.deviations[sig] = d
	} else if at.before(d.at) {
		d.at, d.f = at, f()
	}
	d.count++
}

// sorted lists a rule's deviations by the position of their first
// failure: the same order on every run.
func (rt *ruleTally) sorted() []*deviation {
	out := make([]*deviation, 0, len(rt.deviations))
	for _, d := range rt.deviations {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *deviation) int {
		switch {
		case a.at.before(b.at):
			return -1
		case b.at.before(a.at):
			return 1
		}
		return strings.Compare(a.signature, b.signature)
	})
	return out
}

// finding is a judge's finding as reports show it.
func (t *tally) finding(jf judge.Finding, label string) Finding {
	f := Finding{Rule: jf.Rule, Operation: jf.Operation, Request: jf.Request, Want: Want(jf.Want), Got: Got(jf.Got),
		Detail: jf.Detail, Case: label, Pool: jf.Kind, PoolID: jf.PoolID, PriorState: jf.Prior, Certain: jf.Certain,
		Warn: jf.Warn, Reproduce: t.reproduce(jf.Rule)}
	if jf.Observed != "" {
		f.Basis, f.Observed = BasisObserved, jf.Observed
	}
	for _, d := range jf.Differences {
		f.Differences = append(f.Differences, Difference(d))
	}
	return excerptAnswer(f)
}

// report makes the report of what was folded: the only way out of the
// tally, so every report (console, JSON, JUnit, Markdown) shows the kept
// failures scrubbed, in position order, which gives an account met in them
// the same placeholder on every run.
func (t *tally) report(info TargetInfo, cases int) *Report {
	t.mu.Lock()
	defer t.mu.Unlock()
	rep := &Report{Tool: "mfaconform", Version: Version, Contract: contracts.Revision, Target: info,
		Seed: t.cfg.Seed, Cases: cases, Rules: []RuleReport{}}
	rep.Target.Name = t.cfg.TargetName
	for _, rt := range t.rules {
		rr := RuleReport{ID: rt.id, Provenance: rt.prov, Status: rt.status(), Checked: rt.checked, FailedCases: rt.failed,
			Unlisted: rt.unlisted, Failures: []Finding{}}
		for _, d := range rt.sorted() {
			f := d.f
			f.Signature, f.Count = d.signature, d.count
			rr.Failures = append(rr.Failures, scrubFinding(t.scrub, f))
		}
		switch rr.Status {
		case StatusWarn:
			rep.Summary.Warn++
		case StatusFail:
			rep.Summary.Fail++
		case StatusPass:
			rep.Summary.Pass++
		default:
			rr.SkipReason = inert.Excerpt(t.scrub.String(rt.skip))
			if rr.SkipReason == "" {
				rr.SkipReason = noCaseReached
			}
			rep.Summary.Skip++
		}
		rep.Rules = append(rep.Rules, rr)
	}
	return rep
}

func (t *tally) reproduce(id contracts.RuleID) string {
	cmd := t.cfg.Reproduce
	if cmd == "" {
		cmd = fmt.Sprintf("mfaconform run --seed %d --checks %d --parallel %d", t.cfg.Seed, t.cfg.Checks, t.cfg.Parallel)
		if t.target.Kind == KindEndpoint && strings.HasPrefix(t.target.Endpoint, "http") {
			// (A Handler target has no URL to give the command line.)
			cmd += " --endpoint " + t.target.Endpoint
		}
	}
	return cmd + " --rules " + string(id)
}
