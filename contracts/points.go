package contracts

import (
	"slices"
	"strings"
)

// PointKind is the kind of question an uncertain point of the contract
// asks.
type PointKind string

// Point kinds.
const (
	// PointOutcome: which of several allowed outcomes the service gives.
	PointOutcome PointKind = "outcome"
	// PointOptional: whether a success body shows a member whose presence
	// is unconfirmed.
	PointOptional PointKind = "optional"
	// PointMessage: the text of an allowed error whose message is unknown.
	PointMessage PointKind = "message"
	// PointRule: whether the service keeps a rule of medium or low
	// confidence.
	PointRule PointKind = "rule"
)

// PointKinds lists the kinds in the order reports show them.
func PointKinds() []PointKind {
	return []PointKind{PointOutcome, PointOptional, PointMessage, PointRule}
}

// Answers of optional and rule points.
const (
	AnswerPresent  = "present"
	AnswerAbsent   = "absent"
	AnswerConforms = "conforms"
	// AnswerSuccess is the outcome label of a success.
	AnswerSuccess = "success"
)

// Point is one question the contract leaves open. Its ID is made of the
// rule and the question, never of a place in the code, so that an
// observation of it stays valid while the contract asks the same question.
type Point struct {
	Rule RuleID
	Kind PointKind
	// Question: the allowed outcome labels joined by " | " (outcome), a
	// member path (optional), an error code (message); empty for a rule.
	Question string
}

// ID is the point's stable name: rule/kind/question.
func (p Point) ID() string {
	id := string(p.Rule) + "/" + string(p.Kind)
	if p.Question != "" {
		id += "/" + p.Question
	}
	return id
}

// ParsePoint reads a point's ID.
func ParsePoint(id string) (Point, bool) {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) < 2 {
		return Point{}, false
	}
	p := Point{Rule: RuleID(parts[0]), Kind: PointKind(parts[1])}
	if len(parts) == 3 {
		p.Question = parts[2]
	}
	if !slices.Contains(PointKinds(), p.Kind) || (p.Question == "") != (p.Kind == PointRule) {
		return Point{}, false
	}
	return p, true
}

// Exists reports whether the current contract can ask the point's
// question: its rule is in the catalogue, its error codes are modeled, a
// rule point's rule is not of high confidence.
func (p Point) Exists() bool {
	r := RuleByID(p.Rule)
	if r == nil {
		return false
	}
	switch p.Kind {
	case PointOutcome:
		labels := strings.Split(p.Question, " | ")
		if len(labels) < 2 {
			return false
		}
		for _, l := range labels {
			if l != AnswerSuccess && ErrorByCode(l) == nil {
				return false
			}
		}
	case PointMessage:
		return ErrorByCode(p.Question) != nil
	case PointRule:
		_, ok := RulePoint(p.Rule)
		return ok
	}
	return true
}

// Label names an outcome in an outcome point: its error code, or success.
func (o Outcome) Label() string {
	if o.IsError() {
		return o.Error.Code
	}
	return AnswerSuccess
}

// OutcomePoint is the point of an expectation that allows several
// outcomes (labels, not texts), if it has one.
func (e *Expectation) OutcomePoint() (Point, bool) {
	var labels []string
	for _, o := range e.Outcomes {
		if l := o.Label(); !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	if len(labels) < 2 {
		return Point{}, false
	}
	slices.Sort(labels)
	return Point{Rule: e.Rule, Kind: PointOutcome, Question: strings.Join(labels, " | ")}, true
}

// OptionalPoints are the points of the members whose presence in the
// success body is unconfirmed. They are asked of the rule that judges a
// body: set.echo for Set, the deciding rule for Get.
func (e *Expectation) OptionalPoints() []Point {
	s, ok := e.Success()
	if !ok {
		return nil
	}
	rule := e.Rule
	if e.Operation == OpSetUserPoolMfaConfig {
		rule = RuleEcho
	}
	var out []Point
	for _, p := range s.Optional {
		pt := Point{Rule: rule, Kind: PointOptional, Question: p}
		if !slices.Contains(out, pt) {
			out = append(out, pt)
		}
	}
	return out
}

// MessagePoints are the points of the allowed errors whose text is
// unknown.
func (e *Expectation) MessagePoints() []Point {
	var out []Point
	for _, code := range e.ErrorCodes() {
		if !slices.ContainsFunc(e.ErrorOutcomes(code), func(o Outcome) bool { return len(o.Messages) > 0 }) {
			out = append(out, Point{Rule: e.Rule, Kind: PointMessage, Question: code})
		}
	}
	return out
}

// RulePoint is the point of a rule of medium or low confidence, if it
// has one (model rules and message rules have none: the former are the
// model's, the latter have message points of their own).
func RulePoint(id RuleID) (Point, bool) {
	r := RuleByID(id)
	if r == nil || r.Confidence == High || r.Group == GroupModel || r.Group == GroupMessage {
		return Point{}, false
	}
	return Point{Rule: id, Kind: PointRule}, true
}

// Narrow makes the expectation allow only what was observed at a point
// it asks, and reports whether it changed. An outcome point keeps the
// outcomes with the observed label; an optional point makes the member
// required or absent; a message point checks the observed text. A rule
// point narrows nothing (its rule is already judged).
func (e *Expectation) Narrow(p Point, answer string) bool {
	switch p.Kind {
	case PointOutcome:
		if q, ok := e.OutcomePoint(); !ok || q != p {
			return false
		}
		kept := slices.DeleteFunc(slices.Clone(e.Outcomes), func(o Outcome) bool { return o.Label() != answer })
		if len(kept) == 0 {
			return false
		}
		e.Outcomes = kept
		return true
	case PointOptional:
		return e.narrowOptional(p, answer)
	case PointMessage:
		if !slices.Contains(e.MessagePoints(), p) {
			return false
		}
		for i, o := range e.Outcomes {
			if o.IsError() && o.Error.Code == p.Question {
				e.Outcomes[i].Messages = []string{answer}
				e.Outcomes[i].MessageRule = MessageRuleOf(o.Error)
				e.Outcomes[i].Text = answer
			}
		}
		return true
	}
	return false
}

func (e *Expectation) narrowOptional(p Point, answer string) bool {
	if !slices.Contains(e.OptionalPoints(), p) {
		return false
	}
	for i, o := range e.Outcomes {
		if o.IsError() {
			continue
		}
		inBody := o.Body != nil && hasMember(ValueOf(o.Body), p.Question)
		if answer == AnswerPresent && !inBody {
			// Present with a value the contract does not know: stay lenient.
			return false
		}
		o.Optional = slices.DeleteFunc(slices.Clone(o.Optional), func(s string) bool { return s == p.Question })
		if answer == AnswerAbsent && inBody {
			v := ValueOf(o.Body)
			removeMember(v, p.Question)
			o.Body = MfaConfigFrom(v)
		}
		e.Outcomes[i] = o
	}
	return true
}

// MessageRuleOf is the message rule that checks an error's text.
func MessageRuleOf(err *ErrorShape) RuleID {
	switch err.Code {
	case ResourceNotFoundException().Code:
		return RuleMessageNotFound
	}
	return RuleMessageMfaRules
}

// HasMember reports whether a wire value holds a dotted member path.
func HasMember(v map[string]any, path string) bool { return hasMember(v, path) }

func hasMember(v map[string]any, path string) bool {
	var cur any = v
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

func removeMember(v map[string]any, path string) {
	parts := strings.Split(path, ".")
	cur := v
	for _, part := range parts[:len(parts)-1] {
		next, ok := cur[part].(map[string]any)
		if !ok {
			return
		}
		cur = next
	}
	delete(cur, parts[len(parts)-1])
}
