package judge

import (
	"encoding/json"
	"slices"

	"github.com/mfaconform/mfaconform/contracts"
)

// Seen is what one judged call showed at one uncertain point of the
// contract, or a deviation (Contradicts): the call did what the contract
// does not allow.
type Seen struct {
	Point  contracts.Point
	Answer string
	// Contradicts: a finding of the point's rule; Finding is it.
	Contradicts bool
	Finding     *Finding
}

// Watch has fn told, after each judged Set and Get, what the call showed
// at the contract's uncertain points (calibrate's view of a recording).
func (s *Session) Watch(fn func([]Seen)) { s.watch = fn }

// NarrowWith has fn narrow each Set and Get expectation before the call
// is judged (observations of the service settle what the contract leaves
// open).
func (s *Session) NarrowWith(fn func(*contracts.Expectation)) { s.narrow = fn }

// observe is what a judged call showed: every finding as a contradiction
// of its rule, and, at each point whose rule has no finding, the answer.
func observe(exp contracts.Expectation, x *Exchange, j Judgment) []Seen {
	if exp.Skip != "" || !j.Judged {
		return nil
	}
	var out []Seen
	failed := map[contracts.RuleID]bool{}
	for i := range j.Findings {
		f := &j.Findings[i]
		failed[f.Rule] = true
		out = append(out, Seen{Point: contracts.Point{Rule: f.Rule, Kind: contracts.PointRule}, Answer: "deviates", Contradicts: true, Finding: f})
	}
	if failed[exp.Rule] || len(exp.Outcomes) == 0 {
		return append(out, conforming(j, failed)...)
	}
	answer := contracts.AnswerSuccess
	if !j.Success {
		answer = j.Code
	}
	if p, ok := exp.OutcomePoint(); ok && answer != "" && slices.ContainsFunc(exp.Outcomes, func(o contracts.Outcome) bool { return o.Label() == answer }) {
		out = append(out, Seen{Point: p, Answer: answer})
	}
	if j.Success && j.Body != nil && !failed[contracts.RuleEcho] && !failed[contracts.RuleFullReplace] {
		body := contracts.ValueOf(j.Body)
		for _, p := range exp.OptionalPoints() {
			a := contracts.AnswerAbsent
			if contracts.HasMember(body, p.Question) {
				a = contracts.AnswerPresent
			}
			out = append(out, Seen{Point: p, Answer: a})
		}
	}
	if !j.Success && j.Code != "" {
		for _, p := range exp.MessagePoints() {
			if p.Question == j.Code {
				var raw any
				err := json.Unmarshal(x.Body, &raw)
				_, msg, _ := errorOf(x, raw, err)
				out = append(out, Seen{Point: p, Answer: msg})
			}
		}
	}
	return append(out, conforming(j, failed)...)
}

// conforming are the rule points of the rules a call was judged by and
// kept.
func conforming(j Judgment, failed map[contracts.RuleID]bool) []Seen {
	var out []Seen
	for _, id := range j.Checked {
		if p, ok := contracts.RulePoint(id); ok && !failed[id] {
			out = append(out, Seen{Point: p, Answer: contracts.AnswerConforms})
		}
	}
	return out
}
