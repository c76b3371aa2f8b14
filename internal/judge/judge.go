package judge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
)

// call is one answer being judged against one expectation: the steps
// below fill its judgment in order (transport, then the success body or
// the error answer).
type call struct {
	exp    contracts.Expectation
	x      *Exchange
	strict bool
	// judgeDecider: the expectation is known; with a skip, only the
	// protocol is judged.
	judgeDecider bool
	j            Judgment
	// base is what every finding on this call reports; the request and
	// want are filled only when there is a finding (most calls conform).
	base Finding
	// raw and jsonErr are the answer parsed once for every step.
	raw     any
	jsonErr error
}

func newCall(exp contracts.Expectation, x *Exchange, strict bool) *call {
	c := &call{exp: exp, x: x, strict: strict, judgeDecider: exp.Skip == "",
		base: Finding{Operation: exp.Operation, Got: Got{Status: x.Status}, Certain: exp.Certain, Observed: exp.Observed}}
	c.j.Judged = true
	for id, why := range exp.Unknown {
		c.j.skip(id, why)
	}
	if c.judgeDecider {
		c.j.check(exp.Checked...)
	} else {
		for _, id := range exp.Checked {
			c.j.skip(id, exp.Skip)
		}
	}
	return c
}

func (c *call) fail(rule contracts.RuleID, detail string, diffs ...Difference) *Finding {
	f := c.base
	f.Request, f.Want = RequestForReport(c.x.RequestBody), wantOf(c.exp)
	f.Rule, f.Detail, f.Differences = rule, detail, diffs
	c.j.Findings = append(c.j.Findings, f)
	return &c.j.Findings[len(c.j.Findings)-1]
}

// failDecider blames the rule that decided the call, unless the
// expectation is unknown.
func (c *call) failDecider(detail string) {
	if c.judgeDecider {
		c.fail(c.exp.Rule, detail)
	}
}

// judgeAnswer judges one answer: the transport, then a success body or an
// error answer. merge is the session's merge attribution for an accepted
// call the contract rejects.
func judgeAnswer(exp contracts.Expectation, x *Exchange, strict bool, merge mergeTest) Judgment {
	c := newCall(exp, x, strict)
	if !c.transport() {
		return c.j
	}
	if x.Status >= 200 && x.Status < 300 {
		c.successBody(merge)
	} else {
		c.errorAnswer()
	}
	return c.j
}

// transport judges what arrived at all: an answer, its Content-Type, a
// body read to its end. It reports whether the answer can be judged
// further.
func (c *call) transport() bool {
	x := c.x
	if x.Status == 0 {
		c.failDecider(fmt.Sprintf("no answer: %v", x.Err))
		return false
	}
	c.jsonErr = json.Unmarshal(x.Body, &c.raw)
	if !bytes.HasPrefix(bytes.TrimSpace(x.Body), []byte("{")) && c.jsonErr == nil {
		c.jsonErr = fmt.Errorf("not a JSON object")
	}
	c.base.Got.Body = bodyForReport(x.Body, c.raw, c.jsonErr)
	if x.Status < 200 || x.Status >= 300 {
		// Read early so that every finding on this answer shows the error.
		code, msg, _ := errorOf(x, c.raw, c.jsonErr)
		c.base.Got.Error, c.base.Got.Message = code, msg
	}
	c.j.check(contracts.RuleProtocolContentType)
	if mt, _, err := mime.ParseMediaType(x.Header.Get("Content-Type")); err != nil || mt != contracts.ContentType {
		c.fail(contracts.RuleProtocolContentType, fmt.Sprintf("Content-Type is %q, want %s", x.Header.Get("Content-Type"), contracts.ContentType))
	}
	if x.Err != nil {
		c.failDecider(fmt.Sprintf("answer cut short: %v", x.Err))
		return false
	}
	return true
}

// successBody judges a 2xx answer: its status, its shape, unset members,
// then either the acceptance of a call the contract rejects or the body
// member by member.
func (c *call) successBody(merge mergeTest) {
	x, exp := c.x, c.exp
	c.j.Success = true
	c.j.check(contracts.RuleProtocolStatus)
	if x.Status != 200 {
		c.fail(contracts.RuleProtocolStatus, fmt.Sprintf("success answered with HTTP %d, want 200", x.Status))
	}
	op := contracts.OperationByName(exp.Operation)
	if op == nil {
		return
	}
	v, _ := c.raw.(map[string]any)
	err := c.jsonErr
	if err == nil {
		err = contracts.CheckValue(op.Output, v)
	}
	if err != nil {
		switch {
		case !c.judgeDecider:
		case !exp.AllowsSuccess():
			// The one deviation is the acceptance; the body's shape
			// follows from it.
			c.fail(exp.Rule, fmt.Sprintf("accepted; the contract rejects this call with %s (and the answer is not of the response shape: %v)",
				strings.Join(exp.ErrorCodes(), " or "), err))
		default:
			c.fail(successRule(exp), "the success body is not a JSON object of the response shape: "+err.Error())
		}
		return
	}
	body := contracts.MfaConfigFrom(v)
	c.j.Body = body
	if !c.judgeDecider {
		// The pool's state, or a fact the call depends on, is unknown:
		// what counts as unset here is unknown too.
		return
	}
	want, ok := exp.Success()
	if !ok {
		c.acceptance(body, merge)
		return
	}
	c.j.check(contracts.RuleProtocolOmitUnset)
	if p := nullOrEmpty(v, "", op.Output); p != "" {
		c.fail(contracts.RuleProtocolOmitUnset, fmt.Sprintf("member %s is null or {}; unset members must be omitted", p))
	}
	c.bodyMembers(want, body)
}

// acceptance judges a call accepted that the contract rejects: a merge
// instead of a replace when the members the target kept explain it, else
// the deciding rule.
func (c *call) acceptance(body *contracts.MfaConfig, merge mergeTest) {
	exp, decider := c.exp, c.exp.Rule
	if kept := keptMembers(exp, c.x.RequestBody, body); len(kept) > 0 && merge != nil &&
		merge(mergedRequest(c.x.RequestBody, body, kept), decider) {
		c.j.uncheck(decider)
		c.j.skip(decider, "accepted with members kept from an earlier configuration (judged as "+string(contracts.RuleFullReplace)+")")
		c.j.check(contracts.RuleFullReplace)
		c.fail(contracts.RuleFullReplace, fmt.Sprintf("accepted; the contract rejects this call with %s, and the answer holds %s, which the request did not send",
			strings.Join(exp.ErrorCodes(), " or "), strings.Join(kept, ", ")))
		return
	}
	c.fail(decider, fmt.Sprintf("accepted; the contract rejects this call with %s", strings.Join(exp.ErrorCodes(), " or ")))
}

// bodyMembers compares a success body with the contract's, member by
// member; each difference is blamed on the rule its member belongs to.
func (c *call) bodyMembers(want contracts.Outcome, body *contracts.MfaConfig) {
	diffs := CompareConfig(want.Body, body, want.Optional)
	if len(diffs) == 0 {
		c.j.BodyMatches = true
		return
	}
	byRule := map[contracts.RuleID][]Difference{}
	var order []contracts.RuleID
	for _, d := range diffs {
		r := bodyRule(c.exp, c.x.RequestBody, d.Path)
		if _, seen := byRule[r]; !seen {
			order = append(order, r)
		}
		byRule[r] = append(byRule[r], d)
	}
	for _, r := range order {
		c.j.check(r)
		c.fail(r, describeDiffs(byRule[r]), byRule[r]...)
	}
}

// errorAnswer judges an error: its shape, its status, whether it is
// modeled, then whether the contract allows it and its message.
func (c *call) errorAnswer() {
	x, exp, decider := c.x, c.exp, c.exp.Rule
	code, msg, shapeProblem := errorOf(x, c.raw, c.jsonErr)
	c.j.Code = code
	c.j.check(contracts.RuleProtocolErrorShape)
	if shapeProblem != "" {
		c.fail(contracts.RuleProtocolErrorShape, shapeProblem)
	}
	if e := contracts.ErrorByCode(code); e != nil {
		c.j.check(contracts.RuleProtocolStatus)
		if x.Status != e.Status {
			c.fail(contracts.RuleProtocolStatus, fmt.Sprintf("%s answered with HTTP %d, want %d", code, x.Status, e.Status))
		}
	}
	if code != "" {
		c.j.check(contracts.RuleProtocolModeledError)
		op := contracts.OperationByName(exp.Operation)
		if !exp.Allows(code) && (op == nil || !op.Modeled(code)) {
			c.fail(contracts.RuleProtocolModeledError, fmt.Sprintf("%s is not a modeled error of %s", code, opName(exp.Operation)))
		}
	}
	if !c.judgeDecider {
		return
	}
	switch {
	case code == "" && len(exp.ErrorCodes()) > 0:
		// Which error was meant cannot be known: protocol.error-shape has
		// the deviation, and the deciding rule is not judged on this call.
		c.j.uncheck(decider)
		c.j.skip(decider, "the target's error carried no type")
	case code == "":
		c.fail(decider, "rejected with an error without a type; the contract accepts this call")
	case exp.Allows(code):
		c.message(code, msg)
	case exp.AllowsSuccess() && len(exp.ErrorCodes()) == 0:
		c.fail(decider, fmt.Sprintf("rejected with %s (%q); the contract accepts this call", code, msg))
	default:
		want := strings.Join(exp.ErrorCodes(), " or ")
		if exp.AllowsSuccess() {
			want += " or success"
		}
		c.fail(decider, fmt.Sprintf("rejected with %s, want %s", code, want))
	}
}

// message judges an allowed error's message: a finding that warns unless
// messages are strict.
func (c *call) message(code, msg string) {
	var rule contracts.RuleID
	var texts []string
	var ok bool
	for _, o := range c.exp.ErrorOutcomes(code) {
		if len(o.Messages) == 0 {
			continue
		}
		rule = o.MessageRule
		texts = append(texts, o.Messages...)
		if o.MessageRule == contracts.RuleMessageValidation {
			ok = ok || validationMessageMatches(o.Violations, msg)
		} else {
			ok = ok || slices.Contains(o.Messages, msg)
		}
	}
	if rule == "" {
		return
	}
	c.j.check(rule)
	if !ok {
		c.fail(rule, fmt.Sprintf("message %q, want %q", msg, texts[0])).Warn = !c.strict
	}
}

var validationHead = regexp.MustCompile(`^(\d+) validation errors? detected: `)

// validationMessageMatches accepts AWS's format with the items in any order
// and any enum order: the count and, for each violation, its path and kind.
func validationMessageMatches(vs []contracts.Violation, msg string) bool {
	m := validationHead.FindStringSubmatch(msg)
	if m == nil {
		return false
	}
	if n, _ := strconv.Atoi(m[1]); n != len(vs) {
		return false
	}
	for _, v := range vs {
		if !strings.Contains(msg, "at '"+v.Path+"' failed to satisfy constraint: ") {
			return false
		}
	}
	return true
}

// successRule is the rule blamed for a bad success body.
func successRule(exp contracts.Expectation) contracts.RuleID {
	if exp.Operation == contracts.OpSetUserPoolMfaConfig {
		return contracts.RuleEcho
	}
	return exp.Rule
}

// bodyRule attributes a difference in a success body: for Set, a member
// the request left out is full replace, anything else is echo; for Get,
// the rule that decided the expectation.
func bodyRule(exp contracts.Expectation, request []byte, path string) contracts.RuleID {
	if exp.Operation != contracts.OpSetUserPoolMfaConfig {
		return exp.Rule
	}
	top := strings.SplitN(path, ".", 2)[0]
	var req map[string]any
	_ = json.Unmarshal(request, &req)
	if _, sent := req[top]; !sent && slices.Contains(exp.Checked, contracts.RuleFullReplace) {
		return contracts.RuleFullReplace
	}
	return contracts.RuleEcho
}

func describeDiffs(ds []Difference) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}

func opName(op string) string {
	if op == "" {
		return "an unknown operation"
	}
	return op
}
