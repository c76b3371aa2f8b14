package harness

import (
	"encoding/json"

	"github.com/mfaconform/mfaconform/contracts"
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
	// Shard is set on the report of one shard of a run (WithShard), and
	// on the report Merge makes of all of them.
	Shard *ShardInfo `json:"shard,omitempty"`
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
	Certain bool `json:"certain"`
	// Basis is "observed" when observations of the service (--observed)
	// narrowed what the contract allowed on this call; Observed is the
	// dates of the recordings they come from.
	Basis     string `json:"basis,omitempty"`
	Observed  string `json:"observed,omitempty"`
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

// Checked reports whether the run judged rule id: the report lists it,
// and not as skip (left out by the rules, or no case reached it).
func (r *Report) Checked(id contracts.RuleID) bool {
	rr := r.Rule(id)
	return rr != nil && rr.Status != StatusSkip
}

// Conforms reports whether no rule failed.
func (r *Report) Conforms() bool { return r.Summary.Fail == 0 }

// BasisObserved is a finding's basis when observations of the service
// narrowed the contract on its call (WithObserved).
const BasisObserved = "observed"
