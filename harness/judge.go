package harness

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

// Finding is one deviation from the contract.
type Finding struct {
	Rule        contracts.RuleID     `json:"-"`
	Operation   string               `json:"operation"`
	Request     any                  `json:"request"`
	Want        Want                 `json:"want"`
	Got         Got                  `json:"got"`
	Differences []Difference         `json:"differences,omitempty"`
	Detail      string               `json:"detail"`
	Case        string               `json:"case,omitempty"`
	Pool        string               `json:"pool,omitempty"`
	PriorState  *contracts.MfaConfig `json:"priorState,omitempty"`
	Certain     bool                 `json:"certain"`
	Reproduce   string               `json:"reproduce,omitempty"`
	// Warn marks a message finding that only warns (not --strict-messages).
	Warn bool `json:"-"`
	// PoolID is the ID the target gave the case's pool: reports that must
	// read the same on every run show the pool's kind in its place.
	PoolID string `json:"-"`
}

// Judgment is the verdict on one exchange.
type Judgment struct {
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

// keptMembers lists the top-level members of a Set's success body that the
// request did not send and that are not the default a bare Set gives (mode
// OFF): evidence that the target merged the earlier configuration.
func keptMembers(exp contracts.Expectation, request []byte, body *contracts.MfaConfig) []string {
	if exp.Operation != contracts.OpSetUserPoolMfaConfig || body == nil {
		return nil
	}
	var req map[string]any
	if json.Unmarshal(request, &req) != nil {
		return nil
	}
	var kept []string
	for k, v := range contracts.ValueOf(body) {
		if _, sent := req[k]; sent {
			continue
		}
		if k == "MfaConfiguration" && v == contracts.MfaOff {
			continue
		}
		if !configures(k, v) {
			// An empty block, or TOTP not enabled, is what some targets
			// show for a pool that never set it: it enables nothing, so it
			// cannot be what made the call acceptable.
			continue
		}
		kept = append(kept, k)
	}
	slices.Sort(kept)
	return kept
}

// configures reports whether a member of a success body holds any
// configuration: not an empty block, not a TOTP block that is not enabled.
func configures(member string, v any) bool {
	m, isBlock := v.(map[string]any)
	switch {
	case !isBlock:
		return true
	case member == "SoftwareTokenMfaConfiguration":
		return m["Enabled"] == true
	}
	return len(m) > 0
}

func (j *Judgment) skip(id contracts.RuleID, why string) {
	if j.Skips == nil {
		j.Skips = map[contracts.RuleID]string{}
	}
	j.Skips[id] = why
}

// Judge compares one exchange with an expectation. request is the body as
// sent (for full-replace attribution and reports). It never panics on what
// a target sends back.
func Judge(exp contracts.Expectation, x *Exchange, strictMessages bool) Judgment {
	return judge(exp, x, strictMessages, mergeValid)
}

// mergeValid is the world-free test of a merge: the request with the kept
// members filled in no longer breaks the model rule that decided the call.
// The runner, which knows the pool and the world, asks the whole contract
// instead.
func mergeValid(merged []byte, decider contracts.RuleID) bool {
	var v map[string]any
	if json.Unmarshal(merged, &v) != nil {
		return false
	}
	for _, vi := range contracts.Validate(contracts.SetUserPoolMfaConfigRequest(), v) {
		if !vi.Uncertain && contracts.RuleForViolation(contracts.OpSetUserPoolMfaConfig, vi) == decider {
			return false
		}
	}
	return true
}

// mergedRequest is the request with the members kept by the target filled
// in from its answer.
func mergedRequest(request []byte, body *contracts.MfaConfig, kept []string) []byte {
	var req map[string]any
	if json.Unmarshal(request, &req) != nil || req == nil {
		return nil
	}
	got := contracts.ValueOf(body)
	for _, k := range kept {
		req[k] = got[k]
	}
	return mustMarshal(req)
}

// judge is Judge with the test that decides whether a call accepted with
// members kept from an earlier configuration is one deviation, a merge
// instead of a replace: only when the rule that rejects the call as sent
// no longer rejects it merged (an ON kept valid by a kept factor); a call
// that breaks its rule however it is merged (an invalid value it sent) was
// wrongly accepted for its own sake.
func judge(exp contracts.Expectation, x *Exchange, strictMessages bool, mergeExplains func(merged []byte, decider contracts.RuleID) bool) Judgment {
	j := Judgment{}
	// What a finding reports of the call is built only when there is a
	// finding: most calls conform, and this is the judge's dearest part.
	base := Finding{Operation: exp.Operation, Got: Got{Status: x.Status}, Certain: exp.Certain}
	fail := func(rule contracts.RuleID, detail string, diffs ...Difference) {
		f := base
		f.Request, f.Want = requestForReport(x.RequestBody), wantOf(exp)
		f.Rule, f.Detail, f.Differences = rule, detail, diffs
		j.Findings = append(j.Findings, f)
	}
	decider := exp.Rule
	judgeDecider := exp.Skip == ""
	if !judgeDecider {
		for _, id := range exp.Checked {
			j.skip(id, exp.Skip)
		}
	} else {
		j.check(exp.Checked...)
	}

	if x.Status == 0 {
		if judgeDecider {
			fail(decider, fmt.Sprintf("no answer: %v", x.Err))
		}
		return j
	}
	var raw any
	jsonErr := json.Unmarshal(x.Body, &raw)
	if !bytes.HasPrefix(bytes.TrimSpace(x.Body), []byte("{")) && jsonErr == nil {
		jsonErr = fmt.Errorf("not a JSON object")
	}
	base.Got.Body = bodyForReport(x.Body, raw, jsonErr)
	isError := x.Status < 200 || x.Status >= 300
	if isError {
		// Read early so that every finding on this answer shows the error.
		code, msg, _ := errorOf(x, raw, jsonErr)
		base.Got.Error, base.Got.Message = code, msg
	}

	j.check(contracts.RuleProtocolContentType)
	if mt, _, err := mime.ParseMediaType(x.Header.Get("Content-Type")); err != nil || mt != contracts.ContentType {
		fail(contracts.RuleProtocolContentType, fmt.Sprintf("Content-Type is %q, want %s", x.Header.Get("Content-Type"), contracts.ContentType))
	}
	if x.Err != nil {
		if judgeDecider {
			fail(decider, fmt.Sprintf("answer cut short: %v", x.Err))
		}
		return j
	}

	if x.Status >= 200 && x.Status < 300 {
		j.Success = true
		j.check(contracts.RuleProtocolStatus)
		if x.Status != 200 {
			fail(contracts.RuleProtocolStatus, fmt.Sprintf("success answered with HTTP %d, want 200", x.Status))
		}
		op := contracts.OperationByName(exp.Operation)
		if op == nil {
			return j
		}
		// One parse of the body serves every check.
		v, _ := raw.(map[string]any)
		err := jsonErr
		if err == nil {
			err = contracts.CheckValue(op.Output, v)
		}
		if err != nil {
			switch {
			case !judgeDecider:
			case !exp.AllowsSuccess():
				// The one deviation is the acceptance; the body's shape
				// follows from it.
				fail(exp.Rule, fmt.Sprintf("accepted; the contract rejects this call with %s (and the answer is not of the response shape: %v)",
					strings.Join(exp.ErrorCodes(), " or "), err))
			default:
				fail(successRule(exp), "the success body is not a JSON object of the response shape: "+err.Error())
			}
			return j
		}
		body := contracts.MfaConfigFrom(v)
		j.Body = body
		if !judgeDecider {
			// The pool's state, or a fact the call depends on, is unknown:
			// what counts as unset here is unknown too.
			return j
		}
		want, ok := exp.Success()
		if ok {
			j.check(contracts.RuleProtocolOmitUnset)
			if p := nullOrEmpty(v, "", op.Output); p != "" {
				fail(contracts.RuleProtocolOmitUnset, fmt.Sprintf("member %s is null or {}; unset members must be omitted", p))
			}
		}
		if !ok {
			if kept := keptMembers(exp, x.RequestBody, body); len(kept) > 0 && mergeExplains(mergedRequest(x.RequestBody, body, kept), decider) {
				// The call was accepted only because the target kept
				// members of the earlier configuration: one deviation, a
				// merge instead of a replace, not a second one of the rule
				// that rejects the call as sent.
				j.uncheck(decider)
				j.skip(decider, "accepted with members kept from an earlier configuration (judged as "+string(contracts.RuleFullReplace)+")")
				j.check(contracts.RuleFullReplace)
				fail(contracts.RuleFullReplace, fmt.Sprintf("accepted; the contract rejects this call with %s, and the answer holds %s, which the request did not send",
					strings.Join(exp.ErrorCodes(), " or "), strings.Join(kept, ", ")))
				return j
			}
			fail(decider, fmt.Sprintf("accepted; the contract rejects this call with %s", strings.Join(exp.ErrorCodes(), " or ")))
			return j
		}
		diffs := CompareConfig(want.Body, body, want.Optional)
		if len(diffs) == 0 {
			j.BodyMatches = true
			return j
		}
		byRule := map[contracts.RuleID][]Difference{}
		var order []contracts.RuleID
		for _, d := range diffs {
			r := bodyRule(exp, x.RequestBody, d.Path)
			if _, seen := byRule[r]; !seen {
				order = append(order, r)
			}
			byRule[r] = append(byRule[r], d)
		}
		for _, r := range order {
			j.check(r)
			fail(r, describeDiffs(byRule[r]), byRule[r]...)
		}
		return j
	}

	// An error answer.
	code, msg, shapeProblem := errorOf(x, raw, jsonErr)
	j.Code = code
	j.check(contracts.RuleProtocolErrorShape)
	if shapeProblem != "" {
		fail(contracts.RuleProtocolErrorShape, shapeProblem)
	}
	if e := contracts.ErrorByCode(code); e != nil {
		j.check(contracts.RuleProtocolStatus)
		if x.Status != e.Status {
			fail(contracts.RuleProtocolStatus, fmt.Sprintf("%s answered with HTTP %d, want %d", code, x.Status, e.Status))
		}
	}
	if code != "" {
		j.check(contracts.RuleProtocolModeledError)
		op := contracts.OperationByName(exp.Operation)
		modeled := exp.Allows(code) || (op != nil && op.Modeled(code))
		if !modeled {
			fail(contracts.RuleProtocolModeledError, fmt.Sprintf("%s is not a modeled error of %s", code, opName(exp.Operation)))
		}
	}
	if !judgeDecider {
		return j
	}
	switch {
	case code == "" && len(exp.ErrorCodes()) > 0:
		// Which error was meant cannot be known: protocol.error-shape has
		// the deviation, and the deciding rule is not judged on this call.
		j.uncheck(decider)
		j.skip(decider, "the target's error carried no type")
	case code == "":
		fail(decider, "rejected with an error without a type; the contract accepts this call")
	case exp.Allows(code):
		j.judgeMessage(exp, code, msg, strictMessages, fail)
	case exp.AllowsSuccess() && len(exp.ErrorCodes()) == 0:
		fail(decider, fmt.Sprintf("rejected with %s (%q); the contract accepts this call", code, msg))
	default:
		want := strings.Join(exp.ErrorCodes(), " or ")
		if exp.AllowsSuccess() {
			want += " or success"
		}
		fail(decider, fmt.Sprintf("rejected with %s, want %s", code, want))
	}
	return j
}

func (j *Judgment) judgeMessage(exp contracts.Expectation, code, msg string, strict bool, fail func(contracts.RuleID, string, ...Difference)) {
	var rule contracts.RuleID
	var texts []string
	var ok bool
	for _, o := range exp.ErrorOutcomes(code) {
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
	j.check(rule)
	if !ok {
		n := len(j.Findings)
		fail(rule, fmt.Sprintf("message %q, want %q", msg, texts[0]))
		j.Findings[n].Warn = !strict
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

// errorOf reads an awsJson1_1 error as the Smithy rules say: the
// X-Amzn-ErrorType header first, then __type, then code; cut at ':' and
// keep what follows '#'.
func errorOf(x *Exchange, raw any, jsonErr error) (code, msg, problem string) {
	obj, _ := raw.(map[string]any)
	if jsonErr != nil || obj == nil {
		problem = "the error body is not a JSON object"
	}
	code = x.Header.Get("X-Amzn-ErrorType")
	if code == "" && obj != nil {
		if t, ok := obj["__type"].(string); ok {
			code = t
		} else if c, ok := obj["code"].(string); ok {
			code = c
		}
	}
	code = SanitizeErrorCode(code)
	if code == "" && problem == "" {
		problem = "the error has no type (no X-Amzn-ErrorType header, __type or code)"
	}
	if obj != nil {
		m, ok := obj["message"].(string)
		if !ok {
			m, ok = obj["Message"].(string)
		}
		if !ok && problem == "" {
			problem = "the error body has no message string"
		}
		msg = m
	}
	return code, msg, problem
}

// SanitizeErrorCode applies the awsJson error-code rules.
func SanitizeErrorCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.IndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return strings.TrimSpace(code)
}

// nullOrEmpty returns the path of the first null or {} member. A {} of a
// structure whose members all have a default (SoftwareTokenMfaConfigType:
// Enabled is a boolean, default false; contract.md §1.3) is not empty: by
// Smithy's default-value rules it reads as {"Enabled":false}.
func nullOrEmpty(v any, path string, shape *contracts.Shape) string {
	switch t := v.(type) {
	case nil:
		return path
	case map[string]any:
		if len(t) == 0 && path != "" && !allDefaulted(shape) {
			return path
		}
		for _, k := range sortedKeys(t) {
			if p := nullOrEmpty(t[k], join(path, k), memberShape(shape, k)); p != "" {
				return p
			}
		}
	}
	return ""
}

func memberShape(s *contracts.Shape, name string) *contracts.Shape {
	if s == nil {
		return nil
	}
	for _, m := range s.Members {
		if m.Name == name {
			return m.Shape
		}
	}
	return nil
}

// allDefaulted reports whether every member of a structure is a boolean,
// the one member type here that carries a model default.
func allDefaulted(s *contracts.Shape) bool {
	if s == nil || s.Type != contracts.TypeStructure || len(s.Members) == 0 {
		return false
	}
	for _, m := range s.Members {
		if m.Shape.Type != contracts.TypeBoolean {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
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

func requestForReport(b []byte) any {
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
