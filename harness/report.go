package harness

import (
	"fmt"
	"slices"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
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
	Tool        string       `json:"tool"`
	Version     string       `json:"version"`
	Contract    string       `json:"contract"`
	Target      TargetInfo   `json:"target"`
	Seed        int64        `json:"seed"`
	Cases       int          `json:"cases"`
	Rules       []RuleReport `json:"rules"`
	Summary     Summary      `json:"summary"`
	Interrupted bool         `json:"interrupted,omitempty"`
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
	// FailedCases counts the failing calls; Failures holds the first few.
	FailedCases int `json:"failed_cases,omitempty"`
}

// Summary counts rules by status, and the calls and time of the run.
type Summary struct {
	Pass     int     `json:"pass"`
	Fail     int     `json:"fail"`
	Warn     int     `json:"warn"`
	Skip     int     `json:"skip"`
	Calls    int64   `json:"calls"`
	ElapsedS float64 `json:"elapsed_s"`
}

// maxFailuresPerRule bounds the failures a report lists for one rule.
const maxFailuresPerRule = 3

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

func (r *run) report(cases []fuzz.Case, results []caseResult, elapsed time.Duration) *Report {
	selected, _ := contracts.MatchRules(r.cfg.rules...)
	rep := &Report{Tool: "mfaconform", Version: Version, Contract: contracts.Revision, Target: r.target.Info(),
		Seed: r.cfg.seed, Cases: len(cases)}
	rep.Target.Name = r.cfg.targetName
	index := map[contracts.RuleID]*RuleReport{}
	for _, rule := range contracts.Rules() {
		if !slices.Contains(selected, rule.ID) {
			continue
		}
		rep.Rules = append(rep.Rules, RuleReport{ID: rule.ID, Provenance: string(rule.Provenance), Failures: []Finding{}})
	}
	for i := range rep.Rules {
		index[rep.Rules[i].ID] = &rep.Rules[i]
	}
	warned := map[contracts.RuleID]bool{}
	for _, res := range results {
		for _, j := range res.judgments {
			for _, id := range j.Checked {
				if rr := index[id]; rr != nil {
					rr.Checked++
				}
			}
			for id, why := range j.Skips {
				if rr := index[id]; rr != nil && rr.SkipReason == "" {
					rr.SkipReason = why
				}
			}
			for _, f := range j.Findings {
				rr := index[f.Rule]
				if rr == nil {
					continue
				}
				if f.Warn {
					warned[f.Rule] = true
				}
				rr.FailedCases++
				if len(rr.Failures) < maxFailuresPerRule {
					f.Reproduce = r.reproduce(f.Rule)
					rr.Failures = append(rr.Failures, f)
				}
			}
		}
	}
	for i := range rep.Rules {
		rr := &rep.Rules[i]
		switch {
		case rr.FailedCases > 0 && warned[rr.ID]:
			rr.Status = StatusWarn
			rr.SkipReason = ""
		case rr.FailedCases > 0:
			rr.Status = StatusFail
			rr.SkipReason = ""
		case rr.Checked > 0:
			rr.Status = StatusPass
			rr.SkipReason = ""
		default:
			rr.Status = StatusSkip
			if rr.SkipReason == "" {
				rr.SkipReason = "no case reached this rule"
			}
		}
		switch rr.Status {
		case StatusPass:
			rep.Summary.Pass++
		case StatusFail:
			rep.Summary.Fail++
		case StatusWarn:
			rep.Summary.Warn++
		case StatusSkip:
			rep.Summary.Skip++
		}
	}
	rep.Summary.ElapsedS = elapsed.Seconds()
	return rep
}

func (r *run) reproduce(id contracts.RuleID) string {
	cmd := r.cfg.reproduce
	if cmd == "" {
		cmd = fmt.Sprintf("mfaconform run --seed %d --checks %d --parallel %d", r.cfg.seed, r.cfg.checks, r.cfg.parallel)
		if r.target.Info().Kind == KindEndpoint {
			cmd += " --endpoint " + r.target.Info().Endpoint
		}
	}
	return cmd + " --rules " + string(id)
}
