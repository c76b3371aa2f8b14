package contracts

import "slices"

// Outcome is one answer a conforming service may give.
type Outcome struct {
	// Error is the error type of an error outcome; nil means success.
	Error *ErrorShape `json:"-"`
	// Body is the success body (unset members omitted).
	Body *MfaConfig `json:"body,omitempty"`
	// Optional lists member paths of a success body (dotted member names)
	// whose presence is unconfirmed: the service may omit them, or send
	// them when Body lacks them (a default it fills in). Where both have
	// the member, the values must agree.
	Optional []string `json:"optional,omitempty"`
	// Messages are the texts real AWS is known to send for this error;
	// empty when the text is unknown, and then no message is checked.
	Messages []string `json:"messages,omitempty"`
	// MessageRule is the message rule that checks Messages.
	MessageRule RuleID `json:"messageRule,omitempty"`
	// Text is what the reference emulator says: Messages[0] when known.
	Text string `json:"text,omitempty"`
	// Violations are the validation failures of a validation error.
	Violations []Violation `json:"violations,omitempty"`
}

// IsError reports whether the outcome is an error.
func (o Outcome) IsError() bool { return o.Error != nil }

// Expectation is what a conforming service must do with one call: one of
// the allowed outcomes, and the rule that decided them.
type Expectation struct {
	Operation string
	// Rule decided the expectation: the first rule that rejects the call,
	// or the most specific rule that accepts it.
	Rule RuleID
	// Checked lists every rule the call exercises (Rule included).
	Checked []RuleID
	// Outcomes are the allowed answers. Outcomes[0] is the most likely and
	// is what the reference emulator answers. More than one means the order
	// of checks or the behaviour is unconfirmed.
	Outcomes []Outcome
	// Skip is set when the call cannot be judged at all (the pool's state
	// is unknown after an earlier deviation, ...).
	Skip string
	// Unknown lists the rules a fact they need is unknown for (a pool's
	// tier on a target that does not report it, ...), with the reason:
	// they are not judged on this call (and not in Checked), the answers
	// they could give are allowed, and the rest of the call is judged.
	Unknown map[RuleID]string
	// Certain is false when any allowed outcome rests on an unconfirmed
	// fact; reports show it next to a finding.
	Certain bool
	// Observed is set when observations of the service narrowed the
	// expectation (Narrow): the dates of the recordings they come from.
	Observed string
}

// Preferred is the outcome the reference emulator answers.
func (e *Expectation) Preferred() Outcome { return e.Outcomes[0] }

// AllowsSuccess reports whether success is an allowed outcome.
func (e *Expectation) AllowsSuccess() bool {
	return slices.ContainsFunc(e.Outcomes, func(o Outcome) bool { return !o.IsError() })
}

// Success returns the allowed success outcome, if any.
func (e *Expectation) Success() (Outcome, bool) {
	for _, o := range e.Outcomes {
		if !o.IsError() {
			return o, true
		}
	}
	return Outcome{}, false
}

// ErrorCodes lists the allowed error codes, without repeats.
func (e *Expectation) ErrorCodes() []string {
	var out []string
	for _, o := range e.Outcomes {
		if o.IsError() && !slices.Contains(out, o.Error.Code) {
			out = append(out, o.Error.Code)
		}
	}
	return out
}

// ErrorOutcomes returns the allowed outcomes with that error code.
func (e *Expectation) ErrorOutcomes(code string) []Outcome {
	var out []Outcome
	for _, o := range e.Outcomes {
		if o.IsError() && o.Error.Code == code {
			out = append(out, o)
		}
	}
	return out
}

func (e *Expectation) check(ids ...RuleID) {
	for _, id := range ids {
		if !slices.Contains(e.Checked, id) {
			e.Checked = append(e.Checked, id)
		}
	}
}
