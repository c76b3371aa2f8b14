package harness

import (
	"encoding/json"
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

// Rule statuses.
const (
	StatusPass = "pass"
	StatusFail = "fail"
	StatusWarn = "warn"
	StatusSkip = "skip"
)

// Report is the JSON report of design.md (a stable interface).
type Report struct {
	Tool     string     `json:"tool"`
	Version  string     `json:"version"`
	Contract string     `json:"contract"`
	Target   TargetInfo `json:"target"`
	Seed     int64      `json:"seed"`
	Cases    int        `json:"cases"`
	// StartedAt is when the judged calls were made (RFC 3339, UTC): the
	// run's start, or for a replay the recording's. Parity pages order a
	// target's reports by it.
	StartedAt   string       `json:"started_at,omitempty"`
	Rules       []RuleReport `json:"rules"`
	Summary     Summary      `json:"summary"`
	Interrupted bool         `json:"interrupted,omitempty"`
	// StaleKnown are the ledger entries that matched no deviation of the
	// run (fixed upstream?).
	StaleKnown []StaleKnown `json:"stale_known,omitempty"`
	// Leftovers are the pools (and a live run's roles) the run created
	// and could not delete.
	Leftovers []Leftover `json:"leftovers,omitempty"`
	// EndedBy says what ended the run before its last case: "budget" (the
	// call budget, --max-calls, was spent; rules no case reached are
	// skip). Empty when every case was sent or the run was interrupted.
	EndedBy string `json:"ended_by,omitempty"`
	// RefusedPools are the kinds of fixture pool the target would not
	// create; their cases were not sent.
	RefusedPools []RefusedPool `json:"refused_pools,omitempty"`
	// Live is a live run's own: its ID and how long IAM took.
	Live *LiveRun `json:"live,omitempty"`
}

// noCaseReached is the skip reason of a rule no case judged.
const noCaseReached = "no case reached this rule"

// EndedByBudget: the call budget ended the run.
const EndedByBudget = "budget"

// LiveRun is what a report says of a live run.
type LiveRun struct {
	// RunID is in the name of everything the run made
	// (mfaconform-<run_id>-...) and in its mfaconform:run tag.
	RunID string `json:"run_id,omitempty"`
	// IAMWaitS is how long the run waited, before its first case, until
	// IAM let Cognito use its SMS roles.
	IAMWaitS float64 `json:"iam_wait_s"`
}

// Known is how a ledger of known deviations accepts a deviation.
type Known struct {
	Reason  string `json:"reason"`
	Link    string `json:"link,omitempty"`
	Expires string `json:"expires,omitempty"`
	// Expired: the entry's date has passed; the deviation fails the gate.
	Expired bool `json:"expired,omitempty"`
}

// StaleKnown is a ledger entry that matched no deviation.
type StaleKnown struct {
	Rule      contracts.RuleID `json:"rule"`
	Signature string           `json:"signature,omitempty"`
	Member    string           `json:"member,omitempty"`
	Reason    string           `json:"reason"`
	Line      int              `json:"line,omitempty"`
}

// Leftover is a pool (or a live run's IAM role, by path and name) the run
// created and could not delete.
type Leftover struct {
	Pool  string `json:"pool,omitempty"`
	Role  string `json:"role,omitempty"`
	Error string `json:"error"`
}

func (l Leftover) String() string {
	if l.Role != "" {
		return "IAM role " + l.Role + " (" + l.Error + ")"
	}
	return "pool " + l.Pool + " (" + l.Error + ")"
}

// RuleReport is one rule's verdict.
type RuleReport struct {
	ID         contracts.RuleID `json:"id"`
	Provenance string           `json:"provenance"`
	Status     string           `json:"status"`
	Checked    int              `json:"checked"`
	Failures   []Finding        `json:"failures"`
	// SkipReason says why a rule was not checked.
	SkipReason string `json:"skip_reason,omitempty"`
	// FailedCases counts the failing calls; Failures holds one entry per
	// deviation (distinct signature), with its count.
	FailedCases int `json:"failed_cases,omitempty"`
	// Unlisted counts the failing calls of deviations past the report's
	// bound on deviations per rule.
	Unlisted int `json:"unlisted,omitempty"`
}

// Summary counts rules by status, and the calls and time of the run.
type Summary struct {
	Pass     int     `json:"pass"`
	Fail     int     `json:"fail"`
	Warn     int     `json:"warn"`
	Skip     int     `json:"skip"`
	Calls    int64   `json:"calls"`
	ElapsedS float64 `json:"elapsed_s"`
	// CleanupCalls are the calls of the cleanup after the run (deleting
	// what it made), counted apart from Calls and never refused by the
	// call budget.
	CleanupCalls int64 `json:"cleanup_calls,omitempty"`
}

// Want is what the contract allows, as reports show it.
type Want struct {
	Status   int      `json:"status"`
	Errors   []string `json:"errors,omitempty"`
	Body     any      `json:"body,omitempty"`
	Messages []string `json:"messages,omitempty"`
}

// Got is what the target answered.
type Got struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message,omitempty"`
	Body    any    `json:"body,omitempty"`
}

// Difference is one member where a response differs from the contract:
// structured, so reports never carry go-cmp's unstable diff text.
type Difference struct {
	Path string `json:"path"`
	Want any    `json:"want"`
	Got  any    `json:"got"`
}

// Finding is one call that deviates from a rule.
type Finding struct {
	Operation   string       `json:"operation"`
	Request     any          `json:"request"`
	Want        Want         `json:"want"`
	Got         Got          `json:"got"`
	Differences []Difference `json:"differences,omitempty"`
	Detail      string       `json:"detail"`
	Case        string       `json:"case,omitempty"`
	// Pool is the kind of fixture pool the call was sent to.
	Pool string `json:"pool,omitempty"`
	// PriorState is the pool's MFA configuration before a Set.
	PriorState *contracts.MfaConfig `json:"prior_state,omitempty"`
	// Certain is false where the contract allows several answers
	// (an unconfirmed order of checks or behaviour).
	Certain   bool   `json:"certain"`
	Reproduce string `json:"reproduce,omitempty"`
	// Signature names the deviation this finding is the first example of:
	// "rule/operation/class/error/paths", with no values, so that the same
	// bug has the same signature on every run (and in a ledger).
	Signature string `json:"signature,omitempty"`
	// Count is how many calls failed with this signature.
	Count int `json:"count,omitempty"`
	// Known is set when a ledger of known deviations accepts it.
	Known *Known `json:"known,omitempty"`
	// Rule is the rule the finding fails (the report's rule).
	Rule contracts.RuleID `json:"-"`
	// Warn marks a message finding that only warns (not strict messages).
	Warn bool `json:"-"`
	// PoolID is the ID the target gave the pool: reports that must read
	// the same on every run show the pool's kind in its place.
	PoolID string `json:"-"`
}

// UnmarshalJSON reads a finding, also as reports before 0.2 wrote it
// (priorState).
func (f *Finding) UnmarshalJSON(b []byte) error {
	type plain Finding
	var v struct {
		plain
		OldPrior *contracts.MfaConfig `json:"priorState,omitempty"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Finding(v.plain)
	if f.PriorState == nil {
		f.PriorState = v.OldPrior
	}
	return nil
}

// Rule returns the report of a rule, or nil.
func (r *Report) Rule(id contracts.RuleID) *RuleReport {
	for i := range r.Rules {
		if r.Rules[i].ID == id {
			return &r.Rules[i]
		}
	}
	return nil
}

// Failing lists the IDs of the failing rules.
func (r *Report) Failing() []contracts.RuleID {
	var out []contracts.RuleID
	for _, rr := range r.Rules {
		if rr.Status == StatusFail {
			out = append(out, rr.ID)
		}
	}
	return out
}

// Conforms reports whether no rule failed.
func (r *Report) Conforms() bool { return r.Summary.Fail == 0 }

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
func (rt *ruleTally) status() string {
	switch {
	case rt.failed > 0 && rt.warned:
		return StatusWarn
	case rt.failed > 0:
		return StatusFail
	case rt.checked > 0:
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
