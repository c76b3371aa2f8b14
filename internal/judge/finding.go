package judge

import (
	"encoding/json"
	"slices"

	"github.com/mfaconform/mfaconform/contracts"
)

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

// Finding is one call that deviates from one rule.
type Finding struct {
	Rule        contracts.RuleID
	Operation   string
	Request     any
	Want        Want
	Got         Got
	Differences []Difference
	Detail      string
	Certain     bool
	// Observed: observations of the service narrowed the expectation
	// (their recordings' dates).
	Observed string
	// Prior is the pool's MFA configuration before a Set, as the session
	// knew it.
	Prior *contracts.MfaConfig
	// Kind and PoolID name the pool the call was sent to, when known.
	Kind, PoolID string
	// Warn marks a message finding that only warns (not strict).
	Warn bool
}

// Judgment is the verdict on one exchange.
type Judgment struct {
	// Judged is false for an exchange that is not a judged call: a
	// fixture's creation or read-back, a throttled call.
	Judged   bool
	Checked  []contracts.RuleID
	Findings []Finding
	Skips    map[contracts.RuleID]string
	// Success and Body: the target accepted the call and sent this body.
	Success bool
	Body    *contracts.MfaConfig
	Code    string
	// BodyMatches: the success was allowed and the body was as the
	// contract says.
	BodyMatches bool
}

func (j *Judgment) check(ids ...contracts.RuleID) {
	for _, id := range ids {
		if !slices.Contains(j.Checked, id) {
			j.Checked = append(j.Checked, id)
		}
	}
}

func (j *Judgment) uncheck(id contracts.RuleID) {
	j.Checked = slices.DeleteFunc(j.Checked, func(c contracts.RuleID) bool { return c == id })
}

func (j *Judgment) skip(id contracts.RuleID, why string) {
	if j.Skips == nil {
		j.Skips = map[contracts.RuleID]string{}
	}
	j.Skips[id] = why
}

// moveFindings re-attributes the findings of one rule to another: the one
// deviation is judged under the rule that explains it.
func (j *Judgment) moveFindings(from, to contracts.RuleID, why, note string) bool {
	moved := false
	for i := range j.Findings {
		if j.Findings[i].Rule == from {
			j.Findings[i].Rule = to
			j.Findings[i].Detail += note
			moved = true
		}
	}
	if moved {
		j.uncheck(from)
		j.skip(from, why)
		j.check(to)
	}
	return moved
}

func wantOf(exp contracts.Expectation) Want {
	w := Want{Errors: exp.ErrorCodes()}
	if s, ok := exp.Success(); ok {
		w.Status = 200
		w.Body = unwrap(s.Body)
	}
	for _, o := range exp.Outcomes {
		if o.IsError() {
			if w.Status == 0 {
				w.Status = o.Error.Status
			}
			for _, m := range o.Messages {
				if !slices.Contains(w.Messages, m) {
					w.Messages = append(w.Messages, m)
				}
			}
		}
	}
	return w
}

// RequestForReport is a request body as reports show it: its JSON, or the
// bytes as a string when they are not JSON.
func RequestForReport(b []byte) any {
	var v any
	if json.Unmarshal(b, &v) == nil {
		return v
	}
	return string(b)
}

func bodyForReport(b []byte, raw any, err error) any {
	if err == nil {
		return raw
	}
	const max = 512
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
